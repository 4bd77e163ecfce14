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

/** The paper's id for a catalog model (so Xenova/gte-small meets thenlper/gte-small), else the id itself. */
export function canonicalModel(model: string): string {
  return catalogPlace(model)?.id ?? model;
}

/**
 * Model → score from a CSV whose header names the columns model and score (any case; others are
 * ignored). Throws with the row at fault: a row without a model, a score that is not a number, a
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
    const score = Number(raw);
    if (!model) throw new Error(`row ${k + 2} has no model`);
    if (raw === '' || !Number.isFinite(score)) throw new Error(`row ${k + 2} (${model}) has score "${raw}", not a number`);
    if (scores.has(model)) throw new Error(`${model} has two scores (rows ${rowOf.get(model)} and ${k + 2})`);
    scores.set(model, score);
    rowOf.set(model, k + 2);
  });
  return scores;
}

/**
 * Each model's score from a parsed CSV, matched by canonical id (`models` may carry a build of
 * their own, handled by `idOf`); `unmatched` lists the CSV's models that met none.
 */
export function matchScores(models: readonly string[], scores: ReadonlyMap<string, number>, idOf: (model: string) => string = (m) => m): {
  matched: Map<string, number>;
  unmatched: string[];
} {
  const byId = new Map([...scores].map(([model, score]) => [canonicalModel(model), { model, score }]));
  const matched = new Map<string, number>();
  const used = new Set<string>();
  for (const model of models) {
    const id = canonicalModel(idOf(model));
    const hit = byId.get(id);
    if (hit) {
      matched.set(model, hit.score);
      used.add(id);
    }
  }
  return { matched, unmatched: [...byId].filter(([id]) => !used.has(id)).map(([, v]) => v.model) };
}

/**
 * Spearman's ρ between mean SOCM and score over the points (ties share their average rank) and its
 * percentile bootstrap interval, resampling the points; null interval with replicates = 0.
 * Throws when fewer than MIN_MODELS points are given.
 */
export function correlation(points: readonly CorrelationPoint[], options: { replicates?: number; seed?: number } = {}): Correlation {
  if (points.length < MIN_MODELS) throw new RangeError(`Spearman's ρ needs at least ${MIN_MODELS} models with a score; ${points.length} ${points.length === 1 ? 'has' : 'have'} one`);
  const x = points.map((p) => p.mean_socm);
  const y = points.map((p) => p.score);
  const replicates = options.replicates ?? DEFAULT_REPLICATES;
  const seed = options.seed ?? 1;
  const ci95 = replicates > 0 ? spearmanInterval(x, y, { replicates, seed }) : null;
  return { n: points.length, spearman_rho: spearman(x, y), ci95, points: points.map((p) => ({ ...p })), bootstrap_replicates: ci95 ? replicates : 0, seed };
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
