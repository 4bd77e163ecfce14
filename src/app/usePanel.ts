import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { PanelAnalyser, type AttentionMap, type PanelAnalysis } from '../analysis/panel';
import type { PanelResult } from '../analysis/pair';
import { loadWordRanks } from '../analysis/word-frequency';
import type { LayerStats } from '../engine/layers';
import type { SocmEngine } from '../engine/types';
import type { EncoderDtype, EncoderInfo, LoadProgress } from '../encoders/types';
import { Comlink, type EncoderWorker } from '../worker/client';
import { LatestWins, liveSchedule, type RunContext } from './live';

export type PanelStatus =
  | { phase: 'checking' }
  | { phase: 'confirm'; bytes: number }
  | { phase: 'loading'; progress?: LoadProgress }
  /** `layerOnly`: the same texts at another layer (nothing to encode: every layer is kept). */
  | { phase: 'working'; layerOnly?: boolean }
  | { phase: 'ready' }
  | { phase: 'empty'; message: string }
  | { phase: 'error'; message: string };

export interface PanelState {
  status: PanelStatus;
  info?: EncoderInfo;
  result?: PanelResult;
  /** The layer shown and every layer's statistics (models loaded from their own weights). */
  layer?: number;
  layers?: LayerStats[];
  /** What computed the statistics (the worker's engine, or the page's in the benchmark's "before"). */
  statsEngine?: string;
}

/** Weights larger than this are downloaded only after the user says so (the size shown first). */
export const CONFIRM_DOWNLOAD_BYTES = 50_000_000;

interface Inputs {
  worker?: EncoderWorker;
  engine?: SocmEngine;
  model: string;
  dtype: EncoderDtype;
  route: 'auto' | 'onnx';
  layer?: number;
  a: string;
  b: string;
  excludeSpecial: boolean;
  onGpuLost: (reason: string) => void;
}

type SetState = (update: (s: PanelState) => PanelState) => void;

interface Job {
  /** The run itself: in the encoder worker (the app), or on this thread (the benchmark's "before"). */
  analyse: () => Promise<PanelAnalysis | undefined>;
  onGpuLost: (reason: string) => void;
}

async function runJob(job: Job, { waitMs, superseded }: RunContext, setState: SetState): Promise<void> {
  try {
    const analysis = await job.analyse();
    if (superseded() || !analysis) return;
    if (analysis.kind === 'empty') {
      setState((s) => ({ ...s, result: undefined, layers: undefined, status: { phase: 'empty', message: analysis.message } }));
      return;
    }
    const result = { ...analysis.result, timings: { ...analysis.result.timings, waitMs } };
    setState((s) => ({ ...s, result, layer: analysis.layer, layers: analysis.layers, statsEngine: analysis.engine, status: { phase: 'ready' } }));
  } catch (error) {
    if (superseded()) return;
    const e = error as Error;
    if (e.name === 'GpuUnavailableError') job.onGpuLost(e.message);
    else setState((s) => ({ ...s, status: { phase: 'error', message: e.message } }));
  }
}

/**
 * One model panel: says how much a model would download and waits for a yes above
 * CONFIRM_DOWNLOAD_BYTES, loads it in the worker, then on every change of the texts or the layer
 * starts a run at once (live.ts: latest wins, superseded runs are dropped). The run happens in the
 * encoder worker (src/analysis/panel.ts): encodings cached per text, statistics at the chosen layer
 * and at every layer; only the numbers come back to be drawn. The previous result stays visible
 * (dimmed) while the next one runs. `confirm` starts a download the panel is waiting on.
 */
