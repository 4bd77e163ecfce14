import type { LayerSummary } from '../../corpus/layers';
import type { PairPlan } from '../../corpus/pairs';
import type { CorpusIntervals, CorpusResult, CorpusSummary } from '../../corpus/run';
import type { PairRow } from '../../math';
import type { SourceSettings } from './plan';

/** The exact texts and settings one press of Run used. */
export interface CorpusBatch {
  id: string;
  /** The texts the run's pairs use (all the box's for all pairs; a sample's or a pair list's own). */
  texts: string[];
  /** Which pairs: all pairs of the texts (also when absent: runs kept before pair lists), a pair list, a sample. */
  pairs?: PairPlan['kind'];
  /** A sample's settings: its size, its seed, and the pairs and texts it was drawn from. */
  sample?: { pairs: number; seed: number; population: number; texts: number };
  /** Seed of the bootstrap intervals (and of the sample); absent: 1. */
  seed?: number;
  /** planDigest of the pairs measured (pair lists and samples; absent on runs kept before it). */
  pairsDigest?: string;
  /** Each text's number in the box it came from, where that is not its place here (a sample: its line among the box's texts). */
  inputIndex?: number[];
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
  /** The layer the run measured (models loaded from their own weights; absent for GloVe and ONNX exports). */
  layer?: number;
  /** The model's depth L (hidden states 0…L), where it has layers. */
  depth?: number;
  /** The paper's §6 at every layer, once asked for (same texts as the run). */
  layers?: LayerSummary[];
  /** Bootstrap 95% intervals of the summary's means (computed off the main thread once the run is kept). */
  intervals?: CorpusIntervals;
}

/** Everything corpus mode keeps until the user clears it: the latest finished run per model. */
export interface CorpusSession {
  batches: CorpusBatch[];
  runs: ModelRun[];
  /** How the box is read and which pairs the next run takes (absent: one text per line, all pairs). */
  source?: SourceSettings;
  /** Downstream scores the user typed or loaded for the correlation panel, by model as run. */
  scores?: Record<string, number>;
}

export const EMPTY_CORPUS: CorpusSession = { batches: [], runs: [] };

/** The session without its runs: the source settings and the scores stay (they are settings, not results). */
export function withoutRuns(session: CorpusSession): CorpusSession {
  const { source, scores } = session;
  return { ...EMPTY_CORPUS, ...(source ? { source } : {}), ...(scores ? { scores } : {}) };
}

/**
 * The session with a finished run added: it replaces only the same model's earlier run (a run
 * that never finishes replaces nothing); batches no run refers to any more are dropped.
 */
export function withRun(session: CorpusSession, batch: CorpusBatch, run: ModelRun): CorpusSession {
  const runs = [...session.runs.filter((r) => r.model !== run.model), run];
  const batches = [...session.batches.filter((b) => b.id !== batch.id), batch].filter((b) => runs.some((r) => r.batch === b.id));
  return { ...session, batches, runs };
}

/** The session with a run's every-layer summary attached (the run as kept: same model and batch). */
export function withLayers(session: CorpusSession, model: string, batch: string, layers: LayerSummary[]): CorpusSession {
  return { ...session, runs: session.runs.map((r) => (r.model === model && r.batch === batch ? { ...r, layers } : r)) };
}

/** The session with a run's intervals attached (the run as kept: same model, batch and finish). */
export function withIntervals(session: CorpusSession, run: Pick<ModelRun, 'model' | 'batch' | 'finishedAt'>, intervals: CorpusIntervals): CorpusSession {
  const same = (r: ModelRun) => r.model === run.model && r.batch === run.batch && r.finishedAt === run.finishedAt;
  return session.runs.some(same) ? { ...session, runs: session.runs.map((r) => (same(r) ? { ...r, intervals } : r)) } : session;
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

export interface StoredCorpus { version: 1; batches: CorpusBatch[]; runs: StoredRun[]; source?: SourceSettings; scores?: Record<string, number> }

/** Rows already packed: a session is saved again when a setting changes, and its runs' rows have not. */
const packed = new WeakMap<readonly PairRow[], StoredRows>();

export function packRows(rows: readonly PairRow[]): StoredRows {
  const known = packed.get(rows);
  if (known) return known;
  const n = rows.length;
  const out = { i: new Uint32Array(n), j: new Uint32Array(n), d1: new Float64Array(n), d2: new Float64Array(n), socm: new Float64Array(n) };
  rows.forEach(([i, j, d1, d2, s], k) => {
    out.i[k] = i; out.j[k] = j; out.d1[k] = d1; out.d2[k] = d2; out.socm[k] = s;
  });
  packed.set(rows, out);
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
    ...(session.source ? { source: session.source } : {}),
    ...(session.scores ? { scores: session.scores } : {}),
  };
}

/** A stored corpus session back, or the empty one when what is stored is not one (older or damaged). */
export function unpackCorpus(stored: unknown): CorpusSession {
  const s = stored as StoredCorpus | undefined;
  if (!s || s.version !== 1 || !Array.isArray(s.batches) || !Array.isArray(s.runs)) return EMPTY_CORPUS;
  const runs = s.runs
    .filter((r) => s.batches.some((b) => b.id === r.batch))
    .map(({ summary, rows, traces, withinCosine, ...run }) => ({ ...run, result: { summary, rows: unpackRows(rows), traces, withinCosine } }));
  const scores = s.scores && typeof s.scores === 'object' ? Object.fromEntries(Object.entries(s.scores).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) : undefined;
  return {
    batches: s.batches.filter((b) => runs.some((r) => r.batch === b.id)),
    runs,
    ...(validSource(s.source) ? { source: s.source } : {}),
    ...(scores ? { scores } : {}),
  };
}

function validSource(v: unknown): v is SourceSettings {
  const s = v as SourceSettings | undefined;
  return Boolean(s) && (s!.kind === 'texts' || s!.kind === 'pairs') && typeof s!.sample === 'boolean' && Number.isInteger(s!.samplePairs) && Number.isInteger(s!.seed);
}

/** A kept run's identity across tabs: its model and when it finished. */
export const runId = (run: { model: string; finishedAt: number }) => `${run.model}|${run.finishedAt}`;

/**
 * The corpus session to store when another tab may have stored runs meanwhile: ours, plus every
 * stored run this tab has never had (`seen`: runs it restored or made; a run it had and dropped
 * stays dropped), the latest per model winning, with the batches those runs use.
 */
export function mergeStoredCorpus(stored: unknown, ours: StoredCorpus, seen: ReadonlySet<string>): StoredCorpus {
  const s = stored as StoredCorpus | undefined;
  if (!s || s.version !== 1 || !Array.isArray(s.runs) || !Array.isArray(s.batches)) return ours;
  const others = s.runs.filter((r) => !seen.has(runId(r)) && s.batches.some((b) => b.id === r.batch));
  if (!others.length) return ours;
  const byModel = new Map(ours.runs.map((r) => [r.model, r]));
  for (const r of others) {
    const mine = byModel.get(r.model);
    if (!mine || r.finishedAt > mine.finishedAt) byModel.set(r.model, r);
  }
  const runs = [...byModel.values()];
  const batches = [...ours.batches, ...s.batches.filter((b) => !ours.batches.some((o) => o.id === b.id))].filter((b) => runs.some((r) => r.batch === b.id));
  return { ...ours, batches, runs };
}
