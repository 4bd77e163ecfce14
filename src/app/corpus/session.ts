import type { CorpusResult, CorpusSummary } from '../../corpus/run';
import type { PairRow } from '../../math';

/** The exact texts and settings one press of Run used. */
export interface CorpusBatch {
  id: string;
  texts: string[];
  excludeSpecial: boolean;
  /** The "use at most" setting then. */
  limit: number;
  /** The statistics engine that ran it. */
  engine?: string;
  startedAt: number;
}

/** One model's finished run: its numbers, and the batch (texts, settings) they were computed on. */
export interface ModelRun {
  /** The model as given (with its `:dtype` when it has one): runs are kept per model. */
  model: string;
  batch: string;
  /** Indices (into the batch's texts) of the texts measured; texts with no tokens are left out. */
  kept: number[];
  result: CorpusResult;
  seconds: number;
  finishedAt: number;
}

/** Everything corpus mode keeps until the user clears it: the latest finished run per model. */
export interface CorpusSession {
  batches: CorpusBatch[];
  runs: ModelRun[];
}

export const EMPTY_CORPUS: CorpusSession = { batches: [], runs: [] };

/**
 * The session with a finished run added: it replaces only the same model's earlier run (a run
 * that never finishes replaces nothing); batches no run refers to any more are dropped.
 */
export function withRun(session: CorpusSession, batch: CorpusBatch, run: ModelRun): CorpusSession {
  const runs = [...session.runs.filter((r) => r.model !== run.model), run];
  const batches = [...session.batches.filter((b) => b.id !== batch.id), batch].filter((b) => runs.some((r) => r.batch === b.id));
  return { batches, runs };
}

export function batchOf(session: CorpusSession, run: ModelRun): CorpusBatch {
  const batch = session.batches.find((b) => b.id === run.batch);
  if (!batch) throw new Error(`corpus run ${run.model} has lost its texts (batch ${run.batch})`);
  return batch;
}

/** The texts of a run's pair (i, j): indices are into the measured texts, as in the run's rows. */
export function pairTexts(session: CorpusSession, run: ModelRun, i: number, j: number): [string, string] {
  const { texts } = batchOf(session, run);
  return [texts[run.kept[i]], texts[run.kept[j]]];
}

/** Rows as columns of typed arrays: how runs are stored (IndexedDB clones these fast and small). */
export interface StoredRows { i: Uint32Array; j: Uint32Array; d1: Float64Array; d2: Float64Array; socm: Float64Array }

export interface StoredRun extends Omit<ModelRun, 'result'> {
  summary: CorpusSummary;
  rows: StoredRows;
  traces: Float64Array;
  withinCosine: Float64Array;
}

export interface StoredCorpus { version: 1; batches: CorpusBatch[]; runs: StoredRun[] }

export function packRows(rows: readonly PairRow[]): StoredRows {
  const n = rows.length;
  const out = { i: new Uint32Array(n), j: new Uint32Array(n), d1: new Float64Array(n), d2: new Float64Array(n), socm: new Float64Array(n) };
  rows.forEach(([i, j, d1, d2, s], k) => {
    out.i[k] = i; out.j[k] = j; out.d1[k] = d1; out.d2[k] = d2; out.socm[k] = s;
  });
  return out;
}

export function unpackRows(rows: StoredRows): PairRow[] {
  return Array.from(rows.i, (i, k) => [i, rows.j[k], rows.d1[k], rows.d2[k], rows.socm[k]] as PairRow);
}

export function packCorpus(session: CorpusSession): StoredCorpus {
  return {
    version: 1,
    batches: session.batches,
    runs: session.runs.map(({ result, ...run }) => ({ ...run, summary: result.summary, rows: packRows(result.rows), traces: result.traces, withinCosine: result.withinCosine })),
  };
}

/** A stored corpus session back, or the empty one when what is stored is not one (older or damaged). */
export function unpackCorpus(stored: unknown): CorpusSession {
  const s = stored as StoredCorpus | undefined;
  if (!s || s.version !== 1 || !Array.isArray(s.batches) || !Array.isArray(s.runs)) return EMPTY_CORPUS;
  const runs = s.runs
    .filter((r) => s.batches.some((b) => b.id === r.batch))
    .map(({ summary, rows, traces, withinCosine, ...run }) => ({ ...run, result: { summary, rows: unpackRows(rows), traces, withinCosine } }));
  return { batches: s.batches.filter((b) => runs.some((r) => r.batch === b.id)), runs };
}
