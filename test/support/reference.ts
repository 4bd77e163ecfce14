/**
 * An independent float64 reference for the tests, written the plain way and sharing
 * no code with src/: d × d covariances, a classic two-sided cyclic Jacobi eigensolver,
 * and tr((Σ_A^{1/2} Σ_B Σ_A^{1/2})^{1/2}) straight from the spec's definition.
 * Slow (O(d³) per pair) and meant for small d. On rank-deficient covariances the
 * square roots of rounding-level eigenvalues cost it ~1e-8 relative (as the golden
 * file's note says of d × d routes), so comparisons against it allow 1e-7.
 */
type Mat = number[][];

const zeros = (r: number, c: number): Mat => Array.from({ length: r }, () => new Array<number>(c).fill(0));

function matmul(x: Mat, y: Mat): Mat {
  const out = zeros(x.length, y[0].length);
  for (let i = 0; i < x.length; i++) for (let k = 0; k < y.length; k++) for (let j = 0; j < y[0].length; j++) out[i][j] += x[i][k] * y[k][j];
  return out;
}

/** Two-sided cyclic Jacobi: eigenvalues and eigenvectors (columns) of a symmetric matrix. */
export function jacobiEigen(sym: Mat): { values: number[]; vectors: Mat } {
  const n = sym.length;
  const a = sym.map((r) => r.slice());
  const v = zeros(n, n);
  for (let i = 0; i < n; i++) v[i][i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      total += a[i][j] * a[i][j];
      if (i !== j) off += a[i][j] * a[i][j];
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((r, i) => r[i]), vectors: v };
}

export interface RefCloud { tokens: Mat; mean: number[]; cov: Mat; trace: number }

export function refCloud(rows: Mat): RefCloud {
  const n = rows.length;
  const d = rows[0].length;
  const raw = new Array<number>(d).fill(0);
  for (const r of rows) r.forEach((x, j) => (raw[j] += x / n));
  const norm = Math.sqrt(raw.reduce((s, x) => s + x * x, 0));
  const tokens = rows.map((r) => r.map((x) => x / norm));
  const mean = new Array<number>(d).fill(0);
  for (const r of tokens) r.forEach((x, j) => (mean[j] += x / n));
  const cov = zeros(d, d);
  for (const r of tokens) for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) cov[p][q] += ((r[p] - mean[p]) * (r[q] - mean[q])) / n;
  let trace = 0;
  for (let p = 0; p < d; p++) trace += cov[p][p];
  return { tokens, mean, cov, trace };
}

export function refSocm(a: Mat, b: Mat): { d1: number; d2: number; socm: number; traceA: number; traceB: number } {
  const A = refCloud(a);
  const B = refCloud(b);
  const d = A.mean.length;
  const d1 = A.mean.reduce((s, x, j) => s + (x - B.mean[j]) ** 2, 0) / 4;
  const eig = jacobiEigen(A.cov);
  const root = zeros(d, d);
  for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) for (let k = 0; k < d; k++) {
    root[p][q] += eig.vectors[p][k] * Math.sqrt(Math.max(0, eig.values[k])) * eig.vectors[q][k];
  }
  const inner = jacobiEigen(matmul(matmul(root, B.cov), root)).values;
  const cross = inner.reduce((s, l) => s + Math.sqrt(Math.max(0, l)), 0);
  const d2 = Math.max(0, A.trace + B.trace - 2 * cross) / 4;
  return { d1, d2, socm: (1 - d1) * d2, traceA: A.trace, traceB: B.trace };
}

/** Top-2 singular values of the stacked normalised tokens, from eig(SᵀS). */
export function refPcaSingularValues(a: Mat, b: Mat): [number, number] {
  const s = [...refCloud(a).tokens, ...refCloud(b).tokens];
  const d = s[0].length;
  const gram = zeros(d, d);
  for (const r of s) for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) gram[p][q] += r[p] * r[q];
  const values = jacobiEigen(gram).values.sort((x, y) => y - x);
  return [Math.sqrt(Math.max(0, values[0])), Math.sqrt(Math.max(0, values[1] ?? 0))];
}
