/**
 * A kept run's bootstrap intervals, computed in a small Web Worker of their own (intervals.worker.ts)
 * from the run's rows and texts, as `poolscope corpus` computes them: for all pairs the texts are
 * resampled, for a pair list or a sample the pairs; 1,000 replicates; the run's seed.
 */
import * as Comlink from 'comlink';
import { DEFAULT_REPLICATES } from '../../corpus/bootstrap';
import type { CorpusIntervals, MeasuredPairs } from '../../corpus/run';
import type { IntervalsApi } from './intervals.worker';
import type { CorpusBatch, ModelRun } from './session';

let worker: Comlink.Remote<IntervalsApi> | undefined;

function api(): Comlink.Remote<IntervalsApi> {
  worker ??= Comlink.wrap<IntervalsApi>(new Worker(new URL('./intervals.worker.ts', import.meta.url), { type: 'module', name: 'poolscope-intervals' }));
  return worker;
}

/** The measured pairs of a kept run, as summaryIntervals takes them (rows are in the plan's order). */
export function measuredOf(run: ModelRun, batch: CorpusBatch): MeasuredPairs {
  const { rows } = run.result;
  const count = rows.length;
  const d1 = new Float64Array(count);
  const d2 = new Float64Array(count);
  const socm = new Float64Array(count);
  rows.forEach((row, k) => {
    d1[k] = row[2];
    d2[k] = row[3];
    socm[k] = row[4];
  });
  return { plan: { kind: batch.pairs ?? 'all', texts: run.result.summary.texts, count }, d1, d2, socm, flagged: run.result.summary.flagged };
}

/** The run's intervals, from the worker (the arrays it gets are copies, transferred). */
export async function runIntervals(run: ModelRun, batch: CorpusBatch): Promise<CorpusIntervals> {
  const measured = measuredOf(run, batch);
  const traces = run.result.traces.slice();
  const withinCosine = run.result.withinCosine.slice();
  const transfer = [measured.d1.buffer, measured.d2.buffer, measured.socm.buffer, traces.buffer, withinCosine.buffer] as ArrayBuffer[];
  return api().summaryIntervals(Comlink.transfer(measured, transfer), traces, withinCosine, { replicates: DEFAULT_REPLICATES, seed: batch.seed ?? 1 });
}
