import { describe, expect, it } from 'vitest';
import { bidiagonalise, bidiagonalSingularValues, inversePowerOfTwo, nuclearNorm, singularValues, singularValuesBidiagonal } from '../../src/math';
import { expectClose } from '../support/assert';
import { gaussian, rng } from '../support/random';
import { jacobiEigen } from '../support/reference';

/**
 * Independent float64 reference for singular values without squaring: the eigenvalues of the
 * symmetric [[0, M], [Mᵀ, 0]] are ±σ_k (and zeros), from test/support/reference.ts's Jacobi.
 */
function referenceSigma(a: Float64Array, rows: number, cols: number): number[] {
  const n = rows + cols;
  const sym = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    sym[i][rows + j] = a[i * cols + j];
    sym[rows + j][i] = a[i * cols + j];
  }
  return jacobiEigen(sym).values.sort((x, y) => y - x).slice(0, Math.min(rows, cols)).map((v) => Math.max(0, v));
}

function randomMatrix(seed: number, rows: number, cols: number, scale = 1): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: rows * cols }, () => scale * gaussian(r));
}

/** Rank-k: Σ_t u_t v_tᵀ. */
function lowRank(seed: number, rows: number, cols: number, k: number): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(rows * cols);
  for (let t = 0; t < k; t++) {
    const u = Array.from({ length: rows }, () => gaussian(r));
    const v = Array.from({ length: cols }, () => gaussian(r));
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[i * cols + j] += u[i] * v[j];
  }
  return a;
}

function expectSigma(got: Float64Array, want: number[], what: string): void {
  const sorted = Array.from(got).sort((x, y) => y - x);
  const top = want[0] || 1;
  expect(sorted).toHaveLength(want.length);
  // Backward stable: every σ within a small multiple of n·eps·σ_max (absolute).
  want.forEach((w, k) => expectClose(sorted[k], w, 0, 1e-13 * top * Math.max(1, want.length), `${what} σ${k}`));
}

