import { useEffect, useRef, useState } from 'react';
import type { SocmEngine } from '../engine/types';
import type { EncoderDtype, EncoderInfo, LoadProgress } from '../encoders/types';
import { Comlink, type EncoderWorker } from '../worker/client';
import { analysePair, type PanelResult } from './analysis';

export type PanelStatus =
  | { phase: 'loading'; progress?: LoadProgress }
  | { phase: 'working' }
  | { phase: 'ready' }
  | { phase: 'empty'; message: string }
  | { phase: 'error'; message: string };

export interface PanelState {
  status: PanelStatus;
  info?: EncoderInfo;
  result?: PanelResult;
}

/** Pause after the last keystroke before encoding. */
export const DEBOUNCE_MS = 250;

interface Inputs {
  worker?: EncoderWorker;
  engine?: SocmEngine;
  model: string;
  dtype: EncoderDtype;
  a: string;
  b: string;
  excludeSpecial: boolean;
  onGpuLost: (reason: string) => void;
}

/**
 * One model panel: loads the model in the worker, then after each pause in typing encodes both
 * texts and computes the statistics. Results of superseded runs are dropped, so the panel always
 * shows the latest texts; the previous result stays visible (dimmed) while the next one runs.
 */
export function usePanel({ worker, engine, model, dtype, a, b, excludeSpecial, onGpuLost }: Inputs): PanelState {
  const [state, setState] = useState<PanelState>({ status: { phase: 'loading' } });
  const [loaded, setLoaded] = useState<{ key: string; info: EncoderInfo }>();
  const run = useRef(0);

  useEffect(() => {
    if (!worker) return;
    let live = true;
    let key: string | undefined;
    setLoaded(undefined);
    setState({ status: { phase: 'loading' } });
    const progress = Comlink.proxy((p: LoadProgress) => {
      if (live) setState((s) => (s.status.phase === 'loading' ? { ...s, status: { phase: 'loading', progress: p } } : s));
    });
    worker.load({ model, dtype }, progress).then(
      (r) => {
        if (!live) return void worker.unload(r.key);
        key = r.key;
        setLoaded(r);
        setState({ status: { phase: 'working' }, info: r.info });
      },
      (error: Error) => live && setState({ status: { phase: 'error', message: error.message } }),
    );
    return () => {
      live = false;
      if (key) void worker.unload(key);
    };
  }, [worker, model, dtype]);

  useEffect(() => {
    if (!worker || !engine || !loaded) return;
    const empty = !a.trim() ? 'A' : !b.trim() ? 'B' : undefined;
    if (empty) {
      run.current++;
      setState((s) => ({ ...s, result: undefined, status: { phase: 'empty', message: `Text ${empty} is empty: type or paste some text to compare.` } }));
      return;
    }
    const id = ++run.current;
    setState((s) => ({ ...s, status: { phase: 'working' } }));
    const timer = setTimeout(async () => {
      try {
        const t = performance.now();
        const [ea, eb] = await worker.encode(loaded.key, [a, b]);
        const encodeMs = performance.now() - t;
        if (id !== run.current) return;
        for (const [label, e] of [['A', ea], ['B', eb]] as const) {
          const kept = excludeSpecial ? Array.from(e.special).filter((s) => s === 0).length : e.n;
          if (kept === 0) {
            const why = loaded.info.kind === 'static' ? 'none of its words has a GloVe vector' : 'only special tokens are left';
            setState((s) => ({ ...s, result: undefined, status: { phase: 'empty', message: `Text ${label} has no tokens to measure: ${why}.` } }));
            return;
          }
        }
        const result = await analysePair(engine, ea, eb, loaded.info, excludeSpecial, encodeMs);
        if (id !== run.current) return;
        setState((s) => ({ ...s, result, status: { phase: 'ready' } }));
      } catch (error) {
        if (id !== run.current) return;
        const e = error as Error;
        if (e.name === 'GpuUnavailableError') onGpuLost(e.message);
        else setState((s) => ({ ...s, status: { phase: 'error', message: e.message } }));
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [worker, engine, loaded, a, b, excludeSpecial, onGpuLost]);

  return state;
}
