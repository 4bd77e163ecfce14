import { pairwiseCpu, pcaOfTexts, socmOfTexts, type PairwiseOptions, type TokenMatrix } from '../math';
import type { SocmEngine } from './types';

export class CpuSocmEngine implements SocmEngine {
  readonly backend = 'cpu' as const;
  constructor(readonly description = 'CPU (float64 TypeScript reference)') {}
  async pair(a: TokenMatrix, b: TokenMatrix) {
    return socmOfTexts(a, b);
  }
  pairwise(texts: readonly TokenMatrix[], options?: PairwiseOptions) {
    return pairwiseCpu(texts, options);
  }
  async pca(a: TokenMatrix, b: TokenMatrix) {
    return pcaOfTexts(a, b);
  }
  dispose(): void {}
}
