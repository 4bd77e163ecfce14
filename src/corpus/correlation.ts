/**
 * The paper's Figure 5 for the app: downstream scores read from a CSV (the rules of `poolscope
 * correlate`: a header naming the columns model and score, other columns ignored, one score per
 * model), models matched by id (a catalog model also by its ONNX build's id), and Spearman's ρ of
 * mean SOCM against score with its bootstrap interval, as JSON and as an SVG scatter. DOM-free.
 */
import { DEFAULT_REPLICATES, type Interval } from './bootstrap';
import { parseCsv } from './parse';
import { scatterSvg } from './scatter-svg';
import { spearman, spearmanInterval } from './spearman';
import { splitModelSpec } from '../encoders/model-spec';
import { catalogPlace } from './table1';

export interface CorrelationPoint {
  model: string;
  mean_socm: number;
  score: number;
}

/** What `poolscope correlate` prints, field for field. */
export interface Correlation {
  n: number;
  spearman_rho: number;
  ci95: Interval | null;
  points: CorrelationPoint[];
  bootstrap_replicates: number;
  seed: number;
}

/** Spearman's ρ needs at least this many models. */
export const MIN_MODELS = 3;

/**
 * A model's key for matching: the paper's id for a catalog model (so Xenova/gte-small meets
 * thenlper/gte-small), else the id itself, with the spec's build and layer (`:q8`, `~3`) kept.
 */
export function canonicalModel(model: string): string {
  const base = splitModelSpec(model).model;
  return `${catalogPlace(base)?.id ?? base}${model.slice(base.length)}`;
}

/** A score as written: a decimal number (`52.5`, `-3`, `1e-2`), else undefined (`0x10`, `52,5`, `Infinity` are not scores). */
export function readScore(raw: string): number | undefined {
  const t = raw.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) && Number.isFinite(Number(t)) ? Number(t) : undefined;
}

/**
 * Model → score from a CSV whose header names the columns model and score (any case; others are
 * ignored). Throws with the row at fault: a row without a model, a score that is not a decimal
 * number, a row with more fields than the header (an unquoted decimal comma: `glove,52,5`), a
 * model scored twice.
 */
export function parseScores(content: string): Map<string, number> {
  const [header, ...rows] = parseCsv(content);
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const [m, s] = [names.indexOf('model'), names.indexOf('score')];
  if (m < 0 || s < 0) throw new Error(`it needs a header with the columns model and score (it has: ${(header ?? []).join(', ') || 'nothing'})`);
  const scores = new Map<string, number>();
  const rowOf = new Map<string, number>();
  rows.forEach((row, k) => {
    const model = (row[m] ?? '').trim();
    const raw = (row[s] ?? '').trim();
    const score = readScore(raw);
    if (!model) throw new Error(`row ${k + 2} has no model`);
    if (row.slice(names.length).some((f) => f.trim() !== '')) {
      throw new Error(`row ${k + 2} (${model}) has ${row.length} fields but the header ${names.length} (a decimal comma? write 52.5, or quote "52,5")`);
    }
    if (score === undefined) throw new Error(`row ${k + 2} (${model}) has score "${raw}", not a number`);
    if (scores.has(model)) throw new Error(`${model} has two scores (rows ${rowOf.get(model)} and ${k + 2})`);
    scores.set(model, score);
    rowOf.set(model, k + 2);
  });
  return scores;
}

/**
 * Each model's score from a parsed CSV. A row meets a model when their canonical keys are equal
 * (`Xenova/gte-base:q8` meets `thenlper/gte-base:q8`); a model no row names so, a build or layer of
 * a model (`glove~0`, `X:q8`), takes the score of the row that names the model alone. `unmatched`
 * lists the CSV's models that met none.
 */
export function matchScores(models: readonly string[], scores: ReadonlyMap<string, number>): {
  matched: Map<string, number>;
  unmatched: string[];
} {
  const byKey = new Map([...scores].map(([model, score]) => [canonicalModel(model), { model, score }]));
  const matched = new Map<string, number>();
  const used = new Set<string>();
  for (const model of models) {
    const exact = canonicalModel(model);
    const key = byKey.has(exact) ? exact : canonicalModel(splitModelSpec(model).model);
    const hit = byKey.get(key);
    if (hit) {
      matched.set(model, hit.score);
      used.add(key);
    }
  }
  return { matched, unmatched: [...byKey].filter(([key]) => !used.has(key)).map(([, v]) => v.model) };
}

/**
 * Spearman's ρ between mean SOCM and score over the points (ties share their average rank) and its
 * percentile bootstrap interval, resampling the points; no interval (null) with replicates = 0 or an undefined ρ.
 * Throws when fewer than MIN_MODELS points are given.
 */
export function correlation(points: readonly CorrelationPoint[], options: { replicates?: number; seed?: number } = {}): Correlation {
  if (points.length < MIN_MODELS) throw new RangeError(`Spearman's ρ needs at least ${MIN_MODELS} models with a score; ${points.length} ${points.length === 1 ? 'has' : 'have'} one`);
  const x = points.map((p) => p.mean_socm);
  const y = points.map((p) => p.score);
  const replicates = options.replicates ?? DEFAULT_REPLICATES;
  const seed = options.seed ?? 1;
  const rho = spearman(x, y);
  // No interval for an undefined ρ (one side constant), nor where no replicate had one.
  const interval = replicates > 0 && Number.isFinite(rho) ? spearmanInterval(x, y, { replicates, seed }) : null;
  const ci95 = interval && interval.every(Number.isFinite) ? interval : null;
  return { n: points.length, spearman_rho: rho, ci95, points: points.map((p) => ({ ...p })), bootstrap_replicates: ci95 ? replicates : 0, seed };
}

/** The caption `poolscope correlate --svg` gives its figure. */
export function correlationTitle(c: Pick<Correlation, 'n' | 'spearman_rho' | 'ci95'>): string {
  const rho = Number.isFinite(c.spearman_rho) ? c.spearman_rho.toFixed(3) : 'undefined';
  return `Spearman ρ = ${rho}${c.ci95 ? ` (95% CI ${c.ci95[0].toFixed(2)} to ${c.ci95[1].toFixed(2)})` : ''}, n = ${c.n}`;
}

/** The paper's Figure 5: mean SOCM against score, one labelled point per model, as a standalone SVG. */
export function correlationSvg(c: Correlation, yLabel = 'score'): string {
  return scatterSvg(c.points.map((p) => ({ label: p.model, x: p.mean_socm, y: p.score })), { title: correlationTitle(c), xLabel: 'mean SOCM', yLabel });
}
