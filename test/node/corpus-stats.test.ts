/**
 * The corpus statistics the CLI (and later the app) report: bootstrap intervals that cover at their
 * nominal rate on simulated data, Spearman's ρ equal to SciPy's (ties included), and the pair
 * plans: all pairs in row order, uniform samples, pair lists.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bootstrapAllPairs, bootstrapMeans, normalCdf, normalQuantile } from '../../src/corpus/bootstrap';
import {
  allPairsPlan, compactPlan, dropTexts, limitPlan, parsePairList, planPairs, rankPair, samplePairs, unrankPair,
} from '../../src/corpus/pairs';
import { seededRandom } from '../../src/corpus/random';
import { averageRanks, spearman, spearmanInterval } from '../../src/corpus/spearman';

const normal = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
/** A SOCM-like pair value in [0, 1] of two texts with latent points x, y ~ N(0, I₂): exp(−|x − y|²), mean exactly 1/5. */
const kernel = (x: number[], y: number[]) => Math.exp(-((x[0] - y[0]) ** 2 + (x[1] - y[1]) ** 2));
const KERNEL_MEAN = 0.2;

/** Share of `seeds` simulated data sets whose interval holds the truth. */
function coverage(seeds: number, interval: (seed: number) => { ci: [number, number]; truth: number }): number {
  let hits = 0;
  for (let s = 0; s < seeds; s++) {
    const { ci, truth } = interval(s);
    if (ci[0] <= truth && truth <= ci[1]) hits++;
  }
  return hits / seeds;
}

describe('bootstrap 95% intervals cover the truth about 95% of the time (500 simulated data sets each)', () => {
  // With 500 data sets the coverage itself has a standard error of about 0.01: allow ±0.03.
  const SEEDS = 500;
  const nominal = (c: number) => expect(Math.abs(c - 0.95), `coverage ${c}`).toBeLessThanOrEqual(0.03);

  it('independent values (a pair list): the mean of 100 skewed values in [0, 1] (u², mean 1/3)', () => {
    const c = coverage(SEEDS, (s) => {
      const r = seededRandom(2_000_000 + s);
      const v = Float64Array.from({ length: 100 }, () => r() ** 2);
      return { ci: bootstrapMeans([v], { replicates: 400, seed: s })[0], truth: 1 / 3 };
    });
    nominal(c);
  });

  it('all pairs of 40 texts, texts resampled: the population mean of a SOCM-like pair value', () => {
    let textHits = 0;
    const c = coverage(SEEDS, (s) => {
      const r = seededRandom(1_000_000 + s);
      const x = Array.from({ length: 40 }, () => [normal(r), normal(r)]);
      const v = Float64Array.from(planPairs(allPairsPlan(40)), ([i, j]) => kernel(x[i], x[j]));
      const traces = Float64Array.from(x, (p) => p[0] ** 2 + p[1] ** 2); // χ²₂: mean 2, skewed
      const ci = bootstrapAllPairs(40, [v], [traces], { replicates: 400, seed: s });
      if (ci.texts[0][0] <= 2 && 2 <= ci.texts[0][1]) textHits++;
      return { ci: ci.pairs[0], truth: KERNEL_MEAN };
    });
    nominal(c);
    // A per-text mean of a skewed (exponential) quantity over 40 texts: BCa's known slight shortfall.
    expect(textHits / SEEDS).toBeGreaterThan(0.9);
  });

  it('200 pairs sampled from 19,900: the interval holds the all-pairs mean of that corpus', () => {
    const r0 = seededRandom(3);
    const x = Array.from({ length: 200 }, () => [normal(r0), normal(r0)]);
    let total = 0;
    for (const [i, j] of planPairs(allPairsPlan(200))) total += kernel(x[i], x[j]);
    const truth = total / 19_900;
    const c = coverage(SEEDS, (s) => {
      const plan = samplePairs(200, 200, seededRandom(4_000_000 + s));
      const v = Float64Array.from(planPairs(plan), ([i, j]) => kernel(x[i], x[j]));
      return { ci: bootstrapMeans([v], { replicates: 400, seed: s })[0], truth };
    });
    nominal(c);
  });

  it('the same seed gives the same interval; more texts, a narrower one', () => {
    const r = seededRandom(9);
    const x = Array.from({ length: 120 }, () => [normal(r), normal(r)]);
    const width = (K: number) => {
      const v = Float64Array.from(planPairs(allPairsPlan(K)), ([i, j]) => kernel(x[i], x[j]));
      const [a] = bootstrapAllPairs(K, [v], [], { seed: 5 }).pairs;
      const [b] = bootstrapAllPairs(K, [v], [], { seed: 5 }).pairs;
      expect(a).toEqual(b);
      const mean = v.reduce((s, y) => s + y, 0) / v.length;
      expect(a[0]).toBeLessThan(mean);
      expect(a[1]).toBeGreaterThan(mean);
      return a[1] - a[0];
    };
    expect(width(120)).toBeLessThan(width(30));
  });

  it('the normal CDF and quantile agree with tabulated values and each other', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
    for (const z of [-3, -1.5, -0.2, 0, 0.7, 2.4]) expect(normalQuantile(normalCdf(z))).toBeCloseTo(z, 5);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
  });
});

