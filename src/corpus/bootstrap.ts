/**
 * Bootstrap intervals for the corpus means: BCa (bias-corrected and accelerated, Efron 1987), whose
 * coverage holds up better than the plain percentile interval's when the estimate is skewed, as
 * means of SOCM over few texts are. DOM-free.
 *
 * Two designs, because the pairs of a corpus are not independent:
 * - `bootstrapMeans`: independent units (a user's pair list, a uniform sample of pairs, the
 *   texts' own tr Σ). Each replicate redraws the n units with replacement.
 * - `bootstrapAllPairs`: every pair of K texts. The mean over pairs is a U-statistic of the texts;
 *   each replicate redraws the K texts with replacement (weights w_i, how often text i was drawn)
 *   and takes Σ_{i<j} w_i w_j v_ij / Σ_{i<j} w_i w_j, the mean over pairs of distinct draws. The
 *   interval then says how the mean would move with another corpus of K texts from the same source.
 */
import { randomIndex, seededRandom, type Random } from './random';

export type Interval = [number, number];

export interface BootstrapOptions {
  /** Replicates (default 1000). */
  replicates?: number;
  /** Seed of the resampling (default 1). */
  seed?: number;
  /** Coverage (default 0.95). */
  level?: number;
}

export const DEFAULT_REPLICATES = 1000;

/** Quantile q of sorted values, linear between order statistics (R's type 7, NumPy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (!sorted.length) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Standard normal CDF (erfc by its Chebyshev fit, Numerical Recipes' erfcc: |error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * The BCa interval from replicate estimates, the estimate itself and its jackknife (leave one unit
 * out) values: the bias correction z0 from the share of replicates below the estimate, the
 * acceleration from the jackknife's skewness. Non-finite replicates are left out.
 */
export function bcaInterval(replicates: ArrayLike<number>, estimate: number, jackknife: ArrayLike<number>, level = 0.95): Interval {
  const sorted = Float64Array.from(Array.from(replicates).filter(Number.isFinite)).sort();
  const B = sorted.length;
  if (!B || !Number.isFinite(estimate)) return [Number.NaN, Number.NaN];
  let below = 0;
  for (const r of sorted) below += r < estimate ? 1 : r === estimate ? 0.5 : 0;
  const z0 = normalQuantile(Math.min(1 - 0.5 / B, Math.max(0.5 / B, below / B)));
  const jack = Array.from(jackknife).filter(Number.isFinite);
  const jm = jack.reduce((s, x) => s + x, 0) / jack.length;
  let num = 0;
  let den = 0;
  for (const t of jack) {
    num += (jm - t) ** 3;
    den += (jm - t) ** 2;
  }
  const a = den > 0 ? num / (6 * den ** 1.5) : 0;
  const z = normalQuantile((1 - level) / 2);
  const adjusted = (zq: number) => normalCdf(z0 + (z0 + zq) / (1 - a * (z0 + zq)));
  return [quantileSorted(sorted, adjusted(z)), quantileSorted(sorted, adjusted(-z))];
}

/** Leave-one-out means of a series (NaN values are not part of any mean). */
function jackknifeMeans(values: ArrayLike<number>): Float64Array {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < values.length; k++) {
    if (Number.isFinite(values[k])) {
      sum += values[k];
      count++;
    }
  }
  return Float64Array.from({ length: values.length }, (_, k) => (Number.isFinite(values[k]) ? (sum - values[k]) / (count - 1) : sum / count));
}

/** The percentile interval of replicate estimates (non-finite replicates are left out). */
export function percentileInterval(replicates: ArrayLike<number>, level = 0.95): Interval {
  const finite = Float64Array.from(Array.from(replicates).filter(Number.isFinite)).sort();
  const tail = (1 - level) / 2;
  return [quantileSorted(finite, tail), quantileSorted(finite, 1 - tail)];
}

/** Mean of the finite values (NaN marks a unit with no value, e.g. a one-token text's cosine). */
export function finiteMean(values: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let k = 0; k < values.length; k++) {
    if (Number.isFinite(values[k])) {
      s += values[k];
      n++;
    }
  }
  return s / n;
}

function setup(options: BootstrapOptions): { random: Random; replicates: number; level: number } {
  const replicates = options.replicates ?? DEFAULT_REPLICATES;
  if (!(replicates >= 1) || !Number.isInteger(replicates)) throw new RangeError(`bootstrap replicates must be a whole number ≥ 1, not ${replicates}`);
  return { random: seededRandom(options.seed ?? 1), replicates, level: options.level ?? 0.95 };
}

