import { centreText } from './cloud';
import { householderR } from './linalg';
import { checkSameWidth, type TokenMatrix } from './tokens';

/**
 * Every text of a corpus reduced to what its pairs need, in flat arrays that can be shared
 * with workers: the cross factors F_i stacked row-wise (text i's r_i rows contiguous, from
 * row rowOffset[i]), the means μ_i and tr Σ_i. Nothing else is kept (no X~, no C beside F).
 */
export interface PackedClouds {
  readonly count: number;
  readonly d: number;
  /** Token counts n_i. */
  readonly tokens: Int32Array;
  /** r_i = min(n_i, d): rows of F_i. */
  readonly factorRows: Int32Array;
  /** First row of F_i in `factors`. */
  readonly rowOffset: Int32Array;
  /** Σ r_i rows × d, row-major. */
  readonly factors: Float64Array;
  /** count × d. */
  readonly means: Float64Array;
  readonly traces: Float64Array;
}

/** Where the packed arrays live: ordinary memory, or a SharedArrayBuffer that workers can read. */
export type Allocate = (bytes: number) => ArrayBufferLike;
export const allocateLocal: Allocate = (bytes) => new ArrayBuffer(bytes);

/** Checks, normalises and packs texts (labels "text i" in errors, as pairwise reports them). */
export function packClouds(texts: readonly TokenMatrix[], allocate: Allocate = allocateLocal): PackedClouds {
  checkSameWidth(texts);
  const count = texts.length;
  const d = texts[0].d;
  const tokens = Int32Array.from(texts, (t) => t.n);
  const factorRows = Int32Array.from(texts, (t) => Math.min(t.n, d));
  const rowOffset = new Int32Array(count);
  let rows = 0;
  for (let i = 0; i < count; i++) {
    rowOffset[i] = rows;
    rows += factorRows[i];
  }
  const factors = new Float64Array(allocate(rows * d * 8));
  const means = new Float64Array(allocate(count * d * 8));
  const traces = new Float64Array(allocate(count * 8));
  let scratch = new Float64Array(0);
  texts.forEach((x, i) => {
    const label = `text ${i}`;
    if (x.n <= d) {
      traces[i] = centreText(x, label, factors, rowOffset[i] * d, means, i * d);
    } else {
      // n > d: F is the d × d R of a QR of C (FᵀF = CᵀC), so the pair problems stay ≤ d.
      if (scratch.length < x.n * d) scratch = new Float64Array(x.n * d);
      const centred = scratch.subarray(0, x.n * d);
      traces[i] = centreText(x, label, centred, 0, means, i * d);
      factors.set(householderR(centred, x.n, d), rowOffset[i] * d);
    }
  });
  return { count, d, tokens, factorRows, rowOffset, factors, means, traces };
}

/** Consecutive texts whose factors together have at most `maxRows` rows (one text may exceed it). */
export interface Panel {
  readonly first: number;
  readonly end: number;
  /** First packed row and number of rows. */
  readonly row: number;
  readonly rows: number;
}

export function planPanels(packed: Pick<PackedClouds, 'count' | 'factorRows' | 'rowOffset'>, maxRows: number): Panel[] {
  const panels: Panel[] = [];
  let first = 0;
  while (first < packed.count) {
    let end = first + 1;
    let rows = packed.factorRows[first];
    while (end < packed.count && rows + packed.factorRows[end] <= maxRows) rows += packed.factorRows[end++];
    panels.push({ first, end, row: packed.rowOffset[first], rows });
    first = end;
  }
  return panels;
}

/**
 * One tile of the all-pairs Gram: the block of panel p's rows against panel q's (p ≤ q). Its
 * pairs are (i, j), i in p, j in q, i < j, in that nested order (see tilePairs).
 */
export interface Tile {
  readonly p: number;
  readonly q: number;
  readonly pairs: number;
}

/** The tiles of the upper triangle, every pair (i < j) in exactly one, none without pairs. */
export function planTiles(panels: readonly Panel[]): Tile[] {
  const tiles: Tile[] = [];
  for (let p = 0; p < panels.length; p++) {
    for (let q = p; q < panels.length; q++) {
      const a = panels[p];
      const b = panels[q];
      const size = a.end - a.first;
      const pairs = p === q ? (size * (size - 1)) / 2 : size * (b.end - b.first);
      if (pairs > 0) tiles.push({ p, q, pairs });
    }
  }
  return tiles;
}

/** Calls fn(i, j, k) for the tile's pairs in order, k = 0, 1, … */
export function tilePairs(a: Panel, b: Panel, fn: (i: number, j: number, k: number) => void): void {
  let k = 0;
  for (let i = a.first; i < a.end; i++) {
    for (let j = Math.max(b.first, i + 1); j < b.end; j++) fn(i, j, k++);
  }
}

/** Index of pair (i, j), i < j, in the lexicographic list of all K(K−1)/2 pairs. */
export function pairIndex(i: number, j: number, count: number): number {
  return i * count - (i * (i + 1)) / 2 + (j - i - 1);
}
