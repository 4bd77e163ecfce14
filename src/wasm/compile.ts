/** The compiled kernels module, shareable with workers (a WebAssembly.Module can be posted). */
export interface CompiledKernels {
  readonly module: WebAssembly.Module;
  /** The relaxed-SIMD build (fused multiply-add in the cross-Gram) was accepted by this engine. */
  readonly fused: boolean;
}

/**
 * Compiles the fused build where this WebAssembly engine validates relaxed SIMD, else the plain
 * SIMD128 build. Returns undefined (and the reason) where WebAssembly SIMD is missing altogether.
 */
export async function compileKernels(plain: BufferSource, fma?: BufferSource): Promise<CompiledKernels | { reason: string }> {
  if (typeof WebAssembly !== 'object') return { reason: 'this JavaScript engine has no WebAssembly' };
  if (fma && WebAssembly.validate(fma)) return { module: await WebAssembly.compile(fma), fused: true };
  if (!WebAssembly.validate(plain)) return { reason: 'this WebAssembly engine lacks SIMD128' };
  return { module: await WebAssembly.compile(plain), fused: false };
}
