import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node';
import { GpuUnavailableError } from '../../src/gpu/context';
import type { WebGpuSocmEngine } from '../../src/engine/webgpu';
import { pairwiseCpu, socmOfTexts, SocmAbortError, tokenMatrixFromRows } from '../../src/math';
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
