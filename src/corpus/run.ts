import type { SocmEngine } from '../engine/types';
import { csvField } from './parse';
import { concentration, makeCloud, throwIfAborted, type PairRow, type PairwiseProgress, type TokenMatrix } from '../math';
import { bootstrapAllPairs, bootstrapMeans, finiteMean, type BootstrapOptions, type Interval } from './bootstrap';
import { pairMeasurer } from './engine-pairs';
import { allPairsPlan, planPairs, type PairPlan } from './pairs';

/** The paper's Table 1 numbers for one encoder on one corpus. */
export interface CorpusSummary {
  texts: number;
  pairs: number;
  mean_socm: number;
  median_socm: number;
  mean_d1: number;
  mean_d2: number;
  /** Mean tr Σ over texts (spread², paper §6). */
  mean_trace: number;
  /** Mean over texts of the average pairwise token cosine within the text (texts of ≥ 2 tokens). */
  mean_within_cosine: number;
  /** Pairs where a text has tr Σ > 2 (d2 may exceed 1 there). */
  flagged: number;
}

/** Bootstrap 95% intervals of each mean in a CorpusSummary. */
export interface CorpusIntervals {
  /** Of mean_socm; null where there is nothing to resample (a single pair, or two texts' one pair). */
  ci95: Interval | null;
  ci95_d1: Interval | null;
  ci95_d2: Interval | null;
  ci95_trace: Interval | null;
  ci95_within_cosine: Interval | null;
  /**
   * What was resampled: 'texts' for all pairs of a corpus (how the means would move with another
   * corpus of as many texts), 'pairs' for a pair list or a sample of pairs (for a sample: how close
   * the estimate is to the mean over every pair of this corpus).
   */
  ci_resampled: 'texts' | 'pairs';
  bootstrap_replicates: number;
}

export interface CorpusResult {
  summary: CorpusSummary;
  rows: PairRow[];
  traces: Float64Array;
  withinCosine: Float64Array;
}

/** Every measured pair, kept compactly (three float64s a pair: 12 MB for the paper's 499,500). */
export interface MeasuredPairs {
  plan: PairPlan;
  d1: Float64Array;
  d2: Float64Array;
  socm: Float64Array;
  flagged: number;
}

export interface MeasureOptions {
  /** Each batch's rows [i, j, d1, d2, socm] (plan indices) as soon as they are computed; awaited. */
  onRows?: (rows: PairRow[]) => void | Promise<void>;
  onProgress?: (p: PairwiseProgress) => void;
  signal?: AbortSignal;
  /** Pairs per batch (default: about fifty batches, 256 … 8192). */
  batchSize?: number;
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/**
 * d1, d2, SOCM for the plan's pairs of the texts' token clouds, batch by batch on the engine (WGSL
 * batches or the CPU), streaming each batch to onRows. Memory: the clouds, three numbers per pair
 * and one batch of rows; never a K × K × d array or a d × d matrix per pair.
 */
export async function measurePairs(
  engine: SocmEngine,
  clouds: readonly TokenMatrix[],
  plan: PairPlan,
  options: MeasureOptions = {},
): Promise<MeasuredPairs> {
  if (clouds.length !== plan.texts) throw new RangeError(`the plan indexes ${plan.texts} texts, but ${clouds.length} were given`);
  const total = plan.count;
  const out: MeasuredPairs = { plan, d1: new Float64Array(total), d2: new Float64Array(total), socm: new Float64Array(total), flagged: 0 };
  const batch = options.batchSize ?? Math.min(8192, Math.max(256, Math.ceil(total / 50)));
  const measurer = await pairMeasurer(engine, clouds);
  try {
    const pairs = planPairs(plan);
    for (let start = 0; start < total; start += batch) {
      throwIfAborted(options.signal);
      const count = Math.min(batch, total - start);
      const is = new Uint32Array(count);
      const js = new Uint32Array(count);
      for (let k = 0; k < count; k++) [is[k], js[k]] = pairs.next().value as [number, number];
      const v = await measurer.measure(is, js, options.signal);
      out.d1.set(v.d1, start);
      out.d2.set(v.d2, start);
      out.socm.set(v.socm, start);
      for (let k = 0; k < count; k++) out.flagged += v.flagged[k];
      if (options.onRows) await options.onRows(Array.from(is, (i, k): PairRow => [i, js[k], v.d1[k], v.d2[k], v.socm[k]]));
      options.onProgress?.({ done: start + count, total });
    }
  } finally {
    measurer.dispose();
  }
  return out;
}

/** Within-text concentration (paper §6) of each text: tr Σ and the mean token cosine (NaN for one token). */
export function textConcentration(clouds: readonly TokenMatrix[]): { traces: Float64Array; withinCosine: Float64Array } {
  const traces = new Float64Array(clouds.length);
  const withinCosine = new Float64Array(clouds.length);
  clouds.forEach((c, i) => {
    const cloud = makeCloud(c, `text ${i}`);
    traces[i] = cloud.trace;
    withinCosine[i] = concentration(cloud).meanWithinCosine;
  });
  return { traces, withinCosine };
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < values.length; k++) s += values[k];
  return s / values.length;
}

