/**
 * Singular values of a small dense matrix, the way LAPACK's dgesvd does it without vectors:
 * Householder bidiagonalisation (Golub & Kahan), then implicit shifted QR steps on the
 * bidiagonal (Golub & Van Loan §8.6). Backward stable: every computed σ is within
 * O(n·eps·||M||) of the exact one, so rank-deficient matrices keep their zeros at rounding
 * level, never at √eps as eig(MᵀM) would. About (8/3)·n³ flops for an n × n matrix, a third
 * of a Jacobi sweep's count and with no sweep count to wait for.
 */

const EPS = 2 ** -52;

/**
 * Σ σ_k of a rows × cols row-major matrix (its nuclear norm). `work` is scratch that is
 * overwritten (rows·cols values at least); pass `a` itself to let it be destroyed.
 */
export function nuclearNorm(a: Float64Array, rows: number, cols: number, work?: Float64Array): number {
  const sigma = singularValuesBidiagonal(a, rows, cols, work);
  let s = 0;
  for (let k = 0; k < sigma.length; k++) s += sigma[k];
  return s;
}

/**
 * Singular values (unsorted, ≥ 0) of a rows × cols row-major matrix by bidiagonalisation
 * and implicit QR. The matrix is copied into `work` (or a new array) first.
 */
export function singularValuesBidiagonal(a: Float64Array, rows: number, cols: number, work?: Float64Array): Float64Array {
  const p = Math.min(rows, cols);
  if (p === 0) return new Float64Array(0);
  // Work on the tall orientation m ≥ n (σ(M) = σ(Mᵀ)).
  const m = Math.max(rows, cols);
  const n = p;
  // Transposing needs a second array; scaling can happen in place.
  const w = work && work.length >= m * n && (rows >= cols || work !== a) ? work : new Float64Array(m * n);
  let scale = 0;
  for (let k = 0; k < rows * cols; k++) scale = Math.max(scale, Math.abs(a[k]));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (scale === 0 || !Number.isFinite(scale)) {
    if (scale !== 0) d.fill(Number.NaN);
    return d;
  }
  // Scale by a power of two (exact) so squares neither overflow nor underflow.
  const s = inversePowerOfTwo(scale);
  if (rows >= cols) {
    if (w !== a || s !== 1) for (let k = 0; k < m * n; k++) w[k] = a[k] * s;
  } else {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[j * n + i] = a[i * cols + j] * s;
  }
  bidiagonalise(w, m, n, d, e);
  bidiagonalSingularValues(d, e, n);
  for (let k = 0; k < n; k++) d[k] /= s;
  return d;
}

/**
 * 2^−⌊log₂ x⌋ for a finite x > 0, exactly, so that x times it lies in [1, 2); for subnormal x
 * it stops at 2^1022 (and at 2^−1022 for x ≥ 2^1023). The WebAssembly kernel reads the same power from x's exponent bits.
 */
export function inversePowerOfTwo(x: number): number {
  let k = Math.floor(Math.log2(x));
  // log2 may round across a power of two: settle k so that 2^k ≤ x < 2^(k+1).
  if (2 ** k > x) k--;
  else if (2 ** (k + 1) <= x) k++;
  return 2 ** -Math.min(Math.max(k, -1022), 1022);
}

/**
 * Householder bidiagonalisation of the m × n (m ≥ n) row-major `a`, in place (destroyed):
 * Uᵀ A V = B with diagonal `d` and superdiagonal `e` (e[n−1] = 0). U and V are not formed.
 */
export function bidiagonalise(a: Float64Array, m: number, n: number, d: Float64Array, e: Float64Array): void {
  const v = new Float64Array(Math.max(m, n));
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // Left reflector: zero a[k+1.., k].
    let norm2 = 0;
    for (let i = k; i < m; i++) {
      const x = a[i * n + k];
      v[i] = x;
      norm2 += x * x;
    }
    if (norm2 === 0) {
      d[k] = 0;
    } else {
      const xk = v[k];
      const alpha = xk > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
      v[k] = xk - alpha;
      const vtv = norm2 - 2 * alpha * xk + alpha * alpha; // ||x − αe_k||² = ||x||² − 2α x_k + α²
      d[k] = alpha;
      if (vtv > 0 && k + 1 < n) {
        // A[k.., k+1..] −= (2/vᵀv) v (vᵀ A)
        w.fill(0, k + 1, n);
        for (let i = k; i < m; i++) {
          const vi = v[i];
          if (vi === 0) continue;
          const row = i * n;
          for (let j = k + 1; j < n; j++) w[j] += vi * a[row + j];
        }
        const f = 2 / vtv;
        for (let i = k; i < m; i++) {
          const vi = v[i];
          if (vi === 0) continue;
          const row = i * n;
          const g = -(f * vi);
          for (let j = k + 1; j < n; j++) a[row + j] += g * w[j];
        }
      }
    }
    if (k + 2 >= n) {
      e[k] = k + 1 < n ? a[k * n + k + 1] : 0;
      continue;
    }
    // Right reflector: zero a[k, k+2..].
    const row = k * n;
    norm2 = 0;
    for (let j = k + 1; j < n; j++) {
      const x = a[row + j];
      v[j] = x;
      norm2 += x * x;
    }
    if (norm2 === 0) {
      e[k] = 0;
      continue;
    }
    const xk = v[k + 1];
    const alpha = xk > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    v[k + 1] = xk - alpha;
    const vtv = norm2 - 2 * alpha * xk + alpha * alpha;
    e[k] = alpha;
    if (vtv > 0) {
      const f = 2 / vtv;
      for (let i = k + 1; i < m; i++) {
        const r = i * n;
        const t = pairwiseDot(a, r + k + 1, v, k + 1, n - k - 1) * f;
        if (t === 0) continue;
        for (let j = k + 1; j < n; j++) a[r + j] -= t * v[j];
      }
    }
  }
}

