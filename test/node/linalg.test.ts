import { describe, expect, it } from 'vitest';
import { householderR, jacobiOrthogonalise, multiplyTransposed, pcaOfTexts, singularValues, symmetricEigen } from '../../src/math';
import { expectClose } from '../support/assert';
import { gaussian, randomCloud, rng, toMatrix } from '../support/random';
import { jacobiEigen } from '../support/reference';

function randomMatrix(seed: number, rows: number, cols: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: rows * cols }, () => gaussian(r));
}

function gram(a: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: cols }, (_, p) => Array.from({ length: cols }, (_, q) => {
    let s = 0;
    for (let i = 0; i < rows; i++) s += a[i * cols + p] * a[i * cols + q];
    return s;
  }));
}

describe('householderR', () => {
  it('gives RᵀR = CᵀC for tall matrices, upper triangular', () => {
    for (const [n, d] of [[10, 3], [40, 8], [9, 9]]) {
      const c = randomMatrix(n * d, n, d);
      const r = householderR(c, n, d);
      const want = gram(c, n, d);
      const got = gram(r, d, d);
      for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) expectClose(got[p][q], want[p][q], 1e-12, 1e-12, `(${p},${q})`);
      for (let p = 1; p < d; p++) for (let q = 0; q < p; q++) expect(r[p * d + q]).toBe(0);
    }
  });

  it('handles a zero column', () => {
    const c = randomMatrix(1, 12, 4);
    for (let i = 0; i < 12; i++) c[i * 4 + 2] = 0;
    const r = householderR(c, 12, 4);
    const got = gram(r, 4, 4);
    expect(got[2][2]).toBe(0);
    expectClose(got[0][0], gram(c, 12, 4)[0][0], 1e-12, 0, 'g00');
  });
});

describe('one-sided Jacobi singular values', () => {
  it('match √eig(AᵀA) from a two-sided Jacobi reference', () => {
    for (const [m, n] of [[7, 5], [5, 7], [20, 20], [1, 6], [6, 1]]) {
      const a = randomMatrix(m + 10 * n, m, n);
      const sigma = Array.from(singularValues(a, m, n)).sort((x, y) => y - x);
      const ref = jacobiEigen(gram(a, m, n)).values.map((l) => Math.sqrt(Math.max(0, l))).sort((x, y) => y - x);
      sigma.forEach((s, k) => expectClose(s, ref[k], 1e-10, 1e-12, `σ${k}`));
    }
  });

  it('keeps an exactly rank-deficient matrix rank-deficient (no √eps residue)', () => {
    // A = u vᵀ + w zᵀ has rank 2: the other singular values must be ~0, not ~1e-8.
    const m = 12, n = 9;
    const r = rng(3);
    const u = Array.from({ length: m }, () => gaussian(r));
    const v = Array.from({ length: n }, () => gaussian(r));
    const w = Array.from({ length: m }, () => gaussian(r));
    const z = Array.from({ length: n }, () => gaussian(r));
    const a = Float64Array.from({ length: m * n }, (_, k) => u[Math.floor(k / n)] * v[k % n] + w[Math.floor(k / n)] * z[k % n]);
    const sigma = Array.from(singularValues(a, m, n)).sort((x, y) => y - x);
    expect(sigma[1]).toBeGreaterThan(1e-3);
    for (const s of sigma.slice(2)) expect(s).toBeLessThan(1e-13 * sigma[0]);
  });

  it('accumulates an orthogonal J with A·J = B', () => {
    const m = 8, n = 5;
    const a = randomMatrix(42, m, n);
    const cols = Array.from({ length: n }, (_, j) => Float64Array.from({ length: m }, (_, i) => a[i * n + j]));
    const res = jacobiOrthogonalise(cols.map((c) => c.slice()), true);
    const j = res.rotations!;
    for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += j[k * n + p] * j[k * n + q];
      expectClose(s, p === q ? 1 : 0, 0, 1e-13, `JᵀJ(${p},${q})`);
    }
    for (let i = 0; i < m; i++) for (let q = 0; q < n; q++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * j[k * n + q];
      expectClose(res.columns[q][i], s, 1e-12, 1e-13, `B(${i},${q})`);
    }
  });
});

