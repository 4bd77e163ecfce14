/** Spearman's rank correlation (ties get average ranks) with a bootstrap interval. DOM-free. */
import { percentileInterval, type BootstrapOptions, type Interval, DEFAULT_REPLICATES } from './bootstrap';
import { randomIndex, seededRandom } from './random';

/** Ranks 1 … n; tied values share the mean of the ranks they span. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson's correlation; NaN when either side is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += x[k];
    my += y[k];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    const dx = x[k] - mx;
    const dy = y[k] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/** Spearman's ρ: Pearson's correlation of the average ranks (what scipy.stats.spearmanr computes). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`spearman needs paired values, got ${x.length} and ${y.length}`);
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Percentile bootstrap interval of ρ, resampling the (x, y) points with replacement. Replicates
 * where one side is constant (ρ undefined) are left out.
 */
export function spearmanInterval(x: ArrayLike<number>, y: ArrayLike<number>, options: BootstrapOptions = {}): Interval {
  const random = seededRandom(options.seed ?? 1);
  const replicates = options.replicates ?? DEFAULT_REPLICATES;
  const n = x.length;
  const reps = new Float64Array(replicates);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let r = 0; r < replicates; r++) {
    for (let k = 0; k < n; k++) {
      const pick = randomIndex(random, n);
      xs[k] = x[pick];
      ys[k] = y[pick];
    }
    reps[r] = spearman(xs, ys);
  }
  return percentileInterval(reps, options.level ?? 0.95);
}
