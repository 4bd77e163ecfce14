import { useCallback, useEffect, useRef, useState } from 'react';
import { dropTexts, planDigest } from '../../corpus/pairs';
import { measurePairs, summarise, textConcentration } from '../../corpus/run';
import type { SocmEngine } from '../../engine/types';
import { tokenCloud, type EncoderDtype } from '../../encoders/types';
import type { TokenMatrix } from '../../math';
import type { EncoderWorker } from '../../worker/client';
import { splitModelSpec } from '../url-state';
import type { LayerSummary } from '../../corpus/layers';
import type { PairRow } from '../../math';
import { runIntervals } from './intervals';
import { DEFAULT_SOURCE, type PlannedSource, type SourceSettings } from './plan';
import { EMPTY_CORPUS, withIntervals, withLayers, withoutRuns, withRun, type CorpusBatch, type CorpusSession, type ModelRun } from './session';

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

export interface RunOptions {
  excludeSpecial: boolean;
  dtype: EncoderDtype;
  limit: number;
  /** The layer to measure (0…L, negative from the end; models without layers use their only one); default the last. */
  layer?: number;
}

/** How long a run will take, from a trial on its first texts with its first model: seconds per text encoded and per pair, for every model. */
export interface RunEstimate { perText: number; perPair: number; trialTexts: number }

/** The estimated seconds of a run that encodes `texts` texts and measures `pairs` pairs. */
export function estimateSeconds(e: RunEstimate, texts: number, pairs: number): number {
  return e.perText * texts + e.perPair * pairs;
}

const ENCODE_BATCH = 16;
/** Texts in the trial run that estimates a large run's time. */
export const TRIAL_TEXTS = 24;

function aborted(): DOMException {
  return new DOMException('cancelled', 'AbortError');
}

