import { describe, expect, it } from 'vitest';
import { concentration, makeCloud, pairwiseCpu, pcaOfTexts, socmNaive, socmOfTexts, SocmAbortError } from '../../src/math';
import { expectClose } from '../support/assert';
import { randomCloud, rng, scaleRows, toMatrix } from '../support/random';
import { refPcaSingularValues, refSocm } from '../support/reference';

const KEYS = ['d1', 'd2', 'socm', 'traceA', 'traceB'] as const;

describe('CPU SOCM against the independent float64 reference', () => {
  const shapes: [number, number, number][] = [
    // [nA, nB, d]
    [5, 7, 8], [1, 9, 16], [20, 3, 16], [12, 12, 33], [40, 25, 8], [100, 70, 8], [2, 2, 24], [30, 1, 12],
  ];
  shapes.forEach(([nA, nB, d], k) => {
    it(`random clouds nA=${nA} nB=${nB} d=${d}`, () => {
      const r = rng(100 + k);
      const a = randomCloud(r, nA, d, 0.4);
      const b = randomCloud(r, nB, d, 0.2 + 0.3 * r());
      const got = socmOfTexts(toMatrix(a), toMatrix(b));
      const want = refSocm(a, b);
      for (const key of KEYS) expectClose(got[key], want[key], 1e-7, 1e-9, key);
      const [s1, s2] = refPcaSingularValues(a, b);
      const view = pcaOfTexts(toMatrix(a), toMatrix(b));
      expectClose(view.singularValues[0], s1, 1e-8, 1e-10, 'σ1');
      expectClose(view.singularValues[1], s2, 1e-6, 1e-8, 'σ2');
    });
  });

  it('same mean, different spread gives high SOCM; far means give low SOCM', () => {
    const r = rng(7);
    const d = 16;
    const offset = Array.from({ length: d }, () => r() + 0.5);
    const tight = socmOfTexts(toMatrix(randomCloud(r, 10, d, 0.01, offset)), toMatrix(randomCloud(r, 10, d, 0.6, offset)));
    const far = socmOfTexts(toMatrix(randomCloud(r, 10, d, 0.3)), toMatrix(randomCloud(r, 10, d, 0.3)));
    expect(tight.d1).toBeLessThan(0.05);
    expect(tight.socm).toBeGreaterThan(far.socm);
  });
});

