import { makeCloud, type Cloud } from './cloud';
import { SocmInputError } from './errors';
import { jacobiOrthogonalise } from './linalg';
import type { TokenMatrix } from './tokens';

/** The 2-D view of a pair (spec: PCA without centring, on both texts' normalised tokens). */
export interface PcaView {
  /** v1, v2 (length d each). */
  axes: [Float64Array, Float64Array];
  /** σ1 ≥ σ2: top singular values of [X~_A; X~_B]. */
  singularValues: [number, number];
  /** (σ1² + σ2²) / ||[X~_A; X~_B]||_F²: the share of energy the two axes keep. */
  energyShare: number;
  /** Token coordinates (x·v1, x·v2), row-major n × 2. */
  pointsA: Float64Array;
  pointsB: Float64Array;
  meanA: [number, number];
  meanB: [number, number];
}

/**
 * Top-2 right singular vectors of the stacked normalised tokens, by one-sided Jacobi
 * on whichever side is thinner. Signs are fixed so the mean projection on each axis is
 * positive: the picture does not flip while a person types.
 */
export function pcaOfClouds(a: Cloud, b: Cloud): PcaView {
  if (a.d !== b.d) throw new SocmInputError(`text A has width ${a.d} but text B has width ${b.d}`);
  const d = a.d;
  const rows = a.n + b.n;
  const stacked = new Float64Array(rows * d);
  stacked.set(a.tokens, 0);
  stacked.set(b.tokens, a.tokens.length);

  let axes: Float64Array[];
  let sigma: number[];
  if (rows <= d) {
    // Columns of Sᵀ are the tokens: B = Sᵀ J has columns σ_k v_k.
    const cols = Array.from({ length: rows }, (_, i) => stacked.slice(i * d, (i + 1) * d));
    const res = jacobiOrthogonalise(cols);
    const order = topTwo(res.sigma);
    sigma = order.map((k) => res.sigma[k]);
    axes = order.map((k, t) => (sigma[t] > 0 ? res.columns[k].map((x) => x / sigma[t]) : new Float64Array(d)));
  } else {
    // Columns of S (length rows): S J = U Σ, so the right singular vectors are J's columns.
    const cols = Array.from({ length: d }, (_, j) => {
      const c = new Float64Array(rows);
      for (let i = 0; i < rows; i++) c[i] = stacked[i * d + j];
      return c;
    });
    const res = jacobiOrthogonalise(cols, true);
    const order = topTwo(res.sigma);
    sigma = order.map((k) => res.sigma[k]);
    axes = order.map((k) => Float64Array.from({ length: d }, (_, r) => res.rotations![r * d + k]));
  }
  if (d === 1) axes[1] = new Float64Array(1);
  else if (!(sigma[1] > 1e-12 * sigma[0])) completeAxes(axes, d);

  // Sign: make the mean of all projections on each axis non-negative.
  const total = new Float64Array(d);
  for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) total[j] += stacked[i * d + j];
  for (const v of axes) fixSign(v, total);

  let energy = 0;
  for (const x of stacked) energy += x * x;
  return {
    axes: [axes[0], axes[1]],
    singularValues: [sigma[0], sigma[1] ?? 0],
    energyShare: energy > 0 ? (sigma[0] ** 2 + (sigma[1] ?? 0) ** 2) / energy : 0,
    pointsA: project(a.tokens, a.n, d, axes),
    pointsB: project(b.tokens, b.n, d, axes),
    meanA: [dot(a.mean, axes[0]), dot(a.mean, axes[1])],
    meanB: [dot(b.mean, axes[0]), dot(b.mean, axes[1])],
  };
}

export function pcaOfTexts(a: TokenMatrix, b: TokenMatrix): PcaView {
  return pcaOfClouds(makeCloud(a, 'text A'), makeCloud(b, 'text B'));
}

function topTwo(sigma: Float64Array): number[] {
  const order = Array.from(sigma.keys()).sort((i, j) => sigma[j] - sigma[i] || i - j);
  return order.length >= 2 ? order.slice(0, 2) : [order[0], order[0]];
}

/** When the cloud has rank < 2, v2 is any unit vector ⟂ v1: take the basis vector least aligned with v1. */
function completeAxes(axes: Float64Array[], d: number): void {
  const v1 = axes[0];
  let k = 0;
  for (let j = 1; j < d; j++) if (Math.abs(v1[j]) < Math.abs(v1[k])) k = j;
  const v2 = new Float64Array(d);
  v2[k] = 1;
  const c = v1[k];
  for (let j = 0; j < d; j++) v2[j] -= c * v1[j];
  const norm = Math.sqrt(dot(v2, v2));
  for (let j = 0; j < d; j++) v2[j] /= norm;
  axes[1] = v2;
}

/** Flip v so that v·total ≥ 0 (ties: largest |component| positive). Shared rule with the WGSL kernel. */
export function fixSign(v: Float64Array, total: ArrayLike<number>): void {
  let s = dot(v, total);
  if (s === 0) {
    let k = 0;
    for (let j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[k])) k = j;
    s = v[k];
  }
  if (s < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j];
}

function project(tokens: Float64Array, n: number, d: number, axes: Float64Array[]): Float64Array {
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const row = tokens.subarray(i * d, (i + 1) * d);
    out[2 * i] = dot(row, axes[0]);
    out[2 * i + 1] = dot(row, axes[1]);
  }
  return out;
}

function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += x[j] * y[j];
  return s;
}
