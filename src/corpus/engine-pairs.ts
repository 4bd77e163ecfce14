/**
 * d1, d2 and SOCM for any list of pairs, batch by batch, on an engine's fast route
 * (SocmEngine.pairMeasurer: WebAssembly kernels and workers on the CPU, batched Gram tiles on
 * WebGPU); an engine without one (a test's fake) measures one pair at a time through `pair`.
 */
import type { PairMeasurer, PairValues, SocmEngine } from '../engine/types';
import { emptyValues, setPairValues } from '../engine/values';
import { checkSameWidth, throwIfAborted, type TokenMatrix } from '../math';

export type { PairMeasurer, PairValues } from '../engine/types';

/** A measurer for these texts on this engine (texts are validated and prepared once). */
export async function pairMeasurer(engine: SocmEngine, texts: readonly TokenMatrix[]): Promise<PairMeasurer> {
  checkSameWidth(texts);
  if (engine.pairMeasurer) return engine.pairMeasurer(texts);
  return {
    async measure(is, js, signal): Promise<PairValues> {
      const out = emptyValues(is.length);
      for (let k = 0; k < is.length; k++) {
        throwIfAborted(signal);
        setPairValues(out, k, await engine.pair(texts[is[k]], texts[js[k]]));
      }
      return out;
    },
    dispose: () => {},
  };
}
