/**
 * The sandbox's token clouds: two Gaussians in R^d whose means and covariance ellipses lie in
 * the plane of the first two coordinates (the plane the student drags in), plus an optional
 * spread spread evenly over the other d − 2 dimensions.
 *
 * Cloud X (n × d) row i:   x_i = μ + L z_i  (first two coordinates)   and   √off · y_i  (the rest)
 *   μ = (cos φ, sin φ)                  unit norm, as the spec's normalisation leaves every mean
 *   L = R(θ) · diag(√var1, √var2)       so the plane covariance is L Lᵀ
 *
 * 'exact' moments: z is centred and whitened (its biased sample covariance is exactly I) and y is
 * centred, made orthogonal to z's columns and scaled to total variance exactly 1, so the clouds'
 * sample mean is exactly μ, the plane covariance exactly L Lᵀ and the off-plane trace exactly
 * `off`. Then d1 and the plane part of d2 equal their closed forms (`populationStats`), and
 * targets like "SOCM exactly 1" can be met. 'sampled': plain draws, sampling noise included.
 */
import type { TokenMatrix } from '../math';
import { seededRandom } from './random';

export interface CloudParams {
  /** Tokens in the cloud (3 to 512). */
  n: number;
  /** Direction of the mean in the view plane, degrees. */
  angle: number;
  /** Variance along the ellipse's first and second axis. */
  var1: number;
  var2: number;
  /** Direction of the first axis, degrees. */
  axis: number;
  /** Total variance outside the view plane (used when d > 2). */
  off: number;
}

export type Moments = 'exact' | 'sampled';

export interface CloudsSpec {
  d: number;
  seed: number;
  moments: Moments;
  a: CloudParams;
  b: CloudParams;
}

/** cos and sin of whole degrees, exact at multiples of 90° (so "at right angles" is exact). */
export function cosSinDeg(deg: number): [number, number] {
  const k = ((deg % 360) + 360) % 360;
  if (k === 0) return [1, 0];
  if (k === 90) return [0, 1];
  if (k === 180) return [-1, 0];
  if (k === 270) return [0, -1];
  const r = (k * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r)];
}

/** The random part of one cloud, independent of where the mean and ellipse are put. */
export interface Noise {
  n: number;
  d: number;
  /** n × 2 */
  plane: Float64Array;
  /** n × (d − 2), total variance 1 (exactly, or in expectation when sampled) */
  off: Float64Array;
}

/** Cloud A draws from stream 0, B from stream 1: changing one cloud's token count leaves the other alone. */
export function drawNoise(seed: number, stream: number, n: number, d: number, moments: Moments): Noise {
  if (!(n >= 3)) throw new Error(`a sandbox cloud needs at least 3 tokens, got ${n}`);
  const random = seededRandom(seed, stream);
  const plane = new Float64Array(n * 2);
  for (let k = 0; k < plane.length; k++) plane[k] = random.normal();
  const m = d - 2;
  const off = new Float64Array(n * m);
  for (let k = 0; k < off.length; k++) off[k] = random.normal();
  if (moments === 'sampled') {
    if (m > 0) for (let k = 0; k < off.length; k++) off[k] /= Math.sqrt(m);
    return { n, d, plane, off };
  }
  whiten(plane, n);
  if (m > 0) {
    for (let j = 0; j < m; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += off[i * m + j];
      mean /= n;
      for (let i = 0; i < n; i++) off[i * m + j] -= mean;
      for (let c = 0; c < 2; c++) {
        // Columns of the whitened plane noise have squared norm n and are orthogonal.
        let dot = 0;
        for (let i = 0; i < n; i++) dot += off[i * m + j] * plane[2 * i + c];
        for (let i = 0; i < n; i++) off[i * m + j] -= (dot / n) * plane[2 * i + c];
      }
    }
    let total = 0;
    for (const x of off) total += x * x;
    const scale = total > 0 ? Math.sqrt(n / total) : 0;
    for (let k = 0; k < off.length; k++) off[k] *= scale;
  }
  return { n, d, plane, off };
}