describe('bidiagonal SVD (Golub–Kahan + implicit QR) vs the symmetric-embedding reference', () => {
  const shapes: [number, number][] = [[1, 1], [1, 7], [7, 1], [2, 2], [3, 8], [8, 3], [12, 12], [30, 17], [17, 30], [41, 41]];
  for (const [rows, cols] of shapes) {
    it(`random ${rows} × ${cols}`, () => {
      const a = randomMatrix(rows * 100 + cols, rows, cols);
      expectSigma(singularValuesBidiagonal(a, rows, cols), referenceSigma(a, rows, cols), `${rows}×${cols}`);
    });
  }

  it('rank-deficient matrices keep their zeros at rounding level (no √eps residue)', () => {
    for (const [rows, cols, k] of [[12, 9, 2], [9, 12, 1], [30, 30, 5], [20, 20, 19]]) {
      const a = lowRank(rows + cols + k, rows, cols, k);
      const sigma = Array.from(singularValuesBidiagonal(a, rows, cols)).sort((x, y) => y - x);
      const want = referenceSigma(a, rows, cols);
      expectSigma(Float64Array.from(sigma), want, `rank ${k}`);
      for (let t = k; t < sigma.length; t++) expect(sigma[t]).toBeLessThan(1e-13 * sigma[0]);
    }
  });

  it('a zero matrix, identical rows, a zero column and a zero row', () => {
    expect(Array.from(singularValuesBidiagonal(new Float64Array(12), 3, 4))).toEqual([0, 0, 0]);
    const same = new Float64Array(5 * 4);
    for (let i = 0; i < 5; i++) same.set([1, -2, 3, 0.5], i * 4);
    expectSigma(singularValuesBidiagonal(same, 5, 4), referenceSigma(same, 5, 4), 'identical rows');
    const zc = randomMatrix(3, 6, 5);
    for (let i = 0; i < 6; i++) zc[i * 5 + 2] = 0;
    expectSigma(singularValuesBidiagonal(zc, 6, 5), referenceSigma(zc, 6, 5), 'zero column');
    const zr = randomMatrix(4, 6, 5);
    zr.fill(0, 10, 15);
    expectSigma(singularValuesBidiagonal(zr, 6, 5), referenceSigma(zr, 6, 5), 'zero row');
  });

  it('scales from 1e-250 to 1e250 give the same σ up to the scale', () => {
    const a = randomMatrix(8, 9, 7);
    const base = Array.from(singularValuesBidiagonal(a, 9, 7)).sort((x, y) => y - x);
    for (const s of [1e-250, 3e-7, 1e250]) {
      const scaled = a.map((x) => x * s);
      const got = Array.from(singularValuesBidiagonal(scaled, 9, 7)).sort((x, y) => y - x);
      got.forEach((g, k) => expectClose(g / s, base[k], 1e-13, 1e-13 * base[0], `σ${k} at scale ${s}`));
    }
  });

  it('graded matrices (columns from 1 to 1e-12) and a wide spread of singular values', () => {
    const a = randomMatrix(11, 10, 10);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) a[i * 10 + j] *= 10 ** (-(12 * j) / 9);
    expectSigma(singularValuesBidiagonal(a, 10, 10), referenceSigma(a, 10, 10), 'graded');
  });

  it('the bidiagonal step alone: zeros on the diagonal are chased out', () => {
    // B with d = (3, 0, 2, 0), e = (1, 4, 0.5): σ from the reference on the dense B.
    const d = Float64Array.from([3, 0, 2, 0]);
    const e = Float64Array.from([1, 4, 0.5, 0]);
    const dense = new Float64Array(16);
    for (let i = 0; i < 4; i++) {
      dense[i * 4 + i] = d[i];
      if (i < 3) dense[i * 4 + i + 1] = e[i];
    }
    const want = referenceSigma(dense, 4, 4);
    bidiagonalSingularValues(d, e, 4);
    expectSigma(d, want, 'chased');
  });

  it('bidiagonalise keeps the Frobenius norm (an orthogonal two-sided transform)', () => {
    const a = randomMatrix(21, 14, 9);
    let frob = 0;
    for (const x of a) frob += x * x;
    const d = new Float64Array(9);
    const e = new Float64Array(9);
    bidiagonalise(Float64Array.from(a), 14, 9, d, e);
    let bfrob = 0;
    for (let k = 0; k < 9; k++) bfrob += d[k] * d[k] + e[k] * e[k];
    expectClose(bfrob, frob, 1e-13, 0, '||B||_F² = ||A||_F²');
    expect(e[8]).toBe(0);
  });

  it('256 × 256 (the n = 256 benchmark case) and 300 × 40 agree with one-sided Jacobi to 1e-12', () => {
    for (const [rows, cols] of [[256, 256], [300, 40]]) {
      const a = randomMatrix(rows + cols, rows, cols);
      const want = Array.from(singularValues(a, rows, cols)).sort((x, y) => y - x);
      const got = Array.from(singularValuesBidiagonal(a, rows, cols)).sort((x, y) => y - x);
      want.forEach((w, k) => expectClose(got[k], w, 0, 1e-12 * want[0], `σ${k}`));
      expectClose(nuclearNorm(a, rows, cols), want.reduce((s, x) => s + x, 0), 1e-13, 0, 'nuclear norm');
    }
  });

  it('leaves its input alone unless given it as the work array', () => {
    const a = randomMatrix(2, 5, 8);
    const copy = Float64Array.from(a);
    nuclearNorm(a, 5, 8);
    nuclearNorm(a, 5, 8, new Float64Array(40));
    expect(Array.from(a)).toEqual(Array.from(copy));
  });

  it('inversePowerOfTwo brings x into [1, 2) exactly, and stops at 2^1022 for subnormals', () => {
    for (const x of [1, 1.999999, 2, 3, 0.75, 1e-300, 1e300, 2 ** -1022, Number.MAX_VALUE, 2 ** 52 - 1]) {
      const s = inversePowerOfTwo(x);
      expect(Number.isInteger(Math.log2(s))).toBe(true);
      if (x < 2 ** 1023) {
        expect(x * s).toBeGreaterThanOrEqual(1);
        expect(x * s).toBeLessThan(2);
      }
    }
    expect(inversePowerOfTwo(5e-324)).toBe(2 ** 1022);
  });
});
