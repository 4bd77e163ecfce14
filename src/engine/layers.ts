/**
 * The paper's §6 layer story for two texts: at every layer 0…L, SOCM and its parts (from the
 * engine: WGSL or the float64 CPU) and each text's within-text concentration (tr Σ, mean token cosine).
 */
import { concentration, makeCloud, type PairStats, type TokenMatrix } from '../math';
import type { SocmEngine } from './types';

export interface LayerStats extends PairStats {
  layer: number;
  /** Mean pairwise cosine of the text's tokens at this layer (NaN for a one-token text). */
  withinCosA: number;
  withinCosB: number;
}

/** One entry per layer; `layersA[k]` and `layersB[k]` are the two texts' clouds at layer k. */
export async function pairLayers(engine: SocmEngine, layersA: readonly TokenMatrix[], layersB: readonly TokenMatrix[]): Promise<LayerStats[]> {
  if (layersA.length !== layersB.length) throw new Error(`text A has ${layersA.length} layers, text B ${layersB.length}`);
  const out: LayerStats[] = [];
  for (let k = 0; k < layersA.length; k++) {
    const stats = await engine.pair(layersA[k], layersB[k]);
    out.push({
      ...stats,
      layer: k,
      withinCosA: concentration(makeCloud(layersA[k], `text A, layer ${k}`)).meanWithinCosine,
      withinCosB: concentration(makeCloud(layersB[k], `text B, layer ${k}`)).meanWithinCosine,
    });
  }
  return out;
}
