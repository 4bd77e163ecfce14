import type { SocmEngine } from '../engine/types';
import { tokenCloud, type EncodedText, type EncoderInfo } from '../encoders/types';
import { cosine, makeCloud, pooledVector, type PairStats, type PcaView, type Pooling } from '../math';

export interface PooledPoint {
  pooling: Pooling;
  /** cos(pooled A, pooled B): what this pooling says about the pair. */
  cosine: number;
  /** Where the pooled vectors fall on the panel's PCA axes. */
  a: [number, number];
  b: [number, number];
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
  a: CloudSide;
  b: CloudSide;
  /** 1-σ ellipse of each cloud in the projected plane: centre, semi-axes, angle (radians). */
  ellipses: [Ellipse, Ellipse];
  timings: { encodeMs: number; statsMs: number };
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

/**
 * Everything a panel shows for one pair: SOCM and its parts and the PCA view from the engine
 * (WGSL or CPU), plus pooled vectors (mean, CLS, max; last-token for decoders) computed from the
 * same normalised tokens so they can be drawn on the same axes.
 */
export async function analysePair(
  engine: SocmEngine, a: EncodedText, b: EncodedText, info: EncoderInfo, excludeSpecial: boolean, encodeMs: number,
): Promise<PanelResult> {
  const t = performance.now();
  const cloudA = tokenCloud(a, excludeSpecial);
  const cloudB = tokenCloud(b, excludeSpecial);
  const { stats, view } = await engine.analyse(cloudA, cloudB);
  const statsMs = performance.now() - t;
  const normA = makeCloud(cloudA, 'text A');
  const normB = makeCloud(cloudB, 'text B');
  const poolings: Pooling[] = info.kind === 'static' ? ['mean', 'max'] : info.decoder ? ['mean', 'last', 'max'] : ['mean', 'cls', 'max'];
  const project = (v: Float64Array): [number, number] => [dot(v, view.axes[0]), dot(v, view.axes[1])];
  const pooled = poolings.map((pooling) => {
    const pa = pooledVector(normA.tokens, normA.n, normA.d, pooling);
    const pb = pooledVector(normB.tokens, normB.n, normB.d, pooling);
    return { pooling, cosine: cosine(pa, pb), a: project(pa), b: project(pb) };
  });
  return {
    stats, view, pooled, a: side(a, excludeSpecial), b: side(b, excludeSpecial),
    ellipses: [ellipse(view.pointsA), ellipse(view.pointsB)], timings: { encodeMs, statsMs },
  };
}

function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += x[j] * y[j];
  return s;
}