describe("Spearman's ρ", () => {
  const reference = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/spearman-reference.json'), 'utf8')) as {
    cases: { name: string; x: number[]; y: number[]; ranks_x: number[]; rho: number | null }[];
  };

  it('a hand-checked case with ties: x = 1,2,2,3 and y = 1,3,2,4 give ranks 1,2.5,2.5,4 and ρ = 3/√10', () => {
    expect(Array.from(averageRanks([1, 2, 2, 3]))).toEqual([1, 2.5, 2.5, 4]);
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(3 / Math.sqrt(10), 14);
  });

  for (const c of reference.cases) {
    it(`equals scipy.stats.spearmanr: ${c.name}`, () => {
      expect(Array.from(averageRanks(c.x))).toEqual(c.ranks_x);
      const rho = spearman(c.x, c.y);
      if (c.rho === null) expect(rho).toBeNaN();
      else expect(Math.abs(rho - c.rho)).toBeLessThan(1e-12);
    });
  }

  it('its bootstrap interval holds ρ, is reproducible, and is narrow for a perfect order', () => {
    const x = [0.112, 0.034, 0.041, 0.029, 0.098, 0.027, 0.03, 0.025, 0.087, 0.022, 0.12];
    const y = [42.0, 56.3, 58.9, 59.4, 45.1, 57.6, 58.1, 61.0, 47.2, 62.4, 40.0];
    const rho = spearman(x, y);
    const ci = spearmanInterval(x, y, { seed: 3 });
    expect(ci).toEqual(spearmanInterval(x, y, { seed: 3 }));
    expect(ci[0]).toBeLessThanOrEqual(rho);
    expect(ci[1]).toBeGreaterThanOrEqual(rho);
    expect(ci[0]).toBeGreaterThanOrEqual(-1);
    expect(spearmanInterval([1, 2, 3, 4, 5, 6], [2, 4, 6, 8, 10, 12], { seed: 1 })).toEqual([1, 1]);
  });
});

describe('pair plans', () => {
  it('rankPair and unrankPair are inverses in row order, also past 2³² pairs', () => {
    for (const K of [2, 3, 7, 50]) {
      let p = 0;
      for (let i = 0; i < K; i++) {
        for (let j = i + 1; j < K; j++, p++) {
          expect(rankPair(i, j, K)).toBe(p);
          expect(unrankPair(p, K)).toEqual([i, j]);
        }
      }
    }
    const K = 3_000_000; // 4.5e12 pairs
    const r = seededRandom(1);
    for (let k = 0; k < 200; k++) {
      const i = Math.floor(r() * (K - 1));
      const j = i + 1 + Math.floor(r() * (K - i - 1));
      expect(unrankPair(rankPair(i, j, K), K)).toEqual([i, j]);
    }
    expect(unrankPair((K * (K - 1)) / 2 - 1, K)).toEqual([K - 2, K - 1]);
  });

  it('planPairs walks any stretch of all pairs', () => {
    const all = [...planPairs(allPairsPlan(6))];
    expect(all).toHaveLength(15);
    expect([...planPairs(allPairsPlan(6), 4, 9)]).toEqual(all.slice(4, 9));
  });

  it('a sample has distinct pairs, is reproducible, and includes each pair about equally often', () => {
    const K = 6; // 15 pairs, 5 drawn: each pair with probability 1/3
    const counts = new Float64Array(15);
    const runs = 6000;
    for (let s = 0; s < runs; s++) {
      const plan = samplePairs(K, 5, seededRandom(s));
      const ranks = Array.from(planPairs(plan), ([i, j]) => rankPair(i, j, K));
      expect(new Set(ranks).size).toBe(5);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      for (const p of ranks) counts[p]++;
    }
    // Each count ~ Binomial(6000, 1/3): mean 2000, sd 36.5; allow 4.5 sd.
    for (const c of counts) expect(Math.abs(c - runs / 3)).toBeLessThan(165);
    expect(samplePairs(1000, 50, seededRandom(7))).toEqual(samplePairs(1000, 50, seededRandom(7)));
    expect(() => samplePairs(10, 45, seededRandom(1))).toThrow(/not fewer than the 45 pairs of 10 texts/);
  });

  it('a pair list: two texts per line by tab; repeated texts encoded once; errors name the line', () => {
    const { texts, plan } = parsePairList('what is SOCM?\tmean pooling collapses\n\nwhat is SOCM?\ta hard negative\r\n');
    expect(texts).toEqual(['what is SOCM?', 'mean pooling collapses', 'a hard negative']);
    expect([...planPairs(plan)]).toEqual([[0, 1], [0, 2]]);
    expect(() => parsePairList('a\tb\nno tab here\n')).toThrow(/line 2 has no tab/);
    expect(() => parsePairList('a\tb\tc\n')).toThrow(/line 1 has 3 tab-separated fields/);
    expect(() => parsePairList('a\t \n')).toThrow(/line 1: the second text is empty/);
    expect(() => parsePairList('\n\n')).toThrow(/no pairs/);
    expect(limitPlan(plan, 1).count).toBe(1);
  });

  it('dropping texts keeps the other pairs; compacting keeps only used texts', () => {
    const list = parsePairList('a\tb\nb\tc\nc\td\n');
    const dropped = dropTexts(list.plan, [true, false, true, true]);
    expect(dropped.droppedPairs).toBe(2);
    expect(Array.from(dropped.textIndex)).toEqual([0, 2, 3]);
    expect([...planPairs(dropped.plan)]).toEqual([[1, 2]]);
    const all = dropTexts(allPairsPlan(5), [1, 1, 0, 1, 1]);
    expect([all.plan.count, all.droppedPairs]).toEqual([6, 4]);
    const sample = samplePairs(1000, 3, seededRandom(2));
    const compact = compactPlan(sample);
    expect(compact.plan.texts).toBeLessThanOrEqual(6);
    expect(Array.from(planPairs(compact.plan), ([i, j]) => [compact.textIndex[i], compact.textIndex[j]])).toEqual([...planPairs(sample)]);
  });
});
