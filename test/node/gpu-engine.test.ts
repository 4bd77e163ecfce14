import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, nodeGpu } from '../../src/engine/node';
import { WebGpuSocmEngine } from '../../src/engine/webgpu';
import { bucketSize } from '../../src/gpu/buffer-pool';
import { GpuUnavailableError } from '../../src/gpu/context';
import { nodeShaderSources } from '../../src/gpu/shaders-node';
import { pairwiseCpu, socmOfTexts, SocmAbortError, SocmInputError, tokenMatrixFromRows } from '../../src/math';
import { expectClose } from '../support/assert';
import { nodeGpuEngine } from '../support/gpu-node';
import { randomCloud, rng, scaleRows, toMatrix } from '../support/random';
import { hasGolden, loadGolden } from '../support/shared';

let engine: WebGpuSocmEngine;
beforeAll(async () => {
  engine = await nodeGpuEngine();
}, 120_000); // compiling the kernels on a busy software GPU can take seconds

describe.skipIf(!hasGolden)('WGSL engine vs the SciPy golden values', () => {
  for (const c of loadGolden()) {
    it(`${c.name}: d1, d2, SOCM within 1e-4; traces and PCA within 1e-4 relative`, async () => {
      const a = tokenMatrixFromRows(c.a);
      const b = tokenMatrixFromRows(c.b);
      const st = await engine.pair(a, b);
      for (const k of ['d1', 'd2', 'socm'] as const) expectClose(st[k], c.expected[k], 0, 1e-4, k);
      expectClose(st.traceA, c.expected.traceA, 1e-4, 1e-6, 'traceA');
      expectClose(st.traceB, c.expected.traceB, 1e-4, 1e-6, 'traceB');
      expect(st.flags.includes('trace-over-2')).toBe(c.expected.traceA > 2 || c.expected.traceB > 2);
      const view = await engine.pca(a, b);
      expectClose(view.singularValues[0], c.expected.pca_singular_values[0], 1e-4, 1e-6, 'σ1');
      expectClose(view.singularValues[1], c.expected.pca_singular_values[1], 1e-4, 1e-5, 'σ2');
    });
  }
});

describe('WGSL engine vs the CPU reference on random clouds', () => {
  // [nA, nB, d]: n = 1, n > d on one or both sides, widths 8 to 1024, token counts 1 to 512.
  const shapes: [number, number, number][] = [
    [1, 1, 8], [1, 40, 64], [512, 300, 8], [100, 9, 64], [40, 7, 384], [20, 33, 1024], [2, 512, 16],
  ];
  for (const [nA, nB, d] of shapes) {
    it(`nA=${nA} nB=${nB} d=${d}`, async () => {
      const r = rng(nA * 31 + nB * 7 + d);
      const a = toMatrix(randomCloud(r, nA, d, 0.3));
      const b = toMatrix(randomCloud(r, nB, d, 0.2));
      const want = socmOfTexts(a, b);
      const got = await engine.pair(a, b);
      for (const k of ['d1', 'd2', 'socm'] as const) expectClose(got[k], want[k], 0, 1e-4, k);
      expectClose(got.traceA, want.traceA, 1e-4, 1e-7, 'traceA');
      expect([got.tokensA, got.tokensB]).toEqual([nA, nB]);
    });
  }

  it('identical texts give 0, a global scale (1e-30 … 1e300) changes nothing, and A, B commute', async () => {
    const r = rng(4);
    const a = randomCloud(r, 12, 48, 0.4);
    const b = randomCloud(r, 17, 48, 0.3);
    const same = await engine.pair(toMatrix(a), toMatrix(a));
    expect(same.d1).toBe(0);
    expect(same.d2).toBeLessThan(1e-6);
    const base = await engine.pair(toMatrix(a), toMatrix(b));
    for (const [sa, sb] of [[1e30, 1e-30], [1e300, 3], [1e-300, 1e-5]]) {
      const st = await engine.pair(toMatrix(scaleRows(a, sa)), toMatrix(scaleRows(b, sb)));
      for (const k of ['d1', 'd2', 'socm'] as const) expectClose(st[k], base[k], 0, 1e-6, `${k} at ${sa}, ${sb}`);
    }
    const ba = await engine.pair(toMatrix(b), toMatrix(a));
    for (const k of ['d1', 'd2', 'socm'] as const) expectClose(ba[k], base[k], 0, 1e-6, `${k} swapped`);
  });
});

