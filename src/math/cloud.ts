import { SocmInputError } from './errors';
import { householderR } from './linalg';
import { checkTokenMatrix, powerOfTwoFactors, prescaleExponent, type TokenMatrix } from './tokens';

/**
 * A text's normalised token cloud (spec: Normalisation, First- and second-order statistics).
 * All arrays are float64, row-major.
 */
export interface Cloud {
  readonly n: number;
  readonly d: number;
  /** X~ = X / ||mean(X)||, n × d. */
  readonly tokens: Float64Array;
  /** μ = mean(X~), unit norm up to rounding, length d. */
  readonly mean: Float64Array;
  /** C = X~ − 1μᵀ, n × d. */
  readonly centred: Float64Array;
  /** tr Σ = ||C||_F² / n. */
  readonly trace: number;
  /**
   * The cross factor F (r × d, r = min(n, d)) with FᵀF = CᵀC: C itself when n ≤ d,
   * else the R of a Householder QR of C. A pair's cross term only needs F_A F_Bᵀ.
   */
  readonly factor: Float64Array;
  readonly factorRows: number;
}

/** Builds the normalised cloud of one text. Throws SocmInputError when it cannot be scored. */
export function makeCloud(x: TokenMatrix, label = 'text'): Cloud {
  const { n, d } = x;
  const tokens = new Float64Array(n * d);
  const centred = new Float64Array(n * d);
  const mean = new Float64Array(d);
  const trace = centreText(x, label, centred, 0, mean, 0, tokens);
  const factor = n <= d ? centred : householderR(centred, n, d);
  return { n, d, tokens, mean, centred, trace, factor, factorRows: Math.min(n, d) };
}

/**
 * The per-text part of the spec in one place: checks x, scales it by an exact power of two,
 * normalises by ||mean||, and writes C = X~ − 1μᵀ to centred[offset…], μ to mean[meanOffset…]
 * and (when asked) X~ to tokens. Returns tr Σ = ||C||²_F / n. Needs no n × d scratch, so a
 * corpus can be packed text by text into one array.
 */
export function centreText(
  x: TokenMatrix, label: string, centred: Float64Array, offset: number, mean: Float64Array, meanOffset: number,
  tokens?: Float64Array,
): number {
  checkTokenMatrix(x, label);
  const { n, d, data } = x;
  const [s1, s2] = powerOfTwoFactors(prescaleExponent(data));
  const rawMean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) rawMean[j] += (data[i * d + j] * s1) * s2;
  for (let j = 0; j < d; j++) rawMean[j] /= n;
  const norm = euclideanNorm(rawMean);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw new SocmInputError(`${label}: the mean of its token vectors has zero norm, so it cannot be normalised`);
  }
  // X~ = (x·2^k) / ||mean||, recomputed (identically) wherever it is needed instead of stored.
  const mu = mean.subarray(meanOffset, meanOffset + d);
  mu.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const t = ((data[i * d + j] * s1) * s2) / norm;
      if (tokens) tokens[i * d + j] = t;
      mu[j] += t;
    }
  }
  for (let j = 0; j < d; j++) mu[j] /= n;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = ((data[i * d + j] * s1) * s2) / norm - mu[j];
      centred[offset + i * d + j] = c;
      sumSq += c * c;
    }
  }
  return sumSq / n;
}

/** ||v||₂ without overflow or underflow (scaled by the largest |v_j|). */
export function euclideanNorm(v: ArrayLike<number>): number {
  let maxAbs = 0;
  for (let j = 0; j < v.length; j++) maxAbs = Math.max(maxAbs, Math.abs(v[j]));
  if (maxAbs === 0 || !Number.isFinite(maxAbs)) return maxAbs;
  let s = 0;
  for (let j = 0; j < v.length; j++) {
    const t = v[j] / maxAbs;
    s += t * t;
  }
  return maxAbs * Math.sqrt(s);
}

/** Within-text concentration (spec §6): spread = ||C||_F/√n and the mean pairwise token cosine. */
export function concentration(cloud: Cloud): { spread: number; meanWithinCosine: number } {
  const { n, d, tokens } = cloud;
  const spread = Math.sqrt(cloud.trace);
  if (n < 2) return { spread, meanWithinCosine: Number.NaN };
  const unit = new Float64Array(n * d);
  const sum = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const row = tokens.subarray(i * d, (i + 1) * d);
    const norm = euclideanNorm(row);
    for (let j = 0; j < d; j++) {
      unit[i * d + j] = norm > 0 ? row[j] / norm : 0;
      sum[j] += unit[i * d + j];
    }
  }
  // Σ_{i≠j} cos(x_i, x_j) = ||Σ_i u_i||² − Σ_i ||u_i||²
  let total = 0;
  for (let j = 0; j < d; j++) total += sum[j] * sum[j];
  let diag = 0;
  for (let k = 0; k < unit.length; k++) diag += unit[k] * unit[k];
  return { spread, meanWithinCosine: (total - diag) / (n * (n - 1)) };
}
