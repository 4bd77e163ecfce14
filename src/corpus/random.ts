/** A small seeded generator (mulberry32) so sampled pairs and bootstrap intervals are reproducible. DOM-free. */
export type Random = () => number;

/** Uniform numbers in [0, 1) from a 32-bit seed; the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): Random {
  return mulberry32((Math.trunc(seed) ^ 0x9e3779b9) >>> 0);
}

/** The mulberry32 generator from a 32-bit state (the tests' seeded inputs use it too). */
export function mulberry32(state: number): Random {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform whole number in [0, n). */
export function randomIndex(random: Random, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}