describe('WGSL all-pairs batch', () => {
  const r = rng(33);
  const texts = Array.from({ length: 14 }, (_, i) => toMatrix(randomCloud(r, 1 + ((i * 5) % 23), 24, 0.15 + 0.03 * i)));

  it('equals the CPU reference pair by pair, in several batches, with monotone progress', async () => {
    const progress: number[] = [];
    const got = await engine.pairwise(texts, { batchSize: 17, onProgress: (p) => progress.push(p.done) });
    const want = await pairwiseCpu(texts);
    expect(got.pairs).toHaveLength(91);
    got.pairs.forEach((row, k) => {
      expect(row.slice(0, 2)).toEqual(want.pairs[k].slice(0, 2));
      for (let m = 2; m < 5; m++) expectClose(row[m], want.pairs[k][m], 0, 1e-4, `pair ${row[0]},${row[1]} [${m}]`);
    });
    expectClose(got.mean_socm, want.mean_socm, 0, 1e-5, 'mean SOCM');
    expect(progress).toEqual([17, 34, 51, 68, 85, 91]);
  });

  it('cancels between batches with an AbortError and stays usable', async () => {
    const controller = new AbortController();
    const run = engine.pairwise(texts, { batchSize: 10, signal: controller.signal, onProgress: (p) => p.done >= 20 && controller.abort() });
    await expect(run).rejects.toBeInstanceOf(SocmAbortError);
    const after = await engine.pair(texts[0], texts[1]);
    expectClose(after.socm, socmOfTexts(texts[0], texts[1]).socm, 0, 1e-4, 'after cancel');
  });
});

describe('a lost GPU device', () => {
  it('gives a clear GpuUnavailableError instead of wrong numbers or a hang', async () => {
    const doomed = (await createNodeEngine('webgpu')) as WebGpuSocmEngine;
    doomed.context.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const a = toMatrix(randomCloud(rng(1), 3, 8));
    const attempt = doomed.pair(a, a);
    await expect(attempt).rejects.toBeInstanceOf(GpuUnavailableError);
    await expect(doomed.pair(a, a)).rejects.toThrowError(/GPU device was lost/);
  });
});

describe('analyse: stats and view from one upload', () => {
  it('equals pair() and pca() called separately, on both engines', async () => {
    const r = rng(77);
    const a = toMatrix(randomCloud(r, 9, 24, 0.3));
    const b = toMatrix(randomCloud(r, 13, 24, 0.3));
    const both = await engine.analyse(a, b);
    expect(both.stats).toEqual(await engine.pair(a, b));
    expect(Array.from(both.view.pointsA)).toEqual(Array.from((await engine.pca(a, b)).pointsA));
    const { CpuSocmEngine } = await import('../../src/engine/cpu');
    const cpu = new CpuSocmEngine();
    const onCpu = await cpu.analyse(a, b);
    expect(onCpu.stats).toEqual(await cpu.pair(a, b));
    expect(Array.from(onCpu.view.pointsB)).toEqual(Array.from((await cpu.pca(a, b)).pointsB));
  });
});

describe('GPU buffers, bind groups and pipelines are reused (issue 12)', () => {
  const r = rng(52);
  const texts = Array.from({ length: 12 }, () => toMatrix(randomCloud(r, 3 + Math.floor(r() * 20), 24, 0.3)));

  it('repeated calls create no new buffers and hit the bind-group cache; every temporary goes back', async () => {
    const pool = engine.context.pool;
    const round = async () => {
      await engine.pair(texts[0], texts[1]);
      await engine.analyse(texts[2], texts[3]);
      await engine.pairwise(texts, { batchSize: 20 });
    };
    await round();
    const before = pool.stats();
    const hits = engine.context.cacheStats().bindGroupHits;
    expect(before.live).toBe(0);
    for (let k = 0; k < 3; k++) {
      await round();
      expect(pool.stats().live).toBe(0);
    }
    const after = pool.stats();
    expect(after.created).toBe(before.created);
    expect(after.reused).toBeGreaterThan(before.reused);
    expect(engine.context.cacheStats().bindGroupHits).toBeGreaterThan(hits);
  });

  it('temporaries go back on errors and on cancel too', async () => {
    const pool = engine.context.pool;
    const zeroMean = toMatrix([[1, 2, 3], [-1, -2, -3]]);
    await expect(engine.pairwise([toMatrix([[1, 0, 0]]), zeroMean])).rejects.toBeInstanceOf(SocmInputError);
    expect(pool.stats().live).toBe(0);
    const controller = new AbortController();
    await expect(engine.pairwise(texts, { batchSize: 5, signal: controller.signal, onProgress: () => controller.abort() })).rejects.toBeInstanceOf(SocmAbortError);
    expect(pool.stats().live).toBe(0);
  });

  it('one batch is three dispatches over as many pairs as the batch size allows', async () => {
    await engine.pairwise(texts, { batchSize: 30 });
    const work = engine.gpu.lastWork;
    expect(work.map((w) => w.pairs)).toEqual([30, 30, 6]);
    expect(work.every((w) => w.dispatches === 3 && w.tiles >= 1 && w.gramMacs > 0)).toBe(true);
    await engine.pairwise(texts);
    expect(engine.gpu.lastWork).toHaveLength(1);
  });

  it('bucketSize rounds up by at most 25% and never below 256 bytes', () => {
    for (const bytes of [1, 255, 256, 257, 1000, 4097, 3 * 2 ** 20 + 1]) {
      const size = bucketSize(bytes);
      expect(size).toBeGreaterThanOrEqual(Math.max(256, bytes));
      expect(size).toBeLessThanOrEqual(Math.max(256, bytes * 1.25));
    }
  });
});

