import type { PairStats, PairwiseOptions, PairwiseResult, PcaView, TokenMatrix } from '../math';

export type Backend = 'cpu' | 'webgpu';

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
  dispose(): void;
}
