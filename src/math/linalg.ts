/**
 * Dense float64 linear algebra for the SOCM reference. Row-major everywhere.
 * Only what the spec needs: a QR factor, one-sided Jacobi SVD, a symmetric eigensolver.
 */

/** R (d × d, upper) of a Householder QR of the n × d matrix `a` (n ≥ d); RᵀR = aᵀa. */
export function householderR(a: Float64Array, n: number, d: number): Float64Array {
  const w = Float64Array.from(a);
  const v = new Float64Array(n);
  for (let k = 0; k < d; k++) {
    let scale = 0;
    for (let i = k; i < n; i++) scale = Math.max(scale, Math.abs(w[i * d + k]));
    if (scale === 0) continue;
    let normSq = 0;
    for (let i = k; i < n; i++) {
      v[i] = w[i * d + k] / scale;
      normSq += v[i] * v[i];
    }
    const alpha = (v[k] > 0 ? -1 : 1) * Math.sqrt(normSq);
    v[k] -= alpha;
    let vtv = 0;
    for (let i = k; i < n; i++) vtv += v[i] * v[i];
    if (vtv === 0) continue;
    for (let j = k + 1; j < d; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i] * w[i * d + j];
      const f = (2 * s) / vtv;
      for (let i = k; i < n; i++) w[i * d + j] -= f * v[i];
    }
    w[k * d + k] = alpha * scale;
    for (let i = k + 1; i < n; i++) w[i * d + k] = 0;
  }
  return w.slice(0, d * d);
}

export interface JacobiResult {
  /** Norms of the orthogonalised columns: the singular values, unsorted. */
  readonly sigma: Float64Array;
  /** The orthogonalised columns B = A·J (columns of length `length`). */
  readonly columns: Float64Array[];
  /** J (count × count, row-major), only when asked for. */
  readonly rotations?: Float64Array;
  readonly sweeps: number;
}

const JACOBI_TOLERANCE = 1e-14;
const JACOBI_MAX_SWEEPS = 80;

/**
 * One-sided (Hestenes) Jacobi: rotates the given columns until they are mutually
 * orthogonal. The column norms are then the singular values of the matrix whose
 * columns these are, to high relative accuracy (no squaring, unlike eig(MᵀM)).
 */
export function jacobiOrthogonalise(columns: Float64Array[], accumulate = false): JacobiResult {
  const count = columns.length;
  const length = count > 0 ? columns[0].length : 0;
  const rotations = accumulate ? identity(count) : undefined;
  const norms2 = columns.map(sumOfSquares);
  let sweeps = 0;
  for (; sweeps < JACOBI_MAX_SWEEPS; sweeps++) {
    let rotated = false;
    for (let p = 0; p < count - 1; p++) {
      for (let q = p + 1; q < count; q++) {
        const alpha = norms2[p];
        const beta = norms2[q];
        if (alpha === 0 || beta === 0) continue;
        const cp = columns[p];
        const cq = columns[q];
        let gamma = 0;
        for (let i = 0; i < length; i++) gamma += cp[i] * cq[i];
        if (!(Math.abs(gamma) > JACOBI_TOLERANCE * Math.sqrt(alpha * beta))) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < length; i++) {
          const x = cp[i];
          const y = cq[i];
          cp[i] = c * x - s * y;
          cq[i] = s * x + c * y;
        }
        norms2[p] = sumOfSquares(cp);
        norms2[q] = sumOfSquares(cq);
        if (rotations) {
          for (let i = 0; i < count; i++) {
            const x = rotations[i * count + p];
            const y = rotations[i * count + q];
            rotations[i * count + p] = c * x - s * y;
            rotations[i * count + q] = s * x + c * y;
          }
        }
      }
    }
    if (!rotated) break;
  }
  const sigma = Float64Array.from(norms2, Math.sqrt);
  return { sigma, columns, rotations, sweeps };
}

/** Singular values of a rows × cols row-major matrix, via Jacobi on its thinner side. */
export function singularValues(a: Float64Array, rows: number, cols: number): Float64Array {
  if (rows === 0 || cols === 0) return new Float64Array(0);
  // Orthogonalise the smaller set of vectors: columns of `a` if cols ≤ rows, else its rows.
  const vectors: Float64Array[] = [];
  if (cols <= rows) {
    for (let j = 0; j < cols; j++) {
      const col = new Float64Array(rows);
      for (let i = 0; i < rows; i++) col[i] = a[i * cols + j];
      vectors.push(col);
    }
  } else {
    for (let i = 0; i < rows; i++) vectors.push(a.slice(i * cols, (i + 1) * cols));
  }
  return jacobiOrthogonalise(vectors).sigma;
}

/** a (m × k) · bᵀ (b is n × k), row-major, times `scale`. */
export function multiplyTransposed(
  a: Float64Array, m: number, b: Float64Array, n: number, k: number, scale = 1,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += a[ai + t] * b[bj + t];
      out[i * n + j] = s * scale;
    }
  }
  return out;
}

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  readonly values: Float64Array;
  /** Eigenvectors as columns of an n × n row-major matrix, in the order of `values`. */
  readonly vectors?: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric n × n matrix: Householder reduction to
 * tridiagonal form, then implicit symmetric QR steps with Wilkinson shifts
 * (Golub & Van Loan §8.3). Only the lower triangle need be meaningful.
 */