/** The Table 1 summary of measured pairs and their texts' concentration. */
export function summarise(measured: MeasuredPairs, traces: Float64Array, withinCosine: Float64Array): CorpusSummary {
  return {
    texts: measured.plan.texts,
    pairs: measured.plan.count,
    mean_socm: mean(measured.socm),
    median_socm: median(measured.socm),
    mean_d1: mean(measured.d1),
    mean_d2: mean(measured.d2),
    mean_trace: mean(traces),
    mean_within_cosine: finiteMean(withinCosine),
    flagged: measured.flagged,
  };
}

/** Bootstrap intervals of the summary's means (texts resampled for all pairs, pairs otherwise). */
export function summaryIntervals(
  measured: MeasuredPairs,
  traces: Float64Array,
  withinCosine: Float64Array,
  options: BootstrapOptions = {},
): CorpusIntervals {
  const replicates = options.replicates ?? 1000;
  // One resampled unit (a single pair; two texts' one pair) has no spread to show: no interval, not [x, x].
  const some = (ci: Interval) => (Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? ci : null);
  if (measured.plan.kind === 'all') {
    const ci = measured.plan.texts >= 3
      ? bootstrapAllPairs(measured.plan.texts, [measured.socm, measured.d1, measured.d2], [traces, withinCosine], options)
      : { pairs: [NO_INTERVAL, NO_INTERVAL, NO_INTERVAL], texts: [NO_INTERVAL, NO_INTERVAL] };
    return {
      ci95: some(ci.pairs[0]), ci95_d1: some(ci.pairs[1]), ci95_d2: some(ci.pairs[2]), ci95_trace: some(ci.texts[0]), ci95_within_cosine: some(ci.texts[1]),
      ci_resampled: 'texts', bootstrap_replicates: replicates,
    };
  }
  const one = measured.plan.count < 2;
  const [socm, d1, d2] = one ? [NO_INTERVAL, NO_INTERVAL, NO_INTERVAL] : bootstrapMeans([measured.socm, measured.d1, measured.d2], options);
  const [trace, cosine] = traces.length < 2 ? [NO_INTERVAL, NO_INTERVAL] : bootstrapMeans([traces, withinCosine], options);
  return {
    ci95: some(socm), ci95_d1: some(d1), ci95_d2: some(d2), ci95_trace: some(trace), ci95_within_cosine: some(cosine), ci_resampled: 'pairs', bootstrap_replicates: replicates,
  };
}

const NO_INTERVAL: Interval = [Number.NaN, Number.NaN];

/**
 * All K(K−1)/2 pairs of a corpus's token clouds on the engine (WGSL batches or the CPU), with
 * progress and cancellation, plus within-text concentration, every row kept (the app's corpus view).
 */
export async function runCorpus(
  engine: SocmEngine,
  clouds: readonly TokenMatrix[],
  options: { onProgress?: (p: PairwiseProgress) => void; signal?: AbortSignal } = {},
): Promise<CorpusResult> {
  const rows: PairRow[] = [];
  const measured = await measurePairs(engine, clouds, allPairsPlan(clouds.length), {
    ...options,
    onRows: (batch) => {
      for (const r of batch) rows.push(r);
    },
  });
  const { traces, withinCosine } = textConcentration(clouds);
  return { rows, traces, withinCosine, summary: summarise(measured, traces, withinCosine) };
}

/** Per-pair CSV: i, j, d1, d2, socm (and the two texts when given). */
export function pairsCsv(rows: readonly PairRow[], texts?: readonly string[]): string {
  const q = (s: string) => csvField(s, true);
  const head = texts ? 'i,j,d1,d2,socm,text_i,text_j' : 'i,j,d1,d2,socm';
  return `${[head, ...rows.map(([i, j, d1, d2, s]) => [i, j, d1, d2, s, ...(texts ? [q(texts[i]), q(texts[j])] : [])].join(','))].join('\n')}\n`;
}
