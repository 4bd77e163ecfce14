/**
 * A seeded generator for the sandbox's clouds: sfc32 (Chris Doty-Humphrey's small fast
 * counting generator), its 128-bit state filled from the seed by splitmix32, and standard
 * normals by the polar Box–Muller method. The same seed always gives the same clouds, in Node
 * and in every browser.
 */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator for (seed, stream): cloud A and cloud B draw from different streams. */
export function seededRandom(seed: number, stream = 0): Random {
  const init = splitmix32(Math.imul(seed >>> 0, 0x2c1b3c6d) ^ Math.imul(stream + 1, 0x297a2d39));
  let a = init(), b = init(), c = init(), d = init();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let k = 0; k < 12; k++) next();
  let spare: number | undefined;
  const uniform = () => next() / 4294967296;
  return {
    uniform,
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u: number, v: number, r: number;
      do {
        u = 2 * uniform() - 1;
        v = 2 * uniform() - 1;
        r = u * u + v * v;
      } while (r >= 1 || r === 0);
      const f = Math.sqrt((-2 * Math.log(r)) / r);
      spare = v * f;
      return u * f;
    },
  };
}
