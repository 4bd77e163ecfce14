/**
 * What each pooling keeps (for teaching): the pooled vectors of one text's token cloud,
 * from the normalised tokens X~ (so they share the PCA axes), and cosine similarities.
 */
export type Pooling = 'mean' | 'cls' | 'max' | 'last';

export function pooledVector(tokens: ArrayLike<number>, n: number, d: number, pooling: Pooling): Float64Array {
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
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j] += tokens[i * d + j];
  for (let j = 0; j < d; j++) out[j] /= n;
  return out;
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
