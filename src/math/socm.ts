import { makeCloud, type Cloud } from './cloud';
import { SocmInputError, throwIfAborted } from './errors';
import { typeScriptKernels, type PairKernels } from './kernels';
import { packClouds, pairIndex, planPanels, planTiles, tilePairs, type PackedClouds, type Panel } from './packed';
import { checkSameWidth, type TokenMatrix } from './tokens';

/** Flags raised on a pair; never a silent clip. */
export type PairFlag = 'trace-over-2';

/** Everything the spec asks for on one pair of texts. */
export interface PairStats {
  d1: number;
  d2: number;
  socm: number;
  traceA: number;
  traceB: number;
  tokensA: number;
  tokensB: number;
  flags: PairFlag[];
}

/** The paper's assumption tr Σ ≤ 2 keeps d2 in [0, 1]. */
export const TRACE_LIMIT = 2;

/** d1 = ||μ_A − μ_B||² / 4 (spec §4.2.1). */
export function meanDistance(muA: ArrayLike<number>, muB: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < muA.length; j++) {
    const t = muA[j] - muB[j];
    s += t * t;
  }
  return s / 4;
}

/**
 * tr((Σ_A^{1/2} Σ_B Σ_A^{1/2})^{1/2}) = ||F_A F_Bᵀ||_* / √(n_A n_B), where F is each
 * cloud's cross factor (C, or R when n > d): an r_A × r_B problem, never d × d square roots.
 * The nuclear norm comes from a bidiagonal SVD (src/math/svd.ts), never from eig of a square.
 */
export function crossTrace(a: Cloud, b: Cloud, kernels: PairKernels = typeScriptKernels): number {
  if (a.d !== b.d) throw new SocmInputError(`widths differ: ${a.d} vs ${b.d}`);
  return scaleNuclear(kernels.crossNuclear(a.factor, a.factorRows, b.factor, b.factorRows, a.d), a.n, b.n);
}

/** ||F_A F_Bᵀ||_* → the cross term (one formula for every route, so they round alike). */
export function scaleNuclear(nuclear: number, nA: number, nB: number): number {
  return nuclear / Math.sqrt(nA * nB);
}

/** Combines the parts into the reported statistics (shared by every route). */
export function combinePair(
  d1: number, traceA: number, traceB: number, cross: number, tokensA: number, tokensB: number,
): PairStats {
  // BW² ≥ 0; a rounding residue below zero is not a distance.
  const d2 = Math.max(0, traceA + traceB - 2 * cross) / 4;
  return { d1, d2, socm: (1 - d1) * d2, traceA, traceB, tokensA, tokensB, flags: flagsFor(traceA, traceB) };
}

export function flagsFor(traceA: number, traceB: number): PairFlag[] {
  return traceA > TRACE_LIMIT || traceB > TRACE_LIMIT ? ['trace-over-2'] : [];
}

export function pairStats(a: Cloud, b: Cloud, kernels: PairKernels = typeScriptKernels): PairStats {
  if (a.d !== b.d) throw new SocmInputError(`text A has width ${a.d} but text B has width ${b.d}`);
  return combinePair(meanDistance(a.mean, b.mean), a.trace, b.trace, crossTrace(a, b, kernels), a.n, b.n);
}

/** SOCM of two raw token lists (spec: the whole pipeline, float64). */
export function socmOfTexts(a: TokenMatrix, b: TokenMatrix, kernels: PairKernels = typeScriptKernels): PairStats {
  if (a.d !== b.d) throw new SocmInputError(`text A has width ${a.d} but text B has width ${b.d}`);
  return pairStats(makeCloud(a, 'text A'), makeCloud(b, 'text B'), kernels);
}

/** One row of an all-pairs result: [i, j, d1, d2, socm]. */
export type PairRow = [number, number, number, number, number];

export interface PairwiseResult {
  pairs: PairRow[];
  mean_socm: number;
  mean_d1: number;
  mean_d2: number;
  /** Pairs with a `trace-over-2` flag. */
  flagged: number;
}

export interface PairwiseProgress {
  done: number;
  total: number;
}

export interface PairwiseOptions {
  onProgress?: (p: PairwiseProgress) => void;
  signal?: AbortSignal;
  /** GPU only: pairs per dispatch batch (progress and cancellation happen between batches). */
  batchSize?: number;
}

export function summarisePairs(pairs: PairRow[], flagged: number): PairwiseResult {
  let s1 = 0, s2 = 0, s = 0;
  for (const [, , d1, d2, socm] of pairs) {
    s1 += d1;
    s2 += d2;
    s += socm;
  }
  const k = pairs.length;
  return { pairs, mean_socm: s / k, mean_d1: s1 / k, mean_d2: s2 / k, flagged };
}

