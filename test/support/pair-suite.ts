/**
 * One suite for the pair statistic, run against every backend (like tfjs-core's op tests): the
 * CPU route on TypeScript, on WebAssembly, with workers, and WebGPU, in Node and in Chromium.
 * Each must match the independent float64 reference (test/support/reference.ts) on random and
 * edge-case clouds — rank-deficient, n = 1, identical texts, n > d — and its all-pairs route must
 * give the same numbers as its one-pair route.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SocmEngine } from '../../src/engine/types';
import { SocmAbortError } from '../../src/math';
import { expectClose } from './assert';
import { gaussian, randomCloud, rng, toMatrix } from './random';
import { refSocm } from './reference';

export interface SuiteBackend {
  name: string;
  engine: () => Promise<SocmEngine>;
  /** float64 routes: 1e-7 relative of the reference (which itself loses ~1e-8 on rank-deficient
   *  clouds); float32 (WebGPU): 1e-4 absolute, as the spec allows. */
  precision: 'float64' | 'float32';
}

const KEYS = ['d1', 'd2', 'socm', 'traceA', 'traceB'] as const;

/** A cloud in a k-dimensional subspace of R^d (rank ≤ k), offset so its mean is far from 0. */
function lowRankCloud(seed: number, n: number, d: number, k: number): number[][] {
  const r = rng(seed);
  const basis = Array.from({ length: k }, () => Array.from({ length: d }, () => gaussian(r)));
  const offset = Array.from({ length: d }, () => 2 + gaussian(r));
  return Array.from({ length: n }, () => {
    const c = basis.map(() => 0.4 * gaussian(r));
    return offset.map((o, j) => o + basis.reduce((s, b, t) => s + c[t] * b[j], 0));
  });
}

export function pairCases(): [string, number[][], number[][]][] {
  const r = rng(2024);
  const repeated = randomCloud(r, 3, 12, 0.5);
  return [
    ['random 5 × 7 tokens, d = 8', randomCloud(r, 5, 8, 0.4), randomCloud(r, 7, 8, 0.3)],
    ['random 12 × 12, odd d = 33', randomCloud(r, 12, 33, 0.4), randomCloud(r, 12, 33, 0.5)],
    ['random 20 × 3, d = 16', randomCloud(r, 20, 16, 0.4), randomCloud(r, 3, 16, 0.2)],
    ['n = 1 against a cloud', randomCloud(r, 1, 16, 0.4), randomCloud(r, 9, 16, 0.4)],
    ['n = 1 against n = 1', randomCloud(r, 1, 12), randomCloud(r, 1, 12)],
    ['n > d on both sides (40 and 25 tokens, d = 8)', randomCloud(r, 40, 8, 0.4), randomCloud(r, 25, 8, 0.3)],
    ['n > d on one side (100 tokens, d = 8, against 3)', randomCloud(r, 100, 8, 0.3), randomCloud(r, 3, 8, 0.3)],
    ['rank-deficient: clouds in 2-D subspaces of R^24', lowRankCloud(1, 15, 24, 2), lowRankCloud(2, 11, 24, 2)],
    ['rank-deficient: one token repeated 4 times, and a rank-1 cloud', [...repeated, repeated[0], repeated[0], repeated[0], repeated[0]], lowRankCloud(3, 6, 12, 1)],
    ['traces over 2 (flagged, d2 not clipped)', randomCloud(r, 6, 16, 3), randomCloud(r, 6, 16, 4)],
  ];
}

