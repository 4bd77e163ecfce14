import type { PairValues } from './types';

export function emptyValues(count: number): PairValues {
  return { d1: new Float64Array(count), d2: new Float64Array(count), socm: new Float64Array(count), flagged: new Uint8Array(count) };
}

/** Writes one pair's statistics into row k of the values. */
export function setPairValues(out: PairValues, k: number, st: { d1: number; d2: number; socm: number; flags: readonly unknown[] }): void {
  out.d1[k] = st.d1;
  out.d2[k] = st.d2;
  out.socm[k] = st.socm;
  out.flagged[k] = st.flags.length ? 1 : 0;
}
