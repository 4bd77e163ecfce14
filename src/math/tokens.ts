import { SocmInputError } from './errors';

/**
 * A text's token-embedding list X = [x_1 … x_n], x_i ∈ R^d, stored row-major
 * (row i = token i). `data` may be Float64Array or Float32Array (encoders give f32).
 */
export interface TokenMatrix {
  readonly n: number;
  readonly d: number;
  readonly data: Float64Array | Float32Array;
}

/**
 * Checks and packs a JSON token list (rows = tokens). `label` names the text in
 * error messages ("text A", "text 3").
 */
export function tokenMatrixFromRows(rows: unknown, label = 'text'): TokenMatrix {
  if (!Array.isArray(rows)) throw new SocmInputError(`${label}: expected a list of token vectors (rows = tokens)`);
  if (rows.length === 0) throw new SocmInputError(`${label}: has no tokens (empty list)`);
  const first = rows[0];
  if (!Array.isArray(first)) throw new SocmInputError(`${label}: token 0 is not a list of numbers`);
  const d = first.length;
  if (d === 0) throw new SocmInputError(`${label}: token vectors have width 0`);
  const n = rows.length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw new SocmInputError(`${label}: token ${i} is not a list of numbers`);
    if (row.length !== d) {
      throw new SocmInputError(`${label}: ragged rows: token ${i} has ${row.length} values, token 0 has ${d}`);
    }
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new SocmInputError(`${label}: token ${i}, dimension ${j} is ${describe(v)}, not a finite number`);
      }
      data[i * d + j] = v;
    }
  }
  return { n, d, data };
}

/** Validates an already packed matrix (shape and finiteness). */
export function checkTokenMatrix(x: TokenMatrix, label = 'text'): void {
  if (!(x.n >= 1)) throw new SocmInputError(`${label}: has no tokens`);
  if (!(x.d >= 1)) throw new SocmInputError(`${label}: token vectors have width 0`);
  if (x.data.length !== x.n * x.d) {
    throw new SocmInputError(`${label}: data holds ${x.data.length} values, expected n·d = ${x.n * x.d}`);
  }
  for (let k = 0; k < x.data.length; k++) {
    if (!Number.isFinite(x.data[k])) {
      const i = Math.floor(k / x.d);
      throw new SocmInputError(`${label}: token ${i}, dimension ${k - i * x.d} is ${describe(x.data[k])}, not a finite number`);
    }
  }
}

function describe(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (v === null) return 'null';
  return `a ${typeof v}`;
}

/** Exact power of two 2^k (k may be outside ±1023) as a product of two doubles. */
export function powerOfTwoFactors(k: number): [number, number] {
  const h = Math.trunc(k / 2);
  return [2 ** h, 2 ** (k - h)];
}

/**
 * The exponent k such that multiplying every value by 2^k brings the largest
 * |value| into [1, 2). Multiplying by a power of two is exact, and SOCM is
 * invariant to a per-text scale, so this keeps huge and tiny inputs finite.
 */
export function prescaleExponent(data: ArrayLike<number>): number {
  let maxAbs = 0;
  for (let k = 0; k < data.length; k++) {
    const a = Math.abs(data[k]);
    if (a > maxAbs) maxAbs = a;
  }
  if (maxAbs === 0 || !Number.isFinite(maxAbs)) return 0;
  return -Math.floor(Math.log2(maxAbs));
}

/** A corpus for pairs: at least two texts, all of one width. */
export function checkSameWidth(texts: readonly TokenMatrix[]): void {
  if (texts.length < 2) throw new SocmInputError(`need at least 2 texts for pairs, got ${texts.length}`);
  const d = texts[0].d;
  texts.forEach((t, i) => {
    if (t.d !== d) throw new SocmInputError(`text ${i} has width ${t.d} but text 0 has width ${d}`);
  });
}
