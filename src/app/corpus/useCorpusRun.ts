import { useCallback, useRef, useState } from 'react';
import { runCorpus } from '../../corpus/run';
import type { SocmEngine } from '../../engine/types';
import { tokenCloud, type EncoderDtype } from '../../encoders/types';
import type { TokenMatrix } from '../../math';
import type { EncoderWorker } from '../../worker/client';
import { splitModelSpec } from '../url-state';
import { EMPTY_CORPUS, withRun, type CorpusBatch, type CorpusSession } from './session';

export type { ModelRun } from './session';

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
  | { phase: 'estimating' }
  | { phase: 'running'; progress: CorpusProgress }
  | { phase: 'done' }
  | { phase: 'cancelled' }
  | { phase: 'error'; message: string };

export interface RunOptions { excludeSpecial: boolean; dtype: EncoderDtype; limit: number }

/** How long a run will take, from a trial on its first texts with its first model. */
export interface RunEstimate { seconds: number; trialTexts: number }

const ENCODE_BATCH = 16;
/** Texts in the trial run that estimates a large run's time. */
export const TRIAL_TEXTS = 24;

function aborted(): DOMException {
  return new DOMException('cancelled', 'AbortError');
}

/** Encodes texts in batches; returns the clouds with tokens and which texts they are. */
async function encodeAll(
  worker: EncoderWorker, key: string, texts: string[], excludeSpecial: boolean, signal: AbortSignal | undefined,
  onBatch?: (done: number) => void,
): Promise<{ clouds: TokenMatrix[]; kept: number[] }> {
  const clouds: TokenMatrix[] = [];
  const kept: number[] = [];
  for (let k = 0; k < texts.length; k += ENCODE_BATCH) {
    if (signal?.aborted) throw aborted();
    const encoded = await worker.encode(key, texts.slice(k, k + ENCODE_BATCH));
    encoded.forEach((e, q) => {
      const cloud = tokenCloud(e, excludeSpecial);
      if (cloud.n > 0) {
        clouds.push(cloud);
        kept.push(k + q);
      }
    });
    onBatch?.(Math.min(texts.length, k + ENCODE_BATCH));
  }
  return { clouds, kept };
}

function newId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

/**
 * The all-pairs experiment per model, one run at a time, cancellable between batches. Finished
 * runs are kept (the latest per model, with the texts they ran on) until `clear`; a run that is
 * cancelled or fails replaces nothing.
 */
export function useCorpusRun(worker: EncoderWorker | undefined, engine: SocmEngine | undefined, initial: CorpusSession = EMPTY_CORPUS) {
  const [state, setState] = useState<CorpusRunState>({ phase: 'idle' });
  const [session, setSession] = useState<CorpusSession>(initial);
  const controller = useRef<AbortController | undefined>(undefined);

  const cancel = useCallback(() => controller.current?.abort(), []);
  const clear = useCallback(() => setSession(EMPTY_CORPUS), []);

  const start = useCallback(async (texts: string[], models: string[], options: RunOptions) => {
    if (!worker || !engine) return;
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    const signal = abort.signal;
    const batch: CorpusBatch = { id: newId(), texts: [...texts], excludeSpecial: options.excludeSpecial, limit: options.limit, engine: engine.description, startedAt: Date.now() };
    try {
      for (let m = 0; m < models.length; m++) {
        const spec = models[m];
        const report = (p: Omit<CorpusProgress, 'model' | 'modelIndex' | 'models'>) =>
          setState({ phase: 'running', progress: { model: spec, modelIndex: m, models: models.length, ...p } });
        report({ phase: 'loading', done: 0, total: 1 });
        const { model, dtype } = splitModelSpec(spec, options.dtype);
        const { key } = await worker.load({ model, dtype });
        const t0 = performance.now();
        let encoded: { clouds: TokenMatrix[]; kept: number[] };
        try {
          encoded = await encodeAll(worker, key, texts, options.excludeSpecial, signal, (done) => {
            const elapsed = (performance.now() - t0) / 1000;
            report({ phase: 'encoding', done, total: texts.length, eta: (elapsed / done) * (texts.length - done) });
          });
        } finally {
          void worker.unload(key);
        }
        if (encoded.clouds.length < 2) throw new Error(`${spec}: fewer than 2 texts have tokens to measure`);
        const t1 = performance.now();
        const result = await runCorpus(engine, encoded.clouds, {
          signal,
          onProgress: (p) => {
            const elapsed = (performance.now() - t1) / 1000;
            report({ phase: 'pairs', done: p.done, total: p.total, eta: p.done ? (elapsed / p.done) * (p.total - p.done) : undefined });
          },
        });
        const run = { model: spec, batch: batch.id, kept: encoded.kept, result, seconds: (performance.now() - t0) / 1000, finishedAt: Date.now() };
        setSession((s) => withRun(s, batch, run));
      }
      setState({ phase: 'done' });
    } catch (error) {
      const e = error as Error;
      if (e.name === 'AbortError' || signal.aborted) setState({ phase: 'cancelled' });
      else setState({ phase: 'error', message: e.message });
    }
  }, [worker, engine]);

  /**
   * A rough time for a run, from a trial: the first model encodes the first TRIAL_TEXTS texts
   * and measures their pairs; scaled by texts, pairs and models. Small batches use the GPU
   * less well, so on WebGPU this tends to overestimate.
   */
  const estimate = useCallback(async (texts: string[], models: string[], options: RunOptions): Promise<RunEstimate | undefined> => {
    if (!worker || !engine || !models.length) return undefined;
    setState({ phase: 'estimating' });
    try {
      const sample = texts.slice(0, TRIAL_TEXTS);
      const { model, dtype } = splitModelSpec(models[0], options.dtype);
      const { key } = await worker.load({ model, dtype });
      const t0 = performance.now();
      let clouds: TokenMatrix[];
      try {
        clouds = (await encodeAll(worker, key, sample, options.excludeSpecial, undefined)).clouds;
      } finally {
        void worker.unload(key);
      }
      const encodeSeconds = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      if (clouds.length >= 2) await engine.pairwise(clouds);
      const pairSeconds = (performance.now() - t1) / 1000;
      const trialPairs = Math.max(1, (clouds.length * (clouds.length - 1)) / 2);
      const pairs = (texts.length * (texts.length - 1)) / 2;
      const seconds = models.length * (encodeSeconds * (texts.length / sample.length) + pairSeconds * (pairs / trialPairs));
      return { seconds, trialTexts: sample.length };
    } catch (error) {
      setState({ phase: 'error', message: `the trial run for the time estimate failed: ${(error as Error).message}` });
      return undefined;
    } finally {
      setState((s) => (s.phase === 'estimating' ? { phase: 'idle' } : s));
    }
  }, [worker, engine]);

  return { state, session, start, cancel, clear, estimate };
}
