import { describe, expect, it } from 'vitest';
import { CpuSocmEngine, type CpuPlatform } from '../../src/engine/cpu';
import { CpuWorkerPool, type WorkerPort } from '../../src/engine/cpu-pool';
import { serveCpuWorker, type FromWorker, type ToWorker } from '../../src/engine/cpu-worker';
import { nodeCpuPlatform } from '../../src/engine/node';
import { pairwiseCpu, SocmInputError } from '../../src/math';
import { expectClose } from '../support/assert';
import { randomCloud, rng, toMatrix } from '../support/random';

/**
 * The worker's message loop run in this thread (messages still go through structured clone),
 * with hooks to break it: the pool and engine logic is tested deterministically, the real
 * worker_threads route by the shared suite (test/node/pair-backends.test.ts).
 */
function inProcessWorker(options: { failTile?: number; crashOnTile?: number } = {}, log: string[] = []): WorkerPort {
  let toPool: (m: FromWorker) => void = () => {};
  let crash: (e: Error) => void = () => {};
  let toWorker: (m: ToWorker) => void = () => {};
  serveCpuWorker({
    post: (message) => queueMicrotask(() => toPool(structuredClone(message))),
    listen: (handler) => (toWorker = handler),
  });
  return {
    post: (message) => {
      log.push(message.type);
      if (message.type === 'job' && message.index === options.crashOnTile) return void setTimeout(() => crash(new Error('out of memory (simulated)')), 1);
      if (message.type === 'job' && message.index === options.failTile) return void queueMicrotask(() => toPool({ type: 'error', run: message.run, message: 'kernel failed (simulated)' }));
      const copy = message.type === 'init' ? message : structuredClone(message);
      setTimeout(() => toWorker(copy), 0);
    },
    onMessage: (handler) => (toPool = handler),
    onError: (handler) => (crash = handler),
    terminate: () => log.push('terminate'),
  };
}

const r = rng(12);
const texts = Array.from({ length: 36 }, () => toMatrix(randomCloud(r, 5 + Math.floor(r() * 30), 24, 0.3)));

function platform(start: () => WorkerPort, workers = 2): CpuPlatform {
  return { ...nodeCpuPlatform, startWorker: start, workers, minWorkerMacs: 0 };
}

describe('CPU worker pool', () => {
  it('shares the tiles among workers and gives the one-thread numbers', async () => {
    const logs = [[], []] as string[][];
    let started = 0;
    const engine = new CpuSocmEngine('test', platform(() => inProcessWorker({}, logs[started++])));
    const got = await engine.pairwise(texts);
    const want = await pairwiseCpu(texts);
    got.pairs.forEach((row, k) => {
      expect(row.slice(0, 2)).toEqual(want.pairs[k].slice(0, 2));
      for (let m = 2; m < 5; m++) expectClose(row[m], want.pairs[k][m], 1e-12, 1e-15, `pair ${k} [${m}]`);
    });
    expect(started).toBe(2);
    // Both workers got tiles (dynamic scheduling), and the corpus once per run.
    for (const log of logs) {
      expect(log.filter((m) => m === 'job').length).toBeGreaterThan(0);
      expect(log.filter((m) => m === 'corpus')).toHaveLength(1);
    }
    engine.dispose();
    expect(logs.every((log) => log.at(-1) === 'terminate')).toBe(true);
  });

  it("a tile's error rejects the run with its message; the workers serve the next run", async () => {
    let calls = 0;
    const engine = new CpuSocmEngine('test', platform(() => inProcessWorker(calls++ === 0 ? { failTile: 1 } : {})));
    await expect(engine.pairwise(texts)).rejects.toThrowError(/kernel failed \(simulated\)/);
    const again = await engine.pairwise(texts.slice(0, 3));
    expect(again.pairs).toHaveLength(3);
    engine.dispose();
  });

  it('a crashed worker fails the run with a clear message; the engine starts a new pool', async () => {
    let calls = 0;
    const engine = new CpuSocmEngine('test', platform(() => inProcessWorker(calls++ < 2 ? { crashOnTile: 0 } : {})));
    await expect(engine.pairwise(texts)).rejects.toThrowError(/a CPU worker failed: out of memory \(simulated\)/);
    const again = await engine.pairwise(texts);
    expect(again.pairs).toHaveLength((36 * 35) / 2);
    expect(calls).toBe(4);
    engine.dispose();
  });

  it('bad input is reported before any worker starts, with the text it names', async () => {
    let started = 0;
    const engine = new CpuSocmEngine('test', platform(() => (started++, inProcessWorker())));
    const wide = [0, 1, 2].map((i) => toMatrix(randomCloud(rng(i), 4, 3)));
    wide.push(toMatrix([[1, 1, 0], [-1, -1, 0]]));
    await expect(engine.pairwise(wide)).rejects.toThrowError(/text 3: the mean of its token vectors has zero norm/);
    await expect(engine.pairwise(wide)).rejects.toBeInstanceOf(SocmInputError);
    expect(started).toBe(0);
    engine.dispose();
  });

  it('the pool reports the kernels its workers started, and is unusable once disposed', async () => {
    const pool = new CpuWorkerPool(() => inProcessWorker(), 1);
    expect(await pool.started()).toBe('TypeScript');
    pool.dispose();
    expect(pool.broken).toBe(true);
  });
});

describe('real worker_threads', () => {
  it('start, run WebAssembly kernels, and say so in the description', async () => {
    const engine = new CpuSocmEngine('CPU (float64)', { ...nodeCpuPlatform, workers: 2, minWorkerMacs: 0 });
    const got = await engine.pairwise(texts.slice(0, 12));
    expect(got.pairs).toHaveLength(66);
    expect(engine.description).toMatch(/^CPU \(float64\); WebAssembly SIMD.*2 workers/);
    engine.dispose();
  });
});

describe('CPU worker pool, concurrent callers', () => {
  it('two runs at once both finish with their own numbers', async () => {
    const engine = new CpuSocmEngine('test', platform(() => inProcessWorker()));
    const [a, b] = await Promise.all([engine.pairwise(texts.slice(0, 20)), engine.pairwise(texts.slice(10, 30))]);
    const [wa, wb] = await Promise.all([pairwiseCpu(texts.slice(0, 20)), pairwiseCpu(texts.slice(10, 30))]);
    expectClose(a.mean_socm, wa.mean_socm, 1e-12, 0, 'first');
    expectClose(b.mean_socm, wb.mean_socm, 1e-12, 0, 'second');
    engine.dispose();
  });
});
