import { useEffect, useMemo, useState } from 'react';
import type { SocmEngine } from '../engine/types';
import type { EncodedText, EncoderDtype, EncoderInfo, LoadProgress } from '../encoders/types';
import { Comlink, type EncoderWorker } from '../worker/client';
import { analysePair, type PanelResult } from './analysis';
import { EncodingCache } from './encoding-cache';
import { LatestWins, liveSchedule, type RunContext } from './live';
import { loadWordRanks } from './word-frequency';

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

type SetState = (update: (s: PanelState) => PanelState) => void;

interface Job {
  worker: EncoderWorker;
  engine: SocmEngine;
  loaded: { key: string; info: EncoderInfo };
  /** Absent when the schedule keeps no cache (the benchmark's "before"). */
  cache?: EncodingCache;
  a: string;
  b: string;
  excludeSpecial: boolean;
  onGpuLost: (reason: string) => void;
}

/** Encodes what the cache lacks, then measures the pair; drops the result if superseded. */
async function runJob(job: Job, { waitMs, superseded }: RunContext, setState: SetState): Promise<void> {
  const { worker, engine, loaded, cache, a, b, excludeSpecial } = job;
  try {
    const t = performance.now();
    const missing = cache ? [...new Set([a, b])].filter((text) => !cache.get(text)) : [a, b];
    const fresh = missing.length ? await worker.encode(loaded.key, missing) : [];
    const encodeMs = performance.now() - t;
    const byText = new Map<string, EncodedText>();
    missing.forEach((text, i) => {
      byText.set(text, fresh[i]);
      cache?.set(text, fresh[i]);
    });
    const ea = byText.get(a) ?? cache!.get(a)!;
    const eb = cache ? byText.get(b) ?? cache.get(b)! : fresh[1];
    if (superseded()) return;
    for (const [label, e] of [['A', ea], ['B', eb]] as const) {
      const kept = excludeSpecial ? Array.from(e.special).filter((s) => s === 0).length : e.n;
      if (kept === 0) {
        const why = loaded.info.kind === 'static' ? 'none of its words has a GloVe vector' : 'only special tokens are left';
        setState((s) => ({ ...s, result: undefined, status: { phase: 'empty', message: `Text ${label} has no tokens to measure: ${why}.` } }));
        return;
      }
    }
    let sifProblem: string | undefined;
    const ranks = await loadWordRanks().catch((error: Error) => void (sifProblem = error.message));
    const result = await analysePair(engine, ea, eb, loaded.info, excludeSpecial, encodeMs, ranks ?? undefined);
    if (superseded()) return;
    result.timings = { ...result.timings, waitMs, encodedTexts: missing.length };
    if (sifProblem) result.sifProblem = sifProblem;
    setState((s) => ({ ...s, result, status: { phase: 'ready' } }));
  } catch (error) {
    if (superseded()) return;
    const e = error as Error;
    if (e.name === 'GpuUnavailableError') job.onGpuLost(e.message);
    else setState((s) => ({ ...s, status: { phase: 'error', message: e.message } }));
  }
}

/**
 * One model panel: loads the model in the worker, then on every change of the texts starts a
 * run at once (see live.ts: latest wins, superseded runs are dropped, unchanged texts come from
 * the encoding cache). The previous result stays visible (dimmed) while the next one runs.
 */
export function usePanel({ worker, engine, model, dtype, a, b, excludeSpecial, onGpuLost }: Inputs): PanelState {
  const [state, setState] = useState<PanelState>({ status: { phase: 'loading' } });
  const [loaded, setLoaded] = useState<{ key: string; info: EncoderInfo }>();
  const [schedule] = useState(liveSchedule);
  const [runner] = useState(() => new LatestWins<Job>((job, context) => runJob(job, context, setState), schedule.debounceMs));
  const cache = useMemo(() => (loaded && schedule.cacheEncodings ? new EncodingCache() : undefined), [loaded, schedule]);
  useEffect(() => () => runner.cancel(), [runner]);

  useEffect(() => {
    if (!worker) return;
    let live = true;
    let key: string | undefined;
    runner.cancel();
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
  }, [worker, model, dtype, runner]);

  useEffect(() => {
    if (!worker || !engine || !loaded) return;
    const empty = !a.trim() ? 'A' : !b.trim() ? 'B' : undefined;
    if (empty) {
      runner.cancel();
      setState((s) => ({ ...s, result: undefined, status: { phase: 'empty', message: `Text ${empty} is empty: type or paste some text to compare.` } }));
      return;
    }
    setState((s) => ({ ...s, status: { phase: 'working' } }));
    runner.submit({ worker, engine, loaded, cache, a, b, excludeSpecial, onGpuLost });
  }, [worker, engine, loaded, cache, a, b, excludeSpecial, onGpuLost, runner]);

  return state;
}
