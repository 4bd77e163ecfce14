import { expect } from 'vitest';

/** |got − want| ≤ rel·|want| + abs, with both values in the message. */
export function expectClose(got: number, want: number, rel: number, abs: number, what = ''): void {
  expect(Number.isFinite(got), `${what} is not finite: ${got}`).toBe(true);
  expect(Math.abs(got - want), `${what} got ${got}, want ${want}`).toBeLessThanOrEqual(rel * Math.abs(want) + abs);
}