/**
 * BCa intervals for the means of several series over the same n independent units (each series has
 * one value per unit; NaN values are skipped in that series' mean). One draw of units per replicate
 * serves every series, so the intervals are of one resampled data set.
 */
export function bootstrapMeans(series: readonly ArrayLike<number>[], options: BootstrapOptions = {}): Interval[] {
  const { random, replicates, level } = setup(options);
  const n = series[0]?.length ?? 0;
  if (series.some((s) => s.length !== n)) throw new RangeError('every series needs one value per unit');
  if (n === 0) return series.map(() => [Number.NaN, Number.NaN]);
  const out = series.map(() => new Float64Array(replicates));
  const draw = new Uint32Array(n);
  for (let r = 0; r < replicates; r++) {
    for (let k = 0; k < n; k++) draw[k] = randomIndex(random, n);
    series.forEach((s, m) => {
      let sum = 0;
      let count = 0;
      for (let k = 0; k < n; k++) {
        const v = s[draw[k]];
        if (Number.isFinite(v)) {
          sum += v;
          count++;
        }
      }
      out[m][r] = sum / count;
    });
  }
  return out.map((reps, m) => bcaInterval(reps, finiteMean(series[m]), jackknifeMeans(series[m]), level));
}

/**
 * Intervals for means over all K(K−1)/2 pairs of K texts, resampling texts (see the top of this
 * file). `pairSeries` hold one value per pair in row order (i < j: (0,1), (0,2), …); `textSeries`
 * one value per text (their means use the same draw of texts, weighted by w_i).
 */
export function bootstrapAllPairs(
  texts: number,
  pairSeries: readonly ArrayLike<number>[],
  textSeries: readonly ArrayLike<number>[],
  options: BootstrapOptions = {},
): { pairs: Interval[]; texts: Interval[] } {
  const { random, replicates, level } = setup(options);
  const K = texts;
  const P = (K * (K - 1)) / 2;
  if (pairSeries.some((s) => s.length !== P)) throw new RangeError(`each pair series needs one value per pair (${P} for ${K} texts)`);
  if (textSeries.some((s) => s.length !== K)) throw new RangeError(`each text series needs one value per text (${K})`);
  const series = pairSeries.map((v) => (v instanceof Float64Array ? v : Float64Array.from(v)));
  const pairReps = pairSeries.map(() => new Float64Array(replicates));
  const textReps = textSeries.map(() => new Float64Array(replicates));
  const weight = new Float64Array(K);
  const drawn = new Int32Array(K);
  for (let r = 0; r < replicates; r++) {
    weight.fill(0);
    for (let k = 0; k < K; k++) weight[randomIndex(random, K)]++;
    let m = 0;
    let squares = 0;
    for (let k = 0; k < K; k++) {
      if (weight[k] > 0) {
        drawn[m++] = k;
        squares += weight[k] * weight[k];
      }
    }
    // Σ_{i<j} w_i w_j = ((Σ w)² − Σ w²) / 2, with Σ w = K.
    const total = (K * K - squares) / 2;
    series.forEach((v, s) => {
      let sum = 0;
      for (let a = 0; a < m; a++) {
        const i = drawn[a];
        // Row i of the triangle: pair (i, j) sits at base + j.
        const base = i * K - (i * (i + 1)) / 2 - i - 1;
        let row = 0;
        for (let b = a + 1; b < m; b++) {
          const j = drawn[b];
          row += weight[j] * v[base + j];
        }
        sum += weight[i] * row;
      }
      pairReps[s][r] = sum / total;
    });
    textSeries.forEach((values, t) => {
      let sum = 0;
      let count = 0;
      for (let a = 0; a < m; a++) {
        const v = values[drawn[a]];
        if (Number.isFinite(v)) {
          sum += weight[drawn[a]] * v;
          count += weight[drawn[a]];
        }
      }
      textReps[t][r] = sum / count;
    });
  }
  // Jackknife over texts: without text i the mean over pairs is (T − R_i) / ((K−1)(K−2)/2), R_i its pairs' sum.
  const jackknifePairs = (v: Float64Array) => {
    const rows = new Float64Array(K);
    let total = 0;
    let p = 0;
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++, p++) {
        rows[i] += v[p];
        rows[j] += v[p];
        total += v[p];
      }
    }
    const rest = ((K - 1) * (K - 2)) / 2;
    return { estimate: total / P, jack: rows.map((r) => (total - r) / rest) };
  };
  return {
    pairs: series.map((v, s) => {
      const { estimate, jack } = jackknifePairs(v);
      return bcaInterval(pairReps[s], estimate, jack, level);
    }),
    texts: textSeries.map((v, t) => bcaInterval(textReps[t], finiteMean(v), jackknifeMeans(v), level)),
  };
}
