import { makeCloud, pairStats, pairwiseCpu, pcaOfClouds, pcaOfTexts, socmOfTexts, SocmInputError, type PairwiseOptions, type TokenMatrix } from '../math';
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
  async analyse(a: TokenMatrix, b: TokenMatrix) {
    if (a.d !== b.d) throw new SocmInputError(`text A has width ${a.d} but text B has width ${b.d}`);
    const ca = makeCloud(a, 'text A');
    const cb = makeCloud(b, 'text B');
    return { stats: pairStats(ca, cb), view: pcaOfClouds(ca, cb) };
  }
  dispose(): void {}
}
