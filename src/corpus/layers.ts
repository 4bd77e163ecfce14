/**
 * The paper's §6 over a corpus: at every layer, the layer-wise averages over texts of spread
 * (||C||_F/√n), tr Σ and within-text token cosine, and the mean SOCM over the corpus's pairs
 * (Figure 4(d), Figures 11–16).
 */
import type { SocmEngine } from '../engine/types';
import type { TokenMatrix } from '../math';
import type { PairPlan } from './pairs';
import { mean, measurePairs, summarise, textConcentration, type CorpusSummary } from './run';

export interface LayerSummary extends Omit<CorpusSummary, 'texts' | 'pairs'> {
  layer: number;
  /** Mean over texts of ||C||_F/√n = √tr Σ. */
  mean_spread: number;
}

/** `cloudsByLayer[k]` holds every text's cloud at layer k (same texts, same order, at every layer). */
export async function layerSummaries(
  engine: SocmEngine,
  cloudsByLayer: readonly (readonly TokenMatrix[])[],
  plan: PairPlan,
  options: { onLayer?: (layer: number) => void; signal?: AbortSignal } = {},
): Promise<LayerSummary[]> {
  const out: LayerSummary[] = [];
  for (const [layer, clouds] of cloudsByLayer.entries()) {
    const measured = await measurePairs(engine, clouds, plan, { signal: options.signal });
    const { traces, withinCosine } = textConcentration(clouds);
    const { texts: _t, pairs: _p, ...summary } = summarise(measured, traces, withinCosine);
    out.push({ layer, ...summary, mean_spread: mean(traces.map(Math.sqrt)) });
    options.onLayer?.(layer);
  }
  return out;
}