describe('an engine on a device it was handed (issue 10 shares onnxruntime-web\'s)', () => {
  it('computes like its own-device engine, shares compiled pipelines, and never destroys the device', async () => {
    const gpu = await nodeGpu();
    const adapter = (await gpu.requestAdapter())!;
    const device = await adapter.requestDevice();
    let lost = false;
    device.lost.then(() => (lost = true));
    const first = await WebGpuSocmEngine.fromDevice(device, nodeShaderSources());
    const second = await WebGpuSocmEngine.fromDevice(device, nodeShaderSources());
    expect(first.context.ownsDevice).toBe(false);
    expect(second.context.pipelines.gram_tile).toBe(first.context.pipelines.gram_tile);
    const a = toMatrix(randomCloud(rng(1), 9, 32, 0.3));
    const b = toMatrix(randomCloud(rng(2), 14, 32, 0.3));
    const own = await engine.pair(a, b);
    const shared = await first.pair(a, b);
    for (const k of ['d1', 'd2', 'socm'] as const) expectClose(shared[k], own[k], 0, 1e-6, k);
    first.dispose();
    await new Promise((res) => setTimeout(res, 50));
    expect(lost).toBe(false);
    // The device and the other engine on it still work; the disposed engine says it was disposed.
    const again = await second.pair(a, b);
    expectClose(again.socm, own.socm, 0, 1e-6, 'after the first engine is disposed');
    await expect(first.pair(a, b)).rejects.toThrowError(/disposed/);
    const probe = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(probe, 0, new Uint32Array(4));
    await device.queue.onSubmittedWorkDone();
    probe.destroy();
    second.dispose();
    device.destroy();
  });
});

describe('GpuSocm.runPairs: any list of pairs, in its order (the corpus code measures pair plans this way)', () => {
  it('equals the CPU reference pair by pair, for repeated, reversed and scattered pairs in several batches', async () => {
    const r = rng(61);
    const texts = Array.from({ length: 15 }, (_, i) => toMatrix(randomCloud(r, 1 + ((i * 7) % 40), 20, 0.3)));
    const clouds = await engine.gpu.prepare(texts);
    try {
      const list: [number, number][] = [[3, 9], [9, 3], [0, 14], [3, 4], [14, 0], [3, 9], [7, 2], [2, 7], [5, 6], [3, 11], [12, 13]];
      for (let k = 0; k < 40; k++) list.push([Math.floor(r() * 15), Math.floor(r() * 15)].sort((x, y) => x - y) as [number, number]);
      const pairs = list.filter(([i, j]) => i !== j);
      const seen: [number, number][] = [];
      const got: number[] = [];
      await engine.gpu.runPairs(clouds, pairs, pairs.length, (index, out) => {
        seen.push(...index);
        got.push(...out.map((o) => o.socm));
      }, { batchSize: 7 });
      expect(seen).toEqual(pairs);
      pairs.forEach(([i, j], k) => expectClose(got[k], socmOfTexts(texts[i], texts[j]).socm, 0, 1e-4, `pair ${i},${j}`));
      expect(engine.context.pool.stats().live).toBe(5); // the prepared clouds' own buffers
    } finally {
      engine.gpu.release(clouds);
    }
    expect(engine.context.pool.stats().live).toBe(0);
  });
});