/** Centres the n × 2 columns and whitens them: (1/n) zᵀz = I afterwards. */
function whiten(z: Float64Array, n: number): void {
  let m0 = 0, m1 = 0;
  for (let i = 0; i < n; i++) {
    m0 += z[2 * i];
    m1 += z[2 * i + 1];
  }
  m0 /= n;
  m1 /= n;
  let s00 = 0, s01 = 0, s11 = 0;
  for (let i = 0; i < n; i++) {
    const u = (z[2 * i] -= m0), v = (z[2 * i + 1] -= m1);
    s00 += u * u;
    s01 += u * v;
    s11 += v * v;
  }
  s00 /= n;
  s01 /= n;
  s11 /= n;
  // S^{-1/2} of the 2 × 2 sample covariance, by its eigen-decomposition.
  const half = (s00 - s11) / 2;
  const rad = Math.hypot(half, s01);
  const l1 = (s00 + s11) / 2 + rad, l2 = (s00 + s11) / 2 - rad;
  if (!(l2 > 1e-12 * l1)) throw new Error('the drawn noise is degenerate: try another seed');
  const phi = 0.5 * Math.atan2(2 * s01, s00 - s11);
  const c = Math.cos(phi), s = Math.sin(phi);
  const a1 = 1 / Math.sqrt(l1), a2 = 1 / Math.sqrt(l2);
  const w00 = a1 * c * c + a2 * s * s, w01 = (a1 - a2) * c * s, w11 = a1 * s * s + a2 * c * c;
  for (let i = 0; i < n; i++) {
    const u = z[2 * i], v = z[2 * i + 1];
    z[2 * i] = u * w00 + v * w01;
    z[2 * i + 1] = u * w01 + v * w11;
  }
}

/** The plane factor L = R(θ) diag(√var1, √var2), row-major [l00, l01, l10, l11]. */
export function planeFactor(c: CloudParams): [number, number, number, number] {
  const [ct, st] = cosSinDeg(c.axis);
  const r1 = Math.sqrt(c.var1), r2 = Math.sqrt(c.var2);
  return [ct * r1, -st * r2, st * r1, ct * r2];
}

/** Puts the noise where the parameters say: the tokens the engine measures. */
export function placeCloud(noise: Noise, c: CloudParams): TokenMatrix {
  const { n, d, plane, off } = noise;
  const [mx, my] = cosSinDeg(c.angle);
  const [l00, l01, l10, l11] = planeFactor(c);
  const m = d - 2;
  const s = Math.sqrt(c.off);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const z0 = plane[2 * i], z1 = plane[2 * i + 1];
    data[i * d] = mx + l00 * z0 + l01 * z1;
    data[i * d + 1] = my + l10 * z0 + l11 * z1;
    for (let j = 0; j < m; j++) data[i * d + 2 + j] = s * off[i * m + j];
  }
  return { n, d, data };
}

export function sandboxClouds(spec: CloudsSpec): { a: TokenMatrix; b: TokenMatrix } {
  return {
    a: placeCloud(drawNoise(spec.seed, 0, spec.a.n, spec.d, spec.moments), spec.a),
    b: placeCloud(drawNoise(spec.seed, 1, spec.b.n, spec.d, spec.moments), spec.b),
  };
}

/** The plane covariance L Lᵀ as [s00, s01, s11]. */
export function planeCovariance(c: CloudParams): [number, number, number] {
  const [l00, l01, l10, l11] = planeFactor(c);
  return [l00 * l00 + l01 * l01, l00 * l10 + l01 * l11, l10 * l10 + l11 * l11];
}

/**
 * d1, d2 and SOCM of the two Gaussians themselves, in closed form: d1 = (1 − cos Δφ)/2; the
 * plane part of BW² from tr((A^½ B A^½)^½) = √(tr(AB) + 2√(det A · det B)) for 2 × 2 A, B;
 * the isotropic off-plane parts add (√offA − √offB)². Exact-moment clouds with off = 0 (or
 * d = 2) have exactly these statistics.
 */
export function populationStats(spec: CloudsSpec): { d1: number; d2: number; socm: number; traceA: number; traceB: number } {
  const [ca, sa] = cosSinDeg(spec.a.angle);
  const [cb, sb] = cosSinDeg(spec.b.angle);
  const d1 = ((ca - cb) ** 2 + (sa - sb) ** 2) / 4;
  const [a00, a01, a11] = planeCovariance(spec.a);
  const [b00, b01, b11] = planeCovariance(spec.b);
  const trAB = a00 * b00 + 2 * a01 * b01 + a11 * b11;
  const detA = Math.max(0, a00 * a11 - a01 * a01), detB = Math.max(0, b00 * b11 - b01 * b01);
  const cross = Math.sqrt(Math.max(0, trAB + 2 * Math.sqrt(detA * detB)));
  const offA = spec.d > 2 ? spec.a.off : 0, offB = spec.d > 2 ? spec.b.off : 0;
  const traceA = a00 + a11 + offA, traceB = b00 + b11 + offB;
  const bw2 = Math.max(0, a00 + a11 + b00 + b11 - 2 * cross) + (Math.sqrt(offA) - Math.sqrt(offB)) ** 2;
  const d2 = bw2 / 4;
  return { d1, d2, socm: (1 - d1) * d2, traceA, traceB };
}