/** Rows of the all-pairs Gram per tile: big enough for the SIMD kernel, small enough for the cache. */
export const TILE_ROWS = 240;

/**
 * The d1 and nuclear norms of one tile's pairs (tilePairs order): the unit of work that the
 * main thread or a worker runs. d1 comes from the means directly, never from a Gram of means.
 */
export function tileParts(packed: PackedClouds, a: Panel, b: Panel, kernels: PairKernels, nuclear: Float64Array, d1: Float64Array): void {
  kernels.tileNuclear(packed, a, b, nuclear);
  const { d, means } = packed;
  tilePairs(a, b, (i, j, k) => {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const x = means[i * d + t] - means[j * d + t];
      s += x * x;
    }
    d1[k] = s / 4;
  });
}

/** The d1 and nuclear norms of any pairs (is[k], js[k]) of a packed corpus: the unit of work of a pair list. */
export function pairParts(
  packed: PackedClouds, is: ArrayLike<number>, js: ArrayLike<number>, kernels: PairKernels, nuclear: Float64Array, d1: Float64Array,
): void {
  const { d, means } = packed;
  for (let k = 0; k < is.length; k++) {
    const i = is[k];
    const j = js[k];
    nuclear[k] = kernels.packedPairNuclear(packed, i, j);
    let s = 0;
    for (let t = 0; t < d; t++) {
      const x = means[i * d + t] - means[j * d + t];
      s += x * x;
    }
    d1[k] = s / 4;
  }
}

/** Collects tiles' parts into the lexicographic list of pairs and their summary. */
export class PairCollector {
  readonly total: number;
  private readonly nuclear: Float64Array;
  private readonly d1: Float64Array;
  done = 0;

  constructor(readonly packed: PackedClouds) {
    const K = packed.count;
    this.total = (K * (K - 1)) / 2;
    this.nuclear = new Float64Array(this.total);
    this.d1 = new Float64Array(this.total);
  }

  add(a: Panel, b: Panel, nuclear: Float64Array, d1: Float64Array): void {
    const K = this.packed.count;
    tilePairs(a, b, (i, j, k) => {
      const at = pairIndex(i, j, K);
      this.nuclear[at] = nuclear[k];
      this.d1[at] = d1[k];
      this.done++;
    });
  }

  result(): PairwiseResult {
    const { count: K, tokens, traces } = this.packed;
    const pairs: PairRow[] = new Array(this.total);
    let flagged = 0;
    let at = 0;
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++, at++) {
        const st = combinePair(this.d1[at], traces[i], traces[j], scaleNuclear(this.nuclear[at], tokens[i], tokens[j]), tokens[i], tokens[j]);
        pairs[at] = [i, j, st.d1, st.d2, st.socm];
        if (st.flags.length) flagged++;
      }
    }
    return summarisePairs(pairs, flagged);
  }
}

/**
 * All K(K−1)/2 pairs on this thread: the all-pairs Gram of the packed factors, one tile at a
 * time (never K × K × n² at once), each tile's blocks reduced to nuclear norms. Yields to the
 * event loop between tiles so progress and cancel work. `kernels` defaults to TypeScript.
 */
export async function pairwiseCpu(
  texts: readonly TokenMatrix[], options: PairwiseOptions = {}, kernels: PairKernels = typeScriptKernels,
): Promise<PairwiseResult> {
  checkSameWidth(texts);
  const packed = packClouds(texts);
  const panels = planPanels(packed, TILE_ROWS);
  const collector = new PairCollector(packed);
  let lastYield = Date.now();
  throwIfAborted(options.signal);
  for (const tile of planTiles(panels)) {
    const nuclear = new Float64Array(tile.pairs);
    const d1 = new Float64Array(tile.pairs);
    tileParts(packed, panels[tile.p], panels[tile.q], kernels, nuclear, d1);
    collector.add(panels[tile.p], panels[tile.q], nuclear, d1);
    if (collector.done < collector.total) {
      options.onProgress?.({ done: collector.done, total: collector.total });
      // Let the event loop run (progress bars, a Cancel click) every 50 ms.
      if (Date.now() - lastYield > 50) {
        await new Promise((r) => setTimeout(r, 0));
        lastYield = Date.now();
      }
      throwIfAborted(options.signal);
    }
  }
  options.onProgress?.({ done: collector.total, total: collector.total });
  return collector.result();
}
