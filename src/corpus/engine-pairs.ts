/**
 * d1, d2 and SOCM for any list of pairs, batch by batch, on an engine's route. This is the one
 * place that knows how an engine measures an arbitrary pair list: today SocmEngine only offers
 * all pairs at once, so the WebGPU route goes through its GpuSocm (prepare once, runPairs per
 * batch) and the CPU route through the float64 math it wraps (one cloud per text, then pairStats,
 * exactly what pairwiseCpu does). When SocmEngine gains a streaming pair-list method, this file is
 * all that changes.
 */
import type { SocmEngine } from '../engine/types';
import { WebGpuSocmEngine } from '../engine/webgpu';
import type { GpuClouds } from '../gpu/engine';
import { checkSameWidth, makeCloud, pairStats, throwIfAborted, type Cloud, type TokenMatrix } from '../math';

/** One batch's values, in the batch's pair order. */
export interface PairValues {
  d1: Float64Array;
  d2: Float64Array;
  socm: Float64Array;
  /** 1 where a text of the pair has tr Σ > 2 (the trace-over-2 flag). */
  flagged: Uint8Array;
}

export interface PairMeasurer {
  /** The pairs (is[k], js[k]) of the texts the measurer was made for. */
  measure(is: Uint32Array, js: Uint32Array, signal?: AbortSignal): Promise<PairValues>;
  dispose(): void;
}

function values(count: number): PairValues {
  return { d1: new Float64Array(count), d2: new Float64Array(count), socm: new Float64Array(count), flagged: new Uint8Array(count) };
}

/** A measurer for these texts on this engine (texts are validated and prepared once). */
export async function pairMeasurer(engine: SocmEngine, texts: readonly TokenMatrix[]): Promise<PairMeasurer> {
  checkSameWidth(texts);
  if (engine instanceof WebGpuSocmEngine) {
    const gpu = engine.gpu;
    const clouds: GpuClouds = await gpu.prepare(texts);
    return {
      async measure(is, js, signal) {
        const out = values(is.length);
        let k = 0;
        const pairs = Array.from(is, (i, m): [number, number] => [i, js[m]]);
        await gpu.runPairs(clouds, pairs, pairs.length, (_index, outcome) => {
          for (const o of outcome) {
            out.d1[k] = o.d1;
            out.d2[k] = o.d2;
            out.socm[k] = o.socm;
            out.flagged[k++] = o.flagged ? 1 : 0;
          }
        }, { signal });
        return out;
      },
      dispose: () => gpu.release(clouds),
    };
  }
  if (engine.backend === 'cpu') {
    const clouds: Cloud[] = texts.map((t, i) => makeCloud(t, `text ${i}`));
    return {
      async measure(is, js, signal) {
        const out = values(is.length);
        let lastYield = Date.now();
        for (let k = 0; k < is.length; k++) {
          const st = pairStats(clouds[is[k]], clouds[js[k]]);
          out.d1[k] = st.d1;
          out.d2[k] = st.d2;
          out.socm[k] = st.socm;
          out.flagged[k] = st.flags.length ? 1 : 0;
          // Yield now and then, so progress is drawn and a cancel is heard.
          if (Date.now() - lastYield > 50) {
            await new Promise((r) => setTimeout(r, 0));
            throwIfAborted(signal);
            lastYield = Date.now();
          }
        }
        return out;
      },
      dispose: () => {},
    };
  }
  // Any other engine: one pair at a time through its public interface.
  return {
    async measure(is, js, signal) {
      const out = values(is.length);
      for (let k = 0; k < is.length; k++) {
        throwIfAborted(signal);
        const st = await engine.pair(texts[is[k]], texts[js[k]]);
        out.d1[k] = st.d1;
        out.d2[k] = st.d2;
        out.socm[k] = st.socm;
        out.flagged[k] = st.flags.length ? 1 : 0;
      }
      return out;
    },
    dispose: () => {},
  };
}
