/**
 * What each pooling keeps (for teaching): the pooled vectors of one text's token cloud and
 * cosine similarities. Rows are tokens, row-major n × d, as everywhere in src/math.
 *
 *   mean      (1/n) Σ x_i                         what SOCM's d1 compares
 *   cls       x_1 (the [CLS] token)               BERT-style encoders
 *   max       max_i x_ij for each dimension j
 *   last      x_n                                 decoder (causal) models
 *   weighted  (1/n) Σ w_i x_i, w_i = a / (a + p(t_i))
 *             smooth inverse frequency (SIF; Arora, Liang & Ma, ICLR 2017, Algorithm 1,
 *             without its corpus-level common-component removal)
 */
export type Pooling = 'mean' | 'cls' | 'max' | 'last' | 'weighted';

export const POOLINGS: readonly Pooling[] = ['mean', 'cls', 'max', 'last', 'weighted'];

/**
 * SIF's a. The authors' code uses 1e-3 ("usually in the range [3e-5, 3e-3]",
 * PrincetonML/SIF examples/sif_embedding.py); the paper reports a wide plateau around it.
 */
export const SIF_A = 1e-3;

/**
 * The pooled vector of a cloud. `weights` (length n) is required for 'weighted' and ignored
 * otherwise. An empty cloud pools to the zero vector.
 */
export function pooledVector(
  tokens: ArrayLike<number>, n: number, d: number, pooling: Pooling, weights?: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(d);
  if (n === 0) return out;
  if (pooling === 'cls' || pooling === 'last') {
    const row = pooling === 'cls' ? 0 : n - 1;
    for (let j = 0; j < d; j++) out[j] = tokens[row * d + j];
    return out;
  }
  if (pooling === 'max') {
    out.fill(-Infinity);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j] = Math.max(out[j], tokens[i * d + j]);
    return out;
  }
  if (pooling === 'weighted' && (!weights || weights.length !== n)) {
    throw new Error(`weighted pooling needs one weight per token (${n}), got ${weights?.length ?? 'none'}`);
  }
  for (let i = 0; i < n; i++) {
    const w = pooling === 'weighted' ? weights![i] : 1;
    for (let j = 0; j < d; j++) out[j] += w * tokens[i * d + j];
  }
  for (let j = 0; j < d; j++) out[j] /= n;
  return out;
}

/** SIF weight a / (a + p) of each token, from its word probability p. */
export function sifWeights(probabilities: ArrayLike<number>, a = SIF_A): Float64Array {
  if (!(a > 0)) throw new Error(`SIF's a must be positive, got ${a}`);
  return Float64Array.from(probabilities, (p) => a / (a + p));
}

/** H_V = Σ_{k=1..V} 1/k, exactly summed for V ≤ 1e6, else ln V + γ + 1/(2V) − 1/(12V²). */
export function harmonicNumber(v: number): number {
  if (v <= 1e6) {
    let s = 0;
    for (let k = v; k >= 1; k--) s += 1 / k;
    return s;
  }
  return Math.log(v) + 0.5772156649015329 + 1 / (2 * v) - 1 / (12 * v * v);
}

/**
 * A word's probability from its frequency rank r (1 = most frequent) by Zipf's law with
 * exponent 1 over a vocabulary of V ranked words: p(r) = 1 / (r · H_V).
 */
export function zipfProbability(rank: number, vocabularySize: number, harmonic = harmonicNumber(vocabularySize)): number {
  if (!(rank >= 1)) throw new Error(`a frequency rank starts at 1, got ${rank}`);
  return 1 / (rank * harmonic);
}

/** ||v||₂ (plain sum of squares: pooled vectors of normalised tokens are O(1)). */
export function l2Norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j] * v[j];
  return Math.sqrt(s);
}

/** v / ||v||₂, the step every cosine-based comparison takes; the zero vector stays zero. */
export function l2Normalised(v: ArrayLike<number>): Float64Array {
  const norm = l2Norm(v);
  return Float64Array.from(v as ArrayLike<number>, (x) => (norm > 0 ? x / norm : 0));
}

export function cosine(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let xy = 0, xx = 0, yy = 0;
  for (let j = 0; j < x.length; j++) {
    xy += x[j] * y[j];
    xx += x[j] * x[j];
    yy += y[j] * y[j];
  }
  return xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : Number.NaN;
}