/** Encodes texts in batches; returns the clouds with tokens and which texts they are. */
async function encodeAll(
  worker: EncoderWorker, key: string, texts: string[], excludeSpecial: boolean, signal: AbortSignal | undefined,
  onBatch?: (done: number) => void, layer?: number,
): Promise<{ clouds: TokenMatrix[]; kept: number[] }> {
  const clouds: TokenMatrix[] = [];
  const kept: number[] = [];
  for (let k = 0; k < texts.length; k += ENCODE_BATCH) {
    if (signal?.aborted) throw aborted();
    const encoded = await worker.encode(key, texts.slice(k, k + ENCODE_BATCH), layer === undefined ? undefined : { layer });
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
  /** Everything: runs, source settings, scores (clearing the saved session). */
  const clear = useCallback(() => setSession(EMPTY_CORPUS), []);
  /** The kept runs only (Clear results…): the source settings and typed scores stay. */
  const clearRuns = useCallback(() => setSession(withoutRuns), []);
  const setSource = useCallback((source: SourceSettings) => setSession((s) => ({ ...s, source })), []);
  const setScores = useCallback((scores: Record<string, number>) => setSession((s) => ({ ...s, scores })), []);

  // Every kept run gets its bootstrap intervals, computed off the main thread once it is kept
  // (runs restored from an older session get them too). One at a time.
  const intervalJobs = useRef(new Set<string>());
  const [intervalProblem, setIntervalProblem] = useState<string>();
  useEffect(() => {
    for (const run of session.runs) {
      const id = `${run.model}|${run.batch}|${run.finishedAt}`;
      if (run.intervals || intervalJobs.current.has(id)) continue;
      const batch = session.batches.find((b) => b.id === run.batch);
      if (!batch || run.result.rows.length === 0) continue;
      intervalJobs.current.add(id);
      runIntervals(run, batch).then(
        (intervals) => setSession((s) => withIntervals(s, run, intervals)),
        (error: Error) => setIntervalProblem(`The bootstrap intervals of ${run.model} could not be computed (${error.message}); the means are unaffected.`),
      );
    }
  }, [session]);

  const start = useCallback(async (source: PlannedSource, models: string[], options: RunOptions) => {
    if (!worker || !engine) return;
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    const signal = abort.signal;
    const { texts, plan } = source;
    const batch: CorpusBatch = {
      id: newId(), texts: [...texts], excludeSpecial: options.excludeSpecial, limit: options.limit, engine: engine.description, startedAt: Date.now(),
      ...(plan.kind !== 'all' ? { pairs: plan.kind, pairsDigest: planDigest(plan) } : {}),
      ...(plan.kind === 'sample' ? { sample: { pairs: plan.count, seed: source.seed, population: plan.population!, texts: source.given } } : {}),
      ...(source.seed !== 1 ? { seed: source.seed } : {}),
      ...(source.inputIndex.some((v, k) => v !== k) ? { inputIndex: Array.from(source.inputIndex) } : {}),
    };
    try {
      for (let m = 0; m < models.length; m++) {
        const spec = models[m];
        const report = (p: Omit<CorpusProgress, 'model' | 'modelIndex' | 'models'>) =>
          setState({ phase: 'running', progress: { model: spec, modelIndex: m, models: models.length, ...p } });
        report({ phase: 'loading', done: 0, total: 1 });
        const { model, dtype, route } = splitModelSpec(spec, options.dtype);
        const { key, info } = await worker.load({ model, dtype, route });
        // Models without inner layers (GloVe, ONNX exports) are measured at their only one.
        const depth = info.layers;
        const layer = depth === undefined ? undefined : Math.max(0, Math.min(depth, options.layer === undefined ? depth : options.layer < 0 ? depth + 1 + options.layer : options.layer));
        const t0 = performance.now();
        let encoded: { clouds: TokenMatrix[]; kept: number[] };
        try {
          encoded = await encodeAll(worker, key, texts, options.excludeSpecial, signal, (done) => {
            const elapsed = (performance.now() - t0) / 1000;
            report({ phase: 'encoding', done, total: texts.length, eta: (elapsed / done) * (texts.length - done) });
          }, layer);
        } finally {
          void worker.unload(key);
        }
        // Texts with no tokens to measure are left out, with their pairs (as poolscope corpus does).
        const keep = new Uint8Array(texts.length);
        for (const k of encoded.kept) keep[k] = 1;
        const measuredPlan = dropTexts(plan, keep).plan;
        if (encoded.clouds.length < 2 || measuredPlan.count === 0) throw new Error(`${spec}: no pairs left to measure (${texts.length - encoded.clouds.length} of ${texts.length} texts have no tokens)`);
        const t1 = performance.now();
        const rows: PairRow[] = [];
        const measured = await measurePairs(engine, encoded.clouds, measuredPlan, {
          signal,
          onRows: (batchRows) => {
            for (const r of batchRows) rows.push(r);
          },
          onProgress: (p) => {
            const elapsed = (performance.now() - t1) / 1000;
            report({ phase: 'pairs', done: p.done, total: p.total, eta: p.done ? (elapsed / p.done) * (p.total - p.done) : undefined });
          },
        });
        const { traces, withinCosine } = textConcentration(encoded.clouds);
        const result = { rows, traces, withinCosine, summary: summarise(measured, traces, withinCosine) };
        const run: ModelRun = { model: spec, batch: batch.id, kept: encoded.kept, result, seconds: (performance.now() - t0) / 1000, finishedAt: Date.now(), layer, depth };
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
   * and measures their pairs; per text and per pair, times the models. Small batches use the
   * GPU less well, so on WebGPU this tends to overestimate.
   */
  const estimate = useCallback(async (texts: string[], models: string[], options: RunOptions): Promise<RunEstimate | undefined> => {
    if (!worker || !engine || !models.length) return undefined;
    setState({ phase: 'estimating' });
    try {
      const sample = texts.slice(0, TRIAL_TEXTS);
      const { model, dtype, route } = splitModelSpec(models[0], options.dtype);
      const { key } = await worker.load({ model, dtype, route });
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
      return { perText: (models.length * encodeSeconds) / sample.length, perPair: (models.length * pairSeconds) / trialPairs, trialTexts: sample.length };
    } catch (error) {
      setState({ phase: 'error', message: `the trial run for the time estimate failed: ${(error as Error).message}` });
      return undefined;
    } finally {
      setState((s) => (s.phase === 'estimating' ? { phase: 'idle' } : s));
    }
  }, [worker, engine]);

  /** Keeps a run's every-layer summary with it (computed by useLayerRun). */
  const attachLayers = useCallback((model: string, batch: string, layers: LayerSummary[]) => setSession((s) => withLayers(s, model, batch, layers)), []);

  return { state, session, source: session.source ?? DEFAULT_SOURCE, intervalProblem, start, cancel, clear, clearRuns, setSource, setScores, estimate, attachLayers };
}
