import { makeCloud } from './cloud';
import { SocmInputError } from './errors';
import { symmetricEigen } from './linalg';
import { combinePair, meanDistance, type PairStats } from './socm';
import type { TokenMatrix } from './tokens';

/**
 * The naive route, the way FID code does it: form the d × d covariances, take
 * Σ_A^{1/2} by eigen-decomposition, then tr((Σ_A^{1/2} Σ_B Σ_A^{1/2})^{1/2}) from the
 * eigenvalues of the d × d product. O(d³) per pair whatever the token counts. Kept only as
 * an independent cross-check of the cross-factor route (tests, and one line of the benchmark;
 * the benchmark's speed baselines are SciPy's and PyTorch's own d × d routes).
 */
export function socmNaive(x: TokenMatrix, y: TokenMatrix): PairStats {
  if (x.d !== y.d) throw new SocmInputError(`text A has width ${x.d} but text B has width ${y.d}`);
  const a = makeCloud(x, 'text A');
  const b = makeCloud(y, 'text B');
  const d = a.d;
  const covA = covariance(a.centred, a.n, d);
  const covB = covariance(b.centred, b.n, d);
  const eigA = symmetricEigen(covA, d, true);
  const v = eigA.vectors!;
  // sqrtA = V diag(√λ) Vᵀ, clamping rounding negatives to 0.
  const scaled = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let k = 0; k < d; k++) scaled[r * d + k] = v[r * d + k] * Math.sqrt(Math.max(0, eigA.values[k]));
  }
  const sqrtA = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += scaled[r * d + k] * v[c * d + k];
      sqrtA[r * d + c] = s;
    }
  }
  const product = multiply(multiply(sqrtA, covB, d), sqrtA, d);
  const eigP = symmetricEigen(product, d, false);
  let cross = 0;
  for (const lambda of eigP.values) cross += Math.sqrt(Math.max(0, lambda));
  return combinePair(meanDistance(a.mean, b.mean), a.trace, b.trace, cross, a.n, b.n);
}

/** Σ = CᵀC / n (d × d). */
export function covariance(c: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let p = 0; p < d; p++) {
      const cp = c[row + p];
      if (cp === 0) continue;
      for (let q = 0; q <= p; q++) out[p * d + q] += cp * c[row + q];
    }
  }
  for (let p = 0; p < d; p++) {
    for (let q = 0; q <= p; q++) {
      out[p * d + q] /= n;
      out[q * d + p] = out[p * d + q];
    }
  }
  return out;
}

function multiply(x: Float64Array, y: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const xik = x[i * d + k];
      if (xik === 0) continue;
      const yr = k * d;
      const orow = i * d;
      for (let j = 0; j < d; j++) out[orow + j] += xik * y[yr + j];
    }
  }
  return out;
}
