import type { SocmEngine } from '../engine/types';
import { tokenCloud, type EncodedText, type EncoderInfo } from '../encoders/types';
import { cosine, euclideanNorm, l2Norm, l2Normalised, pooledVector, sifWeights, type PairStats, type PcaView, type Pooling } from '../math';
import { tokenProbabilities, type WordRanks } from './word-frequency';

export interface PooledPoint {
  pooling: Pooling;
  /** cos(pooled A, pooled B) = (v_A/||v_A||)·(v_B/||v_B||): what this pooling says about the pair. */
  cosine: number;
  /** ||v|| before L2 normalisation. */
  normA: number;
  normB: number;
  /** Where the pooled vectors fall on the panel's PCA axes, before and after L2 normalisation. */
  a: [number, number];
  b: [number, number];
  unitA: [number, number];
  unitB: [number, number];
  /** The pooled vectors themselves (in the normalised tokens' scale, X / ||mean(X)||). */
  vectorA: number[];
  vectorB: number[];
}

export interface CloudSide {
  tokens: string[];
  special: Uint8Array;
  /** Indices into the encoder's tokens of the rows that were measured. */
  rows: number[];
  truncated: boolean;
  fullLength: number;
  unknown: string[];
}

export interface PanelResult {
  stats: PairStats;
  view: PcaView;
  pooled: PooledPoint[];
  /** SIF weight of each measured token (aligned with `a.rows`, `b.rows`), when word ranks were given. */
  sif?: { a: number[]; b: number[] };
  /** Why there is no SIF-weighted pooling, when the word frequencies could not be loaded. */
  sifProblem?: string;
  a: CloudSide;
  b: CloudSide;
  /** 1-σ ellipse of each cloud in the projected plane: centre, semi-axes, angle (radians). */
  ellipses: [Ellipse, Ellipse];
  /** Where the time went: waiting (debounce or a run still busy), encoding (texts not cached), statistics. */
  timings: { encodeMs: number; statsMs: number; waitMs?: number; encodedTexts?: number };
}

export interface Ellipse { cx: number; cy: number; rx: number; ry: number; angle: number }

/** A plain-language reading of a pair's numbers (thresholds and when it says nothing: reading.ts). */
export { verdict as reading } from './reading';

function side(e: EncodedText, excludeSpecial: boolean): CloudSide {
  const rows = Array.from({ length: e.n }, (_, i) => i).filter((i) => !excludeSpecial || e.special[i] === 0);
  return { tokens: e.tokens, special: e.special, rows, truncated: e.truncated, fullLength: e.fullLength, unknown: e.unknown ?? [] };
}

function ellipse(points: Float64Array): Ellipse {
  const n = points.length / 2;
  let cx = 0, cy = 0;
  for (let i = 0; i < n; i++) { cx += points[2 * i]; cy += points[2 * i + 1]; }
  cx /= n; cy /= n;
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i] - cx, y = points[2 * i + 1] - cy;
    sxx += x * x; syy += y * y; sxy += x * y;
  }
  sxx /= n; syy /= n; sxy /= n;
  const mid = (sxx + syy) / 2;
  const rad = Math.sqrt(((sxx - syy) / 2) ** 2 + sxy ** 2);
  return { cx, cy, rx: Math.sqrt(Math.max(0, mid + rad)), ry: Math.sqrt(Math.max(0, mid - rad)), angle: 0.5 * Math.atan2(2 * sxy, sxx - syy) };
}

/** The poolings a model offers: CLS only where both texts start with a special token. */
export function poolingsFor(info: EncoderInfo, a: EncodedText, b: EncodedText, weighted: boolean): Pooling[] {
  const cls = info.kind === 'transformer' && a.special[0] === 1 && b.special[0] === 1;
  return (['mean', 'cls', 'max', 'last', 'weighted'] as const).filter((p) => (p !== 'cls' || cls) && (p !== 'weighted' || weighted));
}

/** One text's pooled vectors, all in the scale of its normalised tokens X / ||mean(X)||. */
export function pooledVectors(e: EncodedText, rows: number[], poolings: Pooling[], weights?: ArrayLike<number>): Map<Pooling, Float64Array> {
  const { d } = e;
  const cloud = new Float64Array(rows.length * d);
  rows.forEach((r, k) => {
    for (let j = 0; j < d; j++) cloud[k * d + j] = e.vectors[r * d + j];
  });
  const scale = 1 / euclideanNorm(pooledVector(cloud, rows.length, d, 'mean'));
  const out = new Map<Pooling, Float64Array>();
  for (const p of poolings) {
    // CLS is the encoder's first token even when special tokens are left out of the cloud.
    const v = p === 'cls' ? Float64Array.from(e.vectors.subarray(0, d)) : pooledVector(cloud, rows.length, d, p, weights);
    for (let j = 0; j < d; j++) v[j] *= scale;
    out.set(p, v);
  }
  return out;
}

/**
 * Everything a panel shows for one pair: SOCM and its parts and the PCA view from the engine
 * (WGSL or CPU), plus the vectors of every pooling (mean, CLS, max, last token, SIF-weighted
 * mean) in the normalised tokens' scale so they can be drawn on the same axes.
 */
export async function analysePair(
  engine: SocmEngine, a: EncodedText, b: EncodedText, info: EncoderInfo, excludeSpecial: boolean, encodeMs: number, ranks?: WordRanks,
): Promise<PanelResult> {
  const t = performance.now();
  const { stats, view } = await engine.analyse(tokenCloud(a, excludeSpecial), tokenCloud(b, excludeSpecial));
  const statsMs = performance.now() - t;
  const sideA = side(a, excludeSpecial);
  const sideB = side(b, excludeSpecial);
  const weightsOf = (e: EncodedText, s: CloudSide) => {
    const p = tokenProbabilities(e.tokens, e.special, ranks!);
    return Array.from(sifWeights(s.rows.map((r) => p[r])));
  };
  const sif = ranks ? { a: weightsOf(a, sideA), b: weightsOf(b, sideB) } : undefined;
  const poolings = poolingsFor(info, a, b, Boolean(sif));
  const vectorsA = pooledVectors(a, sideA.rows, poolings, sif?.a);
  const vectorsB = pooledVectors(b, sideB.rows, poolings, sif?.b);
  const project = (v: Float64Array): [number, number] => [dot(v, view.axes[0]), dot(v, view.axes[1])];
  const pooled = poolings.map((pooling): PooledPoint => {
    const pa = vectorsA.get(pooling)!;
    const pb = vectorsB.get(pooling)!;
    return {
      pooling, cosine: cosine(pa, pb), normA: l2Norm(pa), normB: l2Norm(pb),
      a: project(pa), b: project(pb), unitA: project(l2Normalised(pa)), unitB: project(l2Normalised(pb)),
      vectorA: Array.from(pa), vectorB: Array.from(pb),
    };
  });
  return {
    stats, view, pooled, sif, a: sideA, b: sideB,
    ellipses: [ellipse(view.pointsA), ellipse(view.pointsB)], timings: { encodeMs, statsMs },
  };
}

function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += x[j] * y[j];
  return s;
}
