import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { browserCpuPlatform, createBrowserEngine } from '../../src/engine/browser';
import { CpuSocmEngine } from '../../src/engine/cpu';
import { WebGpuSocmEngine } from '../../src/engine/webgpu';
import { GpuUnavailableError } from '../../src/gpu/context';
import { pairwiseCpu, socmOfTexts, SocmAbortError, tokenMatrixFromRows } from '../../src/math';
import { expectClose } from '../support/assert';
import { pairSuite } from '../support/pair-suite';
import { randomCloud, rng, toMatrix } from '../support/random';

interface GoldenCase {
  name: string;
  a: number[][];
  b: number[][];
  expected: Record<'d1' | 'd2' | 'socm' | 'traceA' | 'traceB', number> & { pca_singular_values: [number, number] };
}

let engine: WebGpuSocmEngine;
let golden: GoldenCase[] = [];

beforeAll(async () => {
  const created = await createBrowserEngine();
  // Chromium here has WebGPU on SwiftShader: a CPU engine would mean the browser tests test nothing GPU.
  expect(created.backend, created.description).toBe('webgpu');
  engine = created as WebGpuSocmEngine;
  const text = await commands.readShared('reference/socm-golden.json');
  if (text === null) console.warn('[poolscope tests] ../shared/reference/socm-golden.json is absent: golden browser tests skip');
  else golden = JSON.parse(text).cases;
}, 120_000); // compiling the kernels on a busy software GPU can take seconds

describe('WebGPU in headless Chromium', () => {
  it('runs on a real WebGPU adapter and says which', () => {
    expect(engine.description).toMatch(/^WebGPU: /);
    console.info(`[poolscope] browser engine: ${engine.description}`);
  });

  it('matches every golden case: WGSL within 1e-4, the CPU reference within 1e-9 relative', async (ctx) => {
    if (!golden.length) ctx.skip();
    for (const c of golden) {
      const a = tokenMatrixFromRows(c.a);
      const b = tokenMatrixFromRows(c.b);
      const gpu = await engine.pair(a, b);
      const cpu = socmOfTexts(a, b);
      for (const k of ['d1', 'd2', 'socm'] as const) {
        expectClose(gpu[k], c.expected[k], 0, 1e-4, `${c.name} WGSL ${k}`);
        expectClose(cpu[k], c.expected[k], 1e-9, 1e-14, `${c.name} CPU ${k}`);
      }
      const view = await engine.pca(a, b);
      expectClose(view.singularValues[0], c.expected.pca_singular_values[0], 1e-4, 1e-6, `${c.name} σ1`);
    }
  });

  it('computes all pairs like the CPU, reports progress and cancels', async () => {
    const r = rng(8);
    const texts = Array.from({ length: 10 }, (_, i) => toMatrix(randomCloud(r, 2 + 3 * i, 32, 0.25)));
    const seen: number[] = [];
    const got = await engine.pairwise(texts, { batchSize: 20, onProgress: (p) => seen.push(p.done) });
    const want = await pairwiseCpu(texts);
    got.pairs.forEach((row, k) => expectClose(row[4], want.pairs[k][4], 0, 1e-4, `pair ${k}`));
    expect(seen.at(-1)).toBe(45);
    const controller = new AbortController();
    await expect(engine.pairwise(texts, { batchSize: 5, signal: controller.signal, onProgress: () => controller.abort() }))
      .rejects.toBeInstanceOf(SocmAbortError);
  });
});

describe('fallbacks', () => {
  it('without WebGPU the CPU reference runs and says why', async () => {
    const cpu = await createBrowserEngine({ gpu: undefined });
    expect(cpu.backend).toBe('cpu');
    expect(cpu.description).toMatch(/because WebGPU is not available here/);
    const st = await cpu.pair(toMatrix([[1, 2], [2, 1]]), toMatrix([[1, 1]]));
    expect(st.d2).toBeGreaterThan(0);
  });

  it('an adapter-less GPU falls back with its reason', async () => {
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const cpu = await createBrowserEngine({ gpu: noAdapter });
    expect(cpu.description).toMatch(/because WebGPU found no GPU adapter/);
  });

  it('a lost device gives a GpuUnavailableError naming the loss', async () => {
    const doomed = (await createBrowserEngine()) as WebGpuSocmEngine;
    doomed.context.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const a = toMatrix([[1, 2, 3], [3, 2, 1]]);
    const error = await doomed.pair(a, a).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GpuUnavailableError);
    expect((error as Error).message).toMatch(/GPU device was lost/);
  });
});

describe('the CPU route in the browser: WebAssembly SIMD kernels, Web Workers', () => {
  it('loads the kernels, starts Web Workers for a corpus and says so', async () => {
    const cpu = new CpuSocmEngine('CPU (float64)', { ...browserCpuPlatform, workers: 2, minWorkerMacs: 0 });
    const r = rng(44);
    const texts = Array.from({ length: 12 }, () => toMatrix(randomCloud(r, 3 + Math.floor(r() * 20), 32, 0.3)));
    const got = await cpu.pairwise(texts);
    const want = await pairwiseCpu(texts);
    got.pairs.forEach((row, k) => expectClose(row[4], want.pairs[k][4], 1e-12, 1e-15, `pair ${k}`));
    expect(cpu.description).toMatch(/WebAssembly SIMD.*2 workers/);
    expect(globalThis.crossOriginIsolated, 'COOP/COEP headers: the corpus is shared with the workers, not copied').toBe(true);
    cpu.dispose();
  });

  it('an engine on a device it was handed leaves the device alive when disposed', async () => {
    const adapter = (await navigator.gpu.requestAdapter())!;
    const device = await adapter.requestDevice();
    const shared = await createBrowserEngine({ device });
    expect(shared.backend).toBe('webgpu');
    const a = toMatrix(randomCloud(rng(3), 6, 16, 0.3));
    const before = await shared.pair(a, toMatrix(randomCloud(rng(4), 9, 16, 0.3)));
    expect(before.d2).toBeGreaterThan(0);
    shared.dispose();
    const probe = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(probe, 0, new Uint32Array(4));
    await device.queue.onSubmittedWorkDone();
    probe.destroy();
    device.destroy();
  });
});

// The shared pair-statistic suite (test/support/pair-suite.ts), in Chromium.
pairSuite({ name: 'WebGPU in Chromium (SwiftShader here)', precision: 'float32', engine: async () => (await createBrowserEngine()) });
pairSuite({
  name: 'CPU in Chromium: WebAssembly SIMD kernels, 2 Web Workers', precision: 'float64',
  engine: async () => new CpuSocmEngine('test', { ...browserCpuPlatform, workers: 2, minWorkerMacs: 0 }),
});
