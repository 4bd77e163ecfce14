import { mulberry32 } from '../../src/corpus/random';
import type { TokenMatrix } from '../../src/math';

/** Seeded PRNG (mulberry32) so every random test is reproducible. */
export function rng(seed: number): () => number {
  return mulberry32(seed);
}

export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * A token cloud like an encoder's: a shared offset (so the mean is far from 0) plus
 * per-token noise of relative size `spread`.
 */
export function randomCloud(random: () => number, n: number, d: number, spread = 0.3, offset?: number[]): number[][] {
  const base = offset ?? Array.from({ length: d }, () => gaussian(random));
  return Array.from({ length: n }, () => base.map((b) => b + spread * gaussian(random)));
}

export function toMatrix(rows: number[][]): TokenMatrix {
  const n = rows.length;
  const d = rows[0].length;
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { n, d, data };
}

export function scaleRows(rows: number[][], s: number): number[][] {
  return rows.map((r) => r.map((x) => x * s));
}
