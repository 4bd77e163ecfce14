import type { PairStats, PairwiseOptions, PairwiseResult, PcaView, TokenMatrix } from '../math';

export type Backend = 'cpu' | 'webgpu';

/** d1, d2, SOCM of one batch of pairs, in the batch's order. */
export interface PairValues {
  d1: Float64Array;
  d2: Float64Array;
  socm: Float64Array;
  /** 1 where a text of the pair has tr Σ > 2 (the trace-over-2 flag). */
  flagged: Uint8Array;
}

/** Texts checked and prepared once; any pairs (is[k], js[k]) of them measured batch by batch. */
export interface PairMeasurer {
  measure(is: Uint32Array, js: Uint32Array, signal?: AbortSignal): Promise<PairValues>;
  dispose(): void;
}

/** One interface, two routes: the float64 CPU reference and the float32 WGSL kernels. */
export interface SocmEngine {
  readonly backend: Backend;
  /** What runs the statistics, in words (adapter name, or the CPU and why). */
  readonly description: string;
  pair(a: TokenMatrix, b: TokenMatrix): Promise<PairStats>;
  pairwise(texts: readonly TokenMatrix[], options?: PairwiseOptions): Promise<PairwiseResult>;
  pca(a: TokenMatrix, b: TokenMatrix): Promise<PcaView>;
  /** `pair` and `pca` together, normalising (and on the GPU uploading) each text once. */
  analyse(a: TokenMatrix, b: TokenMatrix): Promise<{ stats: PairStats; view: PcaView }>;
  /**
   * Any list of pairs of these texts, on this engine's fast route (the CPU: WebAssembly kernels,
   * workers for large batches; WebGPU: batched Gram tiles). Optional so that other engines
   * (tests' fakes) need not have it; both engines here do.
   */
  pairMeasurer?(texts: readonly TokenMatrix[]): Promise<PairMeasurer>;
  dispose(): void;
}