export function usePanel({ worker, engine, model, dtype, route, layer, a, b, excludeSpecial, onGpuLost }: Inputs): PanelState & {
  confirm: () => void;
  /** A layer's attention over a text, where the model gives attention (loaded from its own weights). */
  attention?: (text: string, layer: number) => Promise<AttentionMap>;
} {
  const [state, setState] = useState<PanelState>({ status: { phase: 'checking' } });
  const [loaded, setLoaded] = useState<{ key: string; info: EncoderInfo }>();
  const [confirmed, setConfirmed] = useState<string>();
  const [schedule] = useState(liveSchedule);
  const [runner] = useState(() => new LatestWins<Job>((job, context) => runJob(job, context, setState), schedule.debounceMs));
  useEffect(() => () => runner.cancel(), [runner]);
  const request = JSON.stringify([model, dtype, route]);
  const confirm = useCallback(() => setConfirmed(request), [request]);

  useEffect(() => {
    if (!worker) return;
    let live = true;
    let key: string | undefined;
    runner.cancel();
    setLoaded(undefined);
    setState({ status: { phase: 'checking' } });
    const progress = Comlink.proxy((p: LoadProgress) => {
      if (live) setState((s) => (s.status.phase === 'loading' ? { ...s, status: { phase: 'loading', progress: p } } : s));
    });
    (async () => {
      if (route !== 'onnx' && dtype === 'fp32' && confirmed !== request) {
        const plan = await worker.inspect(model);
        if (!live) return;
        if (plan.route === 'weights' && plan.downloadBytes !== undefined && plan.downloadBytes > CONFIRM_DOWNLOAD_BYTES) {
          setState({ status: { phase: 'confirm', bytes: plan.downloadBytes } });
          return;
        }
      }
      setState({ status: { phase: 'loading' } });
      const r = await worker.load({ model, dtype, route }, progress);
      if (!live) return void worker.unload(r.key);
      key = r.key;
      setLoaded(r);
      setState({ status: { phase: 'working' }, info: r.info });
    })().catch((error: Error) => live && setState({ status: { phase: 'error', message: error.message } }));
    return () => {
      live = false;
      if (key) void worker.unload(key);
    };
  }, [worker, model, dtype, route, confirmed, request, runner]);

  // The benchmark's "before": statistics on this thread's engine, hidden states sent over from the worker.
  const [mainAnalyser, setMainAnalyser] = useState<PanelAnalyser>();
  useEffect(() => {
    if (!worker || !loaded || !engine || schedule.statsInWorker) return setMainAnalyser(undefined);
    setMainAnalyser(new PanelAnalyser(engine, (texts, options) => worker.encode(loaded.key, texts, options), loaded.info, loadWordRanks));
  }, [worker, loaded, engine, schedule]);

  const lastInputs = useRef<{ loaded: typeof loaded; a: string; b: string; excludeSpecial: boolean }>(undefined);
  useEffect(() => {
    if (!worker || !loaded || (!schedule.statsInWorker && !mainAnalyser)) return;
    const empty = !a.trim() ? 'A' : !b.trim() ? 'B' : undefined;
    if (empty) {
      runner.cancel();
      setState((s) => ({ ...s, result: undefined, layers: undefined, status: { phase: 'empty', message: `Text ${empty} is empty: type or paste some text to compare.` } }));
      return;
    }
    const inputs = { loaded, a, b, excludeSpecial };
    const before = lastInputs.current;
    const layerOnly = Boolean(before && before.loaded === loaded && before.a === a && before.b === b && before.excludeSpecial === excludeSpecial);
    lastInputs.current = inputs;
    setState((s) => ({ ...s, status: { phase: 'working', layerOnly } }));
    const options = { layer, excludeSpecial, fresh: !schedule.cacheEncodings };
    runner.submit({
      analyse: mainAnalyser ? () => mainAnalyser.analyse(a, b, options) : () => worker.analyse(loaded.key, a, b, options),
      onGpuLost,
    });
  }, [worker, loaded, mainAnalyser, schedule, a, b, layer, excludeSpecial, onGpuLost, runner]);

  const attention = useMemo(() => {
    if (!worker || !loaded?.info.heads) return undefined;
    return mainAnalyser
      ? (text: string, k: number) => mainAnalyser.attention(text, k)
      : (text: string, k: number) => worker.attention(loaded.key, text, k);
  }, [worker, loaded, mainAnalyser]);

  return { ...state, confirm, attention };
}