/** Σ x[xo+t]·y[yo+t], t < len, as two interleaved partial sums (the WebAssembly kernel's SIMD lanes). */
function pairwiseDot(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let s0 = 0, s1 = 0;
  const even = len & ~1;
  for (let t = 0; t < even; t += 2) {
    s0 += x[xo + t] * y[yo + t];
    s1 += x[xo + t + 1] * y[yo + t + 1];
  }
  let s = s0 + s1;
  if (even < len) s += x[xo + even] * y[yo + even];
  return s;
}

/**
 * Singular values of the upper bidiagonal (d, e) of order n, in place into |d| (unsorted).
 * Implicit QR with a Wilkinson shift (Golub & Van Loan Alg. 8.6.1); a zero on the diagonal
 * is chased out with rotations first. Off-diagonals below eps·||B|| are set to zero, which
 * perturbs each σ by at most that much.
 */
export function bidiagonalSingularValues(d: Float64Array, e: Float64Array, n: number): void {
  let bnorm = 0;
  for (let i = 0; i < n; i++) bnorm = Math.max(bnorm, Math.abs(d[i]) + (i + 1 < n ? Math.abs(e[i]) : 0));
  const tol = EPS * bnorm;
  let hi = n - 1;
  let iterations = 0;
  const maxIterations = 40 * n + 40;
  while (hi > 0) {
    if (Math.abs(e[hi - 1]) <= tol) {
      e[hi - 1] = 0;
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0 && Math.abs(e[lo - 1]) > tol) lo--;
    if (++iterations > maxIterations) throw new Error('bidiagonal QR did not converge');
    // A (numerically) zero diagonal entry splits the block once its row is cleared.
    let zero = -1;
    for (let i = lo; i <= hi; i++) {
      if (Math.abs(d[i]) <= tol) {
        zero = i;
        break;
      }
    }
    if (zero >= 0) {
      d[zero] = 0;
      if (zero < hi) chaseRowRight(d, e, zero, hi);
      else chaseColumnUp(d, e, lo, hi);
      continue;
    }
    qrStep(d, e, lo, hi);
  }
  for (let i = 0; i < n; i++) d[i] = Math.abs(d[i]);
}

/** d[i] = 0: left rotations of row i against rows i+1..hi move e[i] right and off the end. */
function chaseRowRight(d: Float64Array, e: Float64Array, i: number, hi: number): void {
  let f = e[i];
  e[i] = 0;
  for (let j = i + 1; j <= hi && f !== 0; j++) {
    const r = Math.sqrt(d[j] * d[j] + f * f);
    const c = d[j] / r;
    const s = f / r;
    d[j] = r;
    if (j < hi) {
      f = -s * e[j];
      e[j] *= c;
    }
  }
}

/** d[hi] = 0: right rotations of column hi against columns hi−1..lo move e[hi−1] up and out. */
function chaseColumnUp(d: Float64Array, e: Float64Array, lo: number, hi: number): void {
  let f = e[hi - 1];
  e[hi - 1] = 0;
  for (let j = hi - 1; j >= lo && f !== 0; j--) {
    const r = Math.sqrt(d[j] * d[j] + f * f);
    const c = d[j] / r;
    const s = f / r;
    d[j] = r;
    if (j > lo) {
      f = -s * e[j - 1];
      e[j - 1] *= c;
    }
  }
}

/** One implicit QR step on the unreduced block lo..hi, shifted by the eigenvalue of the
 *  trailing 2 × 2 of BᵀB nearer its last entry (Wilkinson). */
function qrStep(d: Float64Array, e: Float64Array, lo: number, hi: number): void {
  const dm = d[hi - 1];
  const em = e[hi - 1];
  const el = hi - 1 > lo ? e[hi - 2] : 0;
  const t11 = dm * dm + el * el;
  const t12 = dm * em;
  const t22 = d[hi] * d[hi] + em * em;
  const delta = (t11 - t22) / 2;
  const root = Math.sqrt(delta * delta + t12 * t12);
  const mu = t22 - (t12 * t12) / (delta + (delta >= 0 ? root : -root) || 1);
  let y = d[lo] * d[lo] - mu;
  let z = d[lo] * e[lo];
  for (let k = lo; k < hi; k++) {
    // Right rotation of columns k, k+1: zeros the bulge (k−1, k+1), or starts the chase.
    let r = Math.sqrt(y * y + z * z);
    let c = r === 0 ? 1 : y / r;
    let s = r === 0 ? 0 : -z / r;
    if (k > lo) e[k - 1] = r;
    const dk = d[k];
    const ek = e[k];
    const dk1 = d[k + 1];
    let newDk = c * dk - s * ek;
    const newEk = s * dk + c * ek;
    const bulge = -s * dk1;
    const newDk1 = c * dk1;
    // Left rotation of rows k, k+1: zeros the bulge (k+1, k).
    r = Math.sqrt(newDk * newDk + bulge * bulge);
    c = r === 0 ? 1 : newDk / r;
    s = r === 0 ? 0 : -bulge / r;
    newDk = r;
    d[k] = newDk;
    e[k] = c * newEk - s * newDk1;
    d[k + 1] = s * newEk + c * newDk1;
    if (k + 1 < hi) {
      const ek1 = e[k + 1];
      z = -s * ek1;
      e[k + 1] = c * ek1;
      y = e[k];
    }
  }
}
