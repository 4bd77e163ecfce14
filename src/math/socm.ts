import { makeCloud, type Cloud } from './cloud';
import { SocmInputError, throwIfAborted } from './errors';
import { multiplyTransposed, singularValues } from './linalg';
import type { TokenMatrix } from './tokens';

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
 */
export function crossTrace(a: Cloud, b: Cloud): number {
  if (a.d !== b.d) throw new SocmInputError(`widths differ: ${a.d} vs ${b.d}`);
  const m = multiplyTransposed(a.factor, a.factorRows, b.factor, b.factorRows, a.d, 1 / Math.sqrt(a.n * b.n));
  const sigma = singularValues(m, a.factorRows, b.factorRows);
  let nuclear = 0;
  for (const s of sigma) nuclear += s;
  return nuclear;
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

export function pairStats(a: Cloud, b: Cloud): PairStats {
  if (a.d !== b.d) throw new SocmInputError(`text A has width ${a.d} but text B has width ${b.d}`);
  return combinePair(meanDistance(a.mean, b.mean), a.trace, b.trace, crossTrace(a, b), a.n, b.n);
}

/** SOCM of two raw token lists (spec: the whole pipeline, float64). */
export function socmOfTexts(a: TokenMatrix, b: TokenMatrix): PairStats {
  if (a.d !== b.d) throw new SocmInputError(`text A has width ${a.d} but text B has width ${b.d}`);
  return pairStats(makeCloud(a, 'text A'), makeCloud(b, 'text B'));
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

export function checkSameWidth(texts: readonly TokenMatrix[]): void {
  if (texts.length < 2) throw new SocmInputError(`need at least 2 texts for pairs, got ${texts.length}`);
  const d = texts[0].d;
  texts.forEach((t, i) => {
    if (t.d !== d) throw new SocmInputError(`text ${i} has width ${t.d} but text 0 has width ${d}`);
  });
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

/** All K(K−1)/2 pairs on the CPU, yielding to the event loop so progress and cancel work. */
export async function pairwiseCpu(texts: readonly TokenMatrix[], options: PairwiseOptions = {}): Promise<PairwiseResult> {
  checkSameWidth(texts);
  const clouds = texts.map((t, i) => makeCloud(t, `text ${i}`));
  const total = (clouds.length * (clouds.length - 1)) / 2;
  const pairs: PairRow[] = [];
  let flagged = 0;
  let lastYield = Date.now();
  for (let i = 0; i < clouds.length; i++) {
    for (let j = i + 1; j < clouds.length; j++) {
      const st = pairStats(clouds[i], clouds[j]);
      pairs.push([i, j, st.d1, st.d2, st.socm]);
      if (st.flags.length) flagged++;
      if (Date.now() - lastYield > 50) {
        options.onProgress?.({ done: pairs.length, total });
        await new Promise((r) => setTimeout(r, 0));
        throwIfAborted(options.signal);
        lastYield = Date.now();
      }
    }
  }
  options.onProgress?.({ done: total, total });
  return summarisePairs(pairs, flagged);
}
