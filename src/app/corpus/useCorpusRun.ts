import { useCallback, useRef, useState } from 'react';
import { runCorpus, type CorpusResult } from '../../corpus/run';
import type { SocmEngine } from '../../engine/types';
import { tokenCloud, type EncoderDtype } from '../../encoders/types';
import type { TokenMatrix } from '../../math';
import type { EncoderWorker } from '../../worker/client';

export interface ModelRun {
  model: string;
  /** Indices (into the corpus) of the texts measured; texts with no tokens are left out. */
  kept: number[];
  result: CorpusResult;
  seconds: number;
}

export interface CorpusProgress {
  model: string;
  modelIndex: number;
  models: number;
  phase: 'loading' | 'encoding' | 'pairs';
  done: number;
  total: number;
  /** Seconds left in this phase, when it can be told. */
  eta?: number;
}

export type CorpusRunState =
  | { phase: 'idle' }
  | { phase: 'running'; progress: CorpusProgress }
  | { phase: 'done' }
  | { phase: 'cancelled' }
  | { phase: 'error'; message: string };

const ENCODE_BATCH = 16;

/** Runs the all-pairs experiment per model; one run at a time, cancellable between batches. */
export function useCorpusRun(worker?: EncoderWorker, engine?: SocmEngine) {
  const [state, setState] = useState<CorpusRunState>({ phase: 'idle' });
  const [runs, setRuns] = useState<ModelRun[]>([]);
  const controller = useRef<AbortController | undefined>(undefined);

  const cancel = useCallback(() => controller.current?.abort(), []);

  const start = useCallback(async (texts: string[], models: string[], options: { excludeSpecial: boolean; dtype: EncoderDtype }) => {
    if (!worker || !engine) return;
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    const signal = abort.signal;
    setRuns([]);
    const finished: ModelRun[] = [];
    try {
      for (let m = 0; m < models.length; m++) {
        const model = models[m];
        const report = (p: Omit<CorpusProgress, 'model' | 'modelIndex' | 'models'>) =>
          setState({ phase: 'running', progress: { model, modelIndex: m, models: models.length, ...p } });
        report({ phase: 'loading', done: 0, total: 1 });
        const { key } = await worker.load({ model, dtype: options.dtype });
        const clouds: TokenMatrix[] = [];
        const kept: number[] = [];
        const t0 = performance.now();
        try {
          for (let k = 0; k < texts.length; k += ENCODE_BATCH) {
            if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
            const encoded = await worker.encode(key, texts.slice(k, k + ENCODE_BATCH));
            encoded.forEach((e, q) => {
              const cloud = tokenCloud(e, options.excludeSpecial);
              if (cloud.n > 0) {
                clouds.push(cloud);
                kept.push(k + q);
              }
            });
            const done = Math.min(texts.length, k + ENCODE_BATCH);
            const elapsed = (performance.now() - t0) / 1000;
            report({ phase: 'encoding', done, total: texts.length, eta: (elapsed / done) * (texts.length - done) });
          }
        } finally {
          void worker.unload(key);
        }
        if (clouds.length < 2) throw new Error(`${model}: fewer than 2 texts have tokens to measure`);
        const t1 = performance.now();
        const result = await runCorpus(engine, clouds, {
          signal,
          onProgress: (p) => {
            const elapsed = (performance.now() - t1) / 1000;
            report({ phase: 'pairs', done: p.done, total: p.total, eta: p.done ? (elapsed / p.done) * (p.total - p.done) : undefined });
          },
        });
        finished.push({ model, kept, result, seconds: (performance.now() - t0) / 1000 });
        setRuns([...finished]);
      }
      setState({ phase: 'done' });
    } catch (error) {
      const e = error as Error;
      if (e.name === 'AbortError' || signal.aborted) setState({ phase: 'cancelled' });
      else setState({ phase: 'error', message: e.message });
    }
  }, [worker, engine]);

  return { state, runs, start, cancel };
}