export function symmetricEigen(matrix: Float64Array, n: number, wantVectors = true): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const q = wantVectors ? identity(n) : undefined;
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  // 1. Tridiagonalise: for each column k, reflect a[k+1.., k] onto e₁.
  for (let k = 0; k < n - 2; k++) {
    const m = n - k - 1;
    let scale = 0;
    for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(a[(k + 1 + i) * n + k]));
    if (scale === 0) continue;
    let normSq = 0;
    for (let i = 0; i < m; i++) {
      v[i] = a[(k + 1 + i) * n + k] / scale;
      normSq += v[i] * v[i];
    }
    if (normSq === v[0] * v[0]) continue; // already tridiagonal in this column
    const alpha = (v[0] > 0 ? -1 : 1) * Math.sqrt(normSq);
    v[0] -= alpha;
    let vtv = 0;
    for (let i = 0; i < m; i++) vtv += v[i] * v[i];
    const beta = 2 / vtv;
    // p = β A22 v ; w = p − (β pᵀv / 2) v ; A22 −= v wᵀ + w vᵀ
    let pv = 0;
    for (let i = 0; i < m; i++) {
      let s = 0;
      const row = (k + 1 + i) * n + k + 1;
      for (let j = 0; j < m; j++) s += a[row + j] * v[j];
      p[i] = beta * s;
      pv += p[i] * v[i];
    }
    const kfac = (beta * pv) / 2;
    for (let i = 0; i < m; i++) p[i] -= kfac * v[i];
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * n + k + 1;
      for (let j = 0; j < m; j++) a[row + j] -= v[i] * p[j] + p[i] * v[j];
    }
    a[(k + 1) * n + k] = alpha * scale;
    a[k * n + k + 1] = alpha * scale;
    for (let i = 1; i < m; i++) {
      a[(k + 1 + i) * n + k] = 0;
      a[k * n + k + 1 + i] = 0;
    }
    if (q) {
      // Q ← Q H on columns k+1..n−1
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += q[r * n + k + 1 + j] * v[j];
        s *= beta;
        for (let j = 0; j < m; j++) q[r * n + k + 1 + j] -= s * v[j];
      }
    }
  }
  const diag = new Float64Array(n);
  const off = new Float64Array(Math.max(0, n - 1));
  for (let i = 0; i < n; i++) diag[i] = a[i * n + i];
  for (let i = 0; i < n - 1; i++) off[i] = a[(i + 1) * n + i];

  // 2. Implicit QR on the tridiagonal (diag, off).
  const eps = Number.EPSILON;
  let hi = n - 1;
  let iterations = 0;
  while (hi > 0) {
    if (Math.abs(off[hi - 1]) <= eps * (Math.abs(diag[hi - 1]) + Math.abs(diag[hi])) || off[hi - 1] === 0) {
      off[hi - 1] = 0;
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0 && Math.abs(off[lo - 1]) > eps * (Math.abs(diag[lo - 1]) + Math.abs(diag[lo]))) lo--;
    if (++iterations > 60 * n) throw new Error('symmetricEigen: QR iteration did not converge');
    // Wilkinson shift from the trailing 2 × 2 block.
    const dd = (diag[hi - 1] - diag[hi]) / 2;
    const b2 = off[hi - 1] * off[hi - 1];
    const mu = diag[hi] - b2 / (dd + (dd >= 0 ? 1 : -1) * Math.hypot(dd, off[hi - 1]));
    let x = diag[lo] - mu;
    let z = off[lo];
    for (let k = lo; k < hi; k++) {
      const r = Math.hypot(x, z);
      const c = r === 0 ? 1 : x / r;
      const s = r === 0 ? 0 : -z / r;
      if (k > lo) off[k - 1] = r;
      const ak = diag[k];
      const ak1 = diag[k + 1];
      const ek = off[k];
      diag[k] = c * c * ak - 2 * c * s * ek + s * s * ak1;
      diag[k + 1] = s * s * ak + 2 * c * s * ek + c * c * ak1;
      off[k] = c * s * (ak - ak1) + (c * c - s * s) * ek;
      if (k < hi - 1) {
        x = off[k];
        z = -s * off[k + 1];
        off[k + 1] = c * off[k + 1];
      }
      if (q) {
        for (let r2 = 0; r2 < n; r2++) {
          const qk = q[r2 * n + k];
          const qk1 = q[r2 * n + k + 1];
          q[r2 * n + k] = c * qk - s * qk1;
          q[r2 * n + k + 1] = s * qk + c * qk1;
        }
      }
    }
  }
  // 3. Sort descending.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => diag[j] - diag[i]);
  const values = Float64Array.from(order, (i) => diag[i]);
  if (!q) return { values };
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) vectors[r * n + c] = q[r * n + order[c]];
  return { values, vectors };
}

export function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

function sumOfSquares(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}
