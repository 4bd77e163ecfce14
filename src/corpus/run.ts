import type { SocmEngine } from '../engine/types';
import { csvField } from './parse';
import { concentration, makeCloud, type PairRow, type PairwiseProgress, type TokenMatrix } from '../math';

/** The paper's Table 1 numbers for one encoder on one corpus, and every pair. */
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

export interface CorpusResult {
  summary: CorpusSummary;
  rows: PairRow[];
  traces: Float64Array;
  withinCosine: Float64Array;
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/**
 * All K(K−1)/2 pairs of a corpus's token clouds on the engine (WGSL batches or the CPU), with
 * progress and cancellation, plus within-text concentration. Memory: the per-text clouds and one
 * row per pair; no K × K × d or d × d per pair.
 */
export async function runCorpus(
  engine: SocmEngine,
  clouds: readonly TokenMatrix[],
  options: { onProgress?: (p: PairwiseProgress) => void; signal?: AbortSignal } = {},
): Promise<CorpusResult> {
  // About fifty batches: progress moves and Cancel answers within ~2% of the run.
  const total = (clouds.length * (clouds.length - 1)) / 2;
  const result = await engine.pairwise(clouds, { ...options, batchSize: Math.min(8192, Math.max(256, Math.ceil(total / 50))) });
  const traces = new Float64Array(clouds.length);
  const withinCosine = new Float64Array(clouds.length);
  clouds.forEach((c, i) => {
    const cloud = makeCloud(c, `text ${i}`);
    const conc = concentration(cloud);
    traces[i] = cloud.trace;
    withinCosine[i] = conc.meanWithinCosine;
  });
  const cosines = Array.from(withinCosine).filter(Number.isFinite);
  return {
    rows: result.pairs,
    traces,
    withinCosine,
    summary: {
      texts: clouds.length,
      pairs: result.pairs.length,
      mean_socm: result.mean_socm,
      median_socm: median(result.pairs.map((r) => r[4])),
      mean_d1: result.mean_d1,
      mean_d2: result.mean_d2,
      mean_trace: traces.reduce((s, x) => s + x, 0) / clouds.length,
      mean_within_cosine: cosines.reduce((s, x) => s + x, 0) / cosines.length,
      flagged: result.flagged,
    },
  };
}

/** Per-pair CSV: i, j, d1, d2, socm (and the two texts when given). */
export function pairsCsv(rows: readonly PairRow[], texts?: readonly string[]): string {
  const q = (s: string) => csvField(s, true);
  const head = texts ? 'i,j,d1,d2,socm,text_i,text_j' : 'i,j,d1,d2,socm';
  return `${[head, ...rows.map(([i, j, d1, d2, s]) => [i, j, d1, d2, s, ...(texts ? [q(texts[i]), q(texts[j])] : [])].join(','))].join('\n')}\n`;
}