describe('CPU SOCM properties', () => {
  it('identical texts give d1 = d2 = SOCM = 0', () => {
    for (const [n, d] of [[1, 8], [7, 16], [64, 8], [30, 384]]) {
      const a = randomCloud(rng(n * d), n, d);
      const st = socmOfTexts(toMatrix(a), toMatrix(a));
      expect(st.d1).toBe(0);
      expect(st.d2).toBeLessThanOrEqual(1e-13);
      expect(st.socm).toBeLessThanOrEqual(1e-13);
    }
  });

  it('a global scale per text changes nothing, from 1e-300 to 1e300', () => {
    const r = rng(11);
    const a = randomCloud(r, 9, 16);
    const b = randomCloud(r, 13, 16);
    const base = socmOfTexts(toMatrix(a), toMatrix(b));
    for (const [sa, sb] of [[7.3, 1e-3], [1e300, 1], [1e-300, 1e300], [2 ** -1000, 3]]) {
      const st = socmOfTexts(toMatrix(scaleRows(a, sa)), toMatrix(scaleRows(b, sb)));
      for (const key of KEYS) expectClose(st[key], base[key], 1e-12, 1e-15, `${key} at scales ${sa}, ${sb}`);
    }
  });

  it('is symmetric: SOCM(A, B) = SOCM(B, A)', () => {
    for (const [nA, nB, d] of [[3, 20, 8], [50, 9, 8], [17, 33, 64]]) {
      const r = rng(nA + nB + d);
      const a = toMatrix(randomCloud(r, nA, d));
      const b = toMatrix(randomCloud(r, nB, d));
      const ab = socmOfTexts(a, b);
      const ba = socmOfTexts(b, a);
      expectClose(ba.d1, ab.d1, 1e-14, 0, 'd1');
      expectClose(ba.d2, ab.d2, 1e-10, 1e-15, 'd2');
      expectClose(ba.traceA, ab.traceB, 1e-14, 0, 'trace');
    }
  });

  it('one token per text: zero covariance, d2 = 0, SOCM = 0, d1 from the means alone', () => {
    const r = rng(5);
    const a = randomCloud(r, 1, 12);
    const b = randomCloud(r, 1, 12);
    const st = socmOfTexts(toMatrix(a), toMatrix(b));
    expect(st.traceA).toBe(0);
    expect(st.d2).toBe(0);
    expect(st.socm).toBe(0);
    expectClose(st.d1, refSocm(a, b).d1, 1e-12, 0, 'd1');
  });

  it('widths 8 to 1024 and token counts 1 to 512 agree with the naive d×d route', () => {
    const cases: [number, number, number][] = [[512, 300, 8], [1, 512, 16], [64, 512, 96], [3, 17, 256], [40, 9, 384]];
    for (const [nA, nB, d] of cases) {
      const r = rng(nA * 7 + d);
      const a = toMatrix(randomCloud(r, nA, d, 0.2));
      const b = toMatrix(randomCloud(r, nB, d, 0.3));
      const fast = socmOfTexts(a, b);
      const naive = socmNaive(a, b);
      for (const key of KEYS) expectClose(fast[key], naive[key], 1e-7, 1e-9, `${key} (nA=${nA}, nB=${nB}, d=${d})`);
    }
  });

  it('width 1024 with 512 tokens: finite, symmetric, in range', () => {
    const r = rng(1024);
    const a = toMatrix(randomCloud(r, 512, 1024, 0.1));
    const b = toMatrix(randomCloud(r, 24, 1024, 0.1));
    const st = socmOfTexts(a, b);
    expect(st.d2).toBeGreaterThan(0);
    expect(st.socm).toBeLessThanOrEqual(1);
    expectClose(socmOfTexts(b, a).d2, st.d2, 1e-10, 1e-15, 'd2 symmetric');
  });

  it('flags tr Σ > 2 and reports d2 above 1 unclipped', () => {
    const r = rng(3);
    const a = randomCloud(r, 6, 16, 3);
    const b = randomCloud(r, 6, 16, 4);
    const st = socmOfTexts(toMatrix(a), toMatrix(b));
    expect(st.traceA).toBeGreaterThan(2);
    expect(st.flags).toEqual(['trace-over-2']);
    expectClose(st.d2, refSocm(a, b).d2, 1e-7, 1e-9, 'd2');
  });

  it('d2 and SOCM stay in [0, 1] when traces are at most 2', () => {
    const r = rng(99);
    for (let k = 0; k < 20; k++) {
      const st = socmOfTexts(toMatrix(randomCloud(r, 2 + k, 8, 0.5 * r())), toMatrix(randomCloud(r, 3 + k, 8, 0.5 * r())));
      if (st.traceA <= 2 && st.traceB <= 2) {
        expect(st.d2).toBeGreaterThanOrEqual(0);
        expect(st.d2).toBeLessThanOrEqual(1);
        expect(st.socm).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('CPU pairwise', () => {
  const r = rng(21);
  const texts = Array.from({ length: 9 }, (_, i) => toMatrix(randomCloud(r, 1 + 3 * i, 12)));

  it('covers all K(K−1)/2 pairs, each equal to the one-by-one value, and averages them', async () => {
    const steps: number[] = [];
    const res = await pairwiseCpu(texts, { onProgress: (p) => steps.push(p.done) });
    expect(res.pairs).toHaveLength(36);
    let sum = 0;
    for (const [i, j, d1, d2, socm] of res.pairs) {
      const st = socmOfTexts(texts[i], texts[j]);
      expect([d1, d2, socm]).toEqual([st.d1, st.d2, st.socm]);
      sum += socm;
    }
    expectClose(res.mean_socm, sum / 36, 1e-12, 0, 'mean');
    expect(steps.at(-1)).toBe(36);
  });

  it('stops with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    const many = Array.from({ length: 60 }, (_, i) => toMatrix(randomCloud(rng(i), 30, 64)));
    const run = pairwiseCpu(many, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toBeInstanceOf(SocmAbortError);
  });
});

describe('within-text concentration (spec §6)', () => {
  it('spread² = tr Σ and the mean within-text cosine matches a direct double loop', () => {
    const rows = randomCloud(rng(4), 9, 10, 0.7);
    const cloud = makeCloud(toMatrix(rows));
    const c = concentration(cloud);
    expectClose(c.spread ** 2, cloud.trace, 1e-12, 0, 'spread');
    let s = 0;
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) {
      if (i === j) continue;
      const x = rows[i], y = rows[j];
      const dot = x.reduce((t, v, k) => t + v * y[k], 0);
      s += dot / Math.hypot(...x) / Math.hypot(...y);
    }
    expectClose(c.meanWithinCosine, s / 72, 1e-12, 1e-15, 'cosine');
  });
});
