/**
 * The cross-Gram F_A F_Bᵀ (float64), the one product every pair needs. Each entry is summed
 * as (even-index partial sum) + (odd-index partial sum), exactly as the WebAssembly kernel's
 * two SIMD lanes do, so the TypeScript and WebAssembly routes agree to the last bit when the
 * WebAssembly multiply-adds are not fused.
 */

/** out[i·ldo + j] = Σ_t a[i·k + t]·b[j·k + t] for i < m, j < n (row-major a: m × k, b: n × k). */
export function crossGram(
  a: Float64Array, m: number, b: Float64Array, n: number, k: number,
  out: Float64Array = new Float64Array(m * n), ldo = n, aOffset = 0, bOffset = 0,
): Float64Array {
  const even = k & ~1;
  // Two rows of A at a time against each row of B: half the loads of a plain dot product.
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = aOffset + i * k;
    const a1 = a0 + k;
    for (let j = 0; j < n; j++) {
      const b0 = bOffset + j * k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let t = 0; t < even; t += 2) {
        const y0 = b[b0 + t];
        const y1 = b[b0 + t + 1];
        s00 += a[a0 + t] * y0;
        s01 += a[a0 + t + 1] * y1;
        s10 += a[a1 + t] * y0;
        s11 += a[a1 + t + 1] * y1;
      }
      if (even < k) {
        s00 += a[a0 + even] * b[b0 + even];
        s10 += a[a1 + even] * b[b0 + even];
      }
      out[i * ldo + j] = s00 + s01;
      out[(i + 1) * ldo + j] = s10 + s11;
    }
  }
  for (; i < m; i++) {
    const a0 = aOffset + i * k;
    for (let j = 0; j < n; j++) {
      const b0 = bOffset + j * k;
      let s0 = 0, s1 = 0;
      for (let t = 0; t < even; t += 2) {
        s0 += a[a0 + t] * b[b0 + t];
        s1 += a[a0 + t + 1] * b[b0 + t + 1];
      }
      if (even < k) s0 += a[a0 + even] * b[b0 + even];
      out[i * ldo + j] = s0 + s1;
    }
  }
  return out;
}
