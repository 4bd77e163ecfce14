import type { PairValues } from './types';

export function emptyValues(count: number): PairValues {
  return { d1: new Float64Array(count), d2: new Float64Array(count), socm: new Float64Array(count), flagged: new Uint8Array(count) };
}