export function pairSuite(backend: SuiteBackend): void {
  const tol = backend.precision === 'float64' ? { rel: 1e-7, abs: 1e-9 } : { rel: 0, abs: 1e-4 };
  const traceTol = backend.precision === 'float64' ? tol : { rel: 1e-4, abs: 1e-6 };
  let engine: Promise<SocmEngine> | undefined;
  const get = () => (engine ??= backend.engine());

  describe(`pair statistic on ${backend.name}`, () => {
    afterAll(async () => (await engine)?.dispose());
    for (const [name, a, b] of pairCases()) {
      it(`${name}: matches the float64 reference`, async () => {
        const got = await (await get()).pair(toMatrix(a), toMatrix(b));
        const want = refSocm(a, b);
        for (const k of KEYS) {
          const t = k.startsWith('trace') ? traceTol : tol;
          expectClose(got[k], want[k], t.rel, t.abs, `${backend.name} ${k}`);
        }
        expect([got.tokensA, got.tokensB]).toEqual([a.length, b.length]);
        expect(got.flags.includes('trace-over-2')).toBe(want.traceA > 2 || want.traceB > 2);
      });
    }

    it('identical texts give d1 = 0 and d2 = SOCM = 0 (to rounding)', async () => {
      const e = await get();
      for (const [n, d] of [[1, 8], [7, 16], [40, 8]]) {
        const a = toMatrix(randomCloud(rng(n * d), n, d));
        const st = await e.pair(a, a);
        expect(st.d1).toBeLessThanOrEqual(backend.precision === 'float64' ? 0 : 1e-6);
        expect(st.d2).toBeLessThanOrEqual(backend.precision === 'float64' ? 1e-13 : 1e-4);
        expect(st.socm).toBeLessThanOrEqual(backend.precision === 'float64' ? 1e-13 : 1e-4);
      }
    });

    it('all pairs equal the one-pair results and the reference, with progress to the end', async () => {
      const e = await get();
      // Mixed, all d = 16: n = 1, n > d, rank-deficient, ordinary.
      const r = rng(5);
      const mixed = [randomCloud(r, 1, 16), randomCloud(r, 30, 16, 0.3), randomCloud(r, 4, 16, 0.5), lowRankCloud(9, 12, 16, 2),
        randomCloud(r, 16, 16, 0.2), randomCloud(r, 9, 16, 0.4), randomCloud(r, 2, 16, 0.4)];
      const progress: number[] = [];
      const all = await e.pairwise(mixed.map(toMatrix), { onProgress: (p) => progress.push(p.done) });
      const K = mixed.length;
      expect(all.pairs).toHaveLength((K * (K - 1)) / 2);
      expect(progress.at(-1)).toBe(all.pairs.length);
      for (let k = 1; k < progress.length; k++) expect(progress[k]).toBeGreaterThanOrEqual(progress[k - 1]);
      let sum = 0;
      for (const [i, j, d1, d2, socm] of all.pairs) {
        const one = await e.pair(toMatrix(mixed[i]), toMatrix(mixed[j]));
        const close = backend.precision === 'float64' ? 1e-12 : 1e-5;
        expectClose(d1, one.d1, close, close, `pair ${i},${j} d1`);
        expectClose(d2, one.d2, close, close, `pair ${i},${j} d2`);
        const want = refSocm(mixed[i], mixed[j]);
        expectClose(socm, want.socm, tol.rel, tol.abs, `pair ${i},${j} socm vs reference`);
        sum += socm;
      }
      expectClose(all.mean_socm, sum / all.pairs.length, 1e-12, backend.precision === 'float64' ? 0 : 1e-7, 'mean');
    });

    it('pairMeasurer: any list of pairs (repeated, reversed, scattered), in its order, equal to pair()', async () => {
      const e = await get();
      const r = rng(77);
      const clouds = [randomCloud(r, 1, 16), randomCloud(r, 30, 16, 0.3), lowRankCloud(4, 9, 16, 2), randomCloud(r, 12, 16, 0.4), randomCloud(r, 5, 16, 0.5)];
      const is = Uint32Array.from([0, 1, 1, 3, 4, 2, 2, 4, 0, 3]);
      const js = Uint32Array.from([1, 0, 2, 4, 3, 1, 3, 0, 4, 2]);
      const measurer = await e.pairMeasurer!(clouds.map(toMatrix));
      try {
        const got = await measurer.measure(is, js);
        const close = backend.precision === 'float64' ? 1e-12 : 1e-5;
        for (let k = 0; k < is.length; k++) {
          const one = await e.pair(toMatrix(clouds[is[k]]), toMatrix(clouds[js[k]]));
          expectClose(got.d1[k], one.d1, close, close, `pair ${is[k]},${js[k]} d1`);
          expectClose(got.d2[k], one.d2, close, close, `pair ${is[k]},${js[k]} d2`);
          expectClose(got.socm[k], one.socm, close, close, `pair ${is[k]},${js[k]} socm`);
          expect(got.flagged[k]).toBe(one.flags.length ? 1 : 0);
        }
      } finally {
        measurer.dispose();
      }
      await expect(e.pairMeasurer!([toMatrix(clouds[0]), toMatrix([[1, 1], [-1, -1]])])).rejects.toThrowError(/text 1 has width 2/);
    });

    it('a cancelled all-pairs run rejects with an AbortError and the engine stays usable', async () => {
      const e = await get();
      const r = rng(31);
      const many = Array.from({ length: 40 }, () => toMatrix(randomCloud(r, 8 + Math.floor(r() * 20), 24, 0.3)));
      const controller = new AbortController();
      const run = e.pairwise(many, { batchSize: 64, signal: controller.signal, onProgress: () => controller.abort() });
      await expect(run).rejects.toBeInstanceOf(SocmAbortError);
      const after = await e.pair(many[0], many[1]);
      const want = refSocm(Array.from({ length: many[0].n }, (_, i) => Array.from(many[0].data.subarray(i * 24, (i + 1) * 24))),
        Array.from({ length: many[1].n }, (_, i) => Array.from(many[1].data.subarray(i * 24, (i + 1) * 24))));
      expectClose(after.socm, want.socm, tol.rel, tol.abs, 'after cancel');
    });
  });
}