describe('symmetricEigen (tridiagonal QR)', () => {
  it('A·V = V·Λ, VᵀV = I, eigenvalues match the two-sided Jacobi reference', () => {
    for (const n of [1, 2, 3, 10, 31]) {
      const x = randomMatrix(n, n + 2, n);
      const sym = Float64Array.from(gram(x, n + 2, n).flat());
      const { values, vectors } = symmetricEigen(sym, n);
      const ref = jacobiEigen(gram(x, n + 2, n)).values.sort((p, q) => q - p);
      values.forEach((l, k) => expectClose(l, ref[k], 1e-10, 1e-10, `λ${k}`));
      for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
        let av = 0;
        for (let t = 0; t < n; t++) av += sym[i * n + t] * vectors![t * n + k];
        expectClose(av, values[k] * vectors![i * n + k], 0, 1e-9, `AV(${i},${k})`);
      }
      for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) {
        let s = 0;
        for (let t = 0; t < n; t++) s += vectors![t * n + p] * vectors![t * n + q];
        expectClose(s, p === q ? 1 : 0, 0, 1e-12, `VᵀV(${p},${q})`);
      }
    }
  });

  it('handles diagonal, repeated and zero eigenvalues', () => {
    const diag = Float64Array.from([3, 0, 0, 0, 1, 0, 0, 0, 3]);
    expect(Array.from(symmetricEigen(diag, 3).values)).toEqual([3, 3, 1]);
    const zero = new Float64Array(16);
    expect(Array.from(symmetricEigen(zero, 4).values)).toEqual([0, 0, 0, 0]);
  });
});

describe('multiplyTransposed', () => {
  it('computes a·bᵀ·scale', () => {
    const a = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const b = Float64Array.from([1, 0, 1, 0, 1, 0]);
    expect(Array.from(multiplyTransposed(a, 2, b, 2, 3, 2))).toEqual([8, 4, 20, 10]);
  });
});

describe('uncentred PCA view', () => {
  it('axes are orthonormal, points are tokens·axes, the sign rule holds, energy share is right', () => {
    const r = rng(8);
    const a = randomCloud(r, 6, 20, 0.5);
    const b = randomCloud(r, 9, 20, 0.5);
    const view = pcaOfTexts(toMatrix(a), toMatrix(b));
    const [v1, v2] = view.axes;
    const dot = (x: ArrayLike<number>, y: ArrayLike<number>) => Array.from(x).reduce((s, t, k) => s + t * y[k], 0);
    expectClose(dot(v1, v1), 1, 0, 1e-12, '|v1|');
    expectClose(dot(v2, v2), 1, 0, 1e-12, '|v2|');
    expectClose(dot(v1, v2), 0, 0, 1e-12, 'v1·v2');
    const mean = (pts: Float64Array, k: number) => pts.filter((_, i) => i % 2 === k).reduce((s, x) => s + x, 0);
    expect(mean(view.pointsA, 0) + mean(view.pointsB, 0)).toBeGreaterThanOrEqual(0);
    expect(mean(view.pointsA, 1) + mean(view.pointsB, 1)).toBeGreaterThanOrEqual(0);
    expect(view.energyShare).toBeGreaterThan(0);
    expect(view.energyShare).toBeLessThanOrEqual(1 + 1e-12);
  });

  it('does not flip when a text changes slightly (as when a person types)', () => {
    const r = rng(12);
    const a = randomCloud(r, 8, 16, 0.4);
    const b = randomCloud(r, 8, 16, 0.4);
    const before = pcaOfTexts(toMatrix(a), toMatrix(b));
    const nudged = a.map((row) => row.map((x) => x + 1e-4 * gaussian(r)));
    const after = pcaOfTexts(toMatrix(nudged), toMatrix(b));
    for (let k = 0; k < 2; k++) {
      const c = Array.from(before.axes[k]).reduce((s, x, j) => s + x * after.axes[k][j], 0);
      expect(c).toBeGreaterThan(0.99);
    }
  });

  it('n > d and a rank-1 stack both give a complete orthonormal pair of axes', () => {
    const r = rng(2);
    const tall = pcaOfTexts(toMatrix(randomCloud(r, 30, 4)), toMatrix(randomCloud(r, 25, 4)));
    expect(tall.singularValues[0]).toBeGreaterThanOrEqual(tall.singularValues[1]);
    const one = [[1, 2, 3, 4]];
    const flat = pcaOfTexts(toMatrix(one), toMatrix([[2, 4, 6, 8]]));
    expect(flat.singularValues[1]).toBeLessThan(1e-12);
    const [v1, v2] = flat.axes;
    expectClose(Array.from(v2).reduce((s, x) => s + x * x, 0), 1, 0, 1e-12, '|v2|');
    expectClose(Array.from(v1).reduce((s, x, j) => s + x * v2[j], 0), 0, 0, 1e-12, 'v1·v2');
  });
});
