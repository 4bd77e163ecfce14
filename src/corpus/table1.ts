/**
 * The paper's Table 1 for several encoders: one row per model with its catalog family and role,
 * rows grouped backbone → fine-tuned as in the catalog, the fine-tuned − backbone difference, and
 * renderings as markdown and CSV. DOM-free.
 */
import { CATALOG } from '../encoders/catalog';
import { splitModelSpec } from '../encoders/model-spec';
import type { Interval } from './bootstrap';
import type { CorpusIntervals, CorpusSummary } from './run';

export interface Table1Row {
  model: string;
  /** The catalog family's backbone (the paper's id), or null for a model outside the catalog. */
  family: string | null;
  role: 'backbone' | 'fine-tuned' | null;
  texts: number;
  pairs: number;
  mean_socm: number;
  /** Bootstrap 95% interval of mean_socm (null without a bootstrap). */
  ci95: Interval | null;
  median_socm: number;
  mean_d1: number;
  ci95_d1: Interval | null;
  mean_d2: number;
  ci95_d2: Interval | null;
  mean_trace: number;
  ci95_trace: Interval | null;
  mean_within_cosine: number;
  ci95_within_cosine: Interval | null;
  flagged: number;
  skipped: number;
  truncated: number;
}

/** A backbone and one of its fine-tuned models, both in the table. */
export interface Table1Pairing {
  backbone: string;
  fine_tuned: string;
  /** Fine-tuned minus backbone mean SOCM: the paper finds it below zero. */
  delta_mean_socm: number;
  fine_tuned_lower: boolean;
}

/** Where a model sits in the catalog: by the paper's id or by the ONNX build's id. */
export function catalogPlace(model: string): { family: string; role: 'backbone' | 'fine-tuned'; id: string } | null {
  for (const family of CATALOG) {
    for (const m of [family.backbone, ...family.children]) {
      if (m.id === model || m.onnx.id === model) return { family: family.backbone.id, role: m.role, id: m.id };
    }
  }
  return null;
}

export function table1Row(model: string, summary: CorpusSummary, intervals: CorpusIntervals | undefined, counts: { skipped: number; truncated: number }): Table1Row {
  const place = catalogPlace(splitModelSpec(model).model);
  return {
    model,
    family: place?.family ?? null,
    role: place?.role ?? null,
    texts: summary.texts,
    pairs: summary.pairs,
    mean_socm: summary.mean_socm,
    ci95: intervals?.ci95 ?? null,
    median_socm: summary.median_socm,
    mean_d1: summary.mean_d1,
    ci95_d1: intervals?.ci95_d1 ?? null,
    mean_d2: summary.mean_d2,
    ci95_d2: intervals?.ci95_d2 ?? null,
    mean_trace: summary.mean_trace,
    ci95_trace: intervals?.ci95_trace ?? null,
    mean_within_cosine: summary.mean_within_cosine,
    ci95_within_cosine: intervals?.ci95_within_cosine ?? null,
    flagged: summary.flagged,
    skipped: counts.skipped,
    truncated: counts.truncated,
  };
}

/** Rows in catalog order (each family's backbone, then its fine-tuned models), then the rest as given. */
export function orderByFamily<T extends { model: string }>(rows: readonly T[]): T[] {
  const rank = (model: string) => {
    const place = catalogPlace(model);
    if (!place) return Number.MAX_SAFE_INTEGER;
    const f = CATALOG.findIndex((fam) => fam.backbone.id === place.family);
    const members = [CATALOG[f].backbone, ...CATALOG[f].children];
    return f * 100 + members.findIndex((m) => m.id === place.id);
  };
  return rows.map((r, k) => ({ r, k, rank: rank(r.model) })).sort((a, b) => a.rank - b.rank || a.k - b.k).map((x) => x.r);
}

/** Every (backbone, fine-tuned) pair of the catalog with both models in the table. */
export function pairings(rows: readonly Pick<Table1Row, 'model' | 'mean_socm'>[]): Table1Pairing[] {
  const out: Table1Pairing[] = [];
  for (const family of CATALOG) {
    const find = (id: string, onnx: string | null) => rows.find((r) => r.model === id || (onnx !== null && r.model === onnx));
    const backbone = find(family.backbone.id, family.backbone.onnx.id);
    if (!backbone) continue;
    for (const child of family.children) {
      const tuned = find(child.id, child.onnx.id);
      if (!tuned) continue;
      const delta = tuned.mean_socm - backbone.mean_socm;
      out.push({ backbone: backbone.model, fine_tuned: tuned.model, delta_mean_socm: delta, fine_tuned_lower: delta < 0 });
    }
  }
  return out;
}

/** Four significant digits, a minus sign, and — for a missing value. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const s = Math.abs(x) >= 1e-4 || x === 0 ? x.toPrecision(4) : x.toExponential(2);
  return s.replace(/^-/, '−');
}

function withInterval(x: number, ci: Interval | null): string {
  return ci ? `${formatNumber(x)} [${formatNumber(ci[0])}, ${formatNumber(ci[1])}]` : formatNumber(x);
}

/** Table 1 as a markdown table, grouped by family, with Δ = fine-tuned − backbone mean SOCM. */
export function table1Markdown(rows: readonly Table1Row[]): string {
  const ordered = orderByFamily(rows);
  const deltas = new Map(pairings(rows).map((p) => [p.fine_tuned, p.delta_mean_socm]));
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const head = ['Model', 'Role', 'Texts', 'Pairs', 'Mean SOCM [95% CI]', 'Δ vs backbone', 'Median SOCM', 'Mean d1 [95% CI]', 'Mean d2 [95% CI]', 'Mean tr Σ [95% CI]', 'Within-text cos [95% CI]'];
  const lines = [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, k) => (k < 2 ? '---' : '---:')).join(' | ')} |`,
    ...ordered.map((r) => `| ${[
      escape(r.model),
      r.role ? `${r.role}${r.role === 'fine-tuned' ? ` (${escape(r.family!)})` : ''}` : '—',
      String(r.texts),
      String(r.pairs),
      withInterval(r.mean_socm, r.ci95),
      deltas.has(r.model) ? formatNumber(deltas.get(r.model)).replace(/^(?!−)/, '+') : '',
      formatNumber(r.median_socm),
      withInterval(r.mean_d1, r.ci95_d1),
      withInterval(r.mean_d2, r.ci95_d2),
      withInterval(r.mean_trace, r.ci95_trace),
      withInterval(r.mean_within_cosine, r.ci95_within_cosine),
    ].join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The columns of Table 1 as CSV: each interval as _lo and _hi columns. */
export function table1Columns(): string[] {
  const cols = ['model', 'family', 'role', 'texts', 'pairs'];
  for (const [mean, ci] of [['mean_socm', 'ci95'], ['median_socm', ''], ['mean_d1', 'ci95_d1'], ['mean_d2', 'ci95_d2'], ['mean_trace', 'ci95_trace'], ['mean_within_cosine', 'ci95_within_cosine']]) {
    cols.push(mean);
    if (ci) cols.push(`${ci}_lo`, `${ci}_hi`);
  }
  return [...cols, 'flagged', 'skipped', 'truncated'];
}

/** A row flattened for CSV (intervals split into _lo and _hi). */
export function table1Flat(row: Table1Row): Record<string, unknown> {
  const flat: Record<string, unknown> = { ...row };
  for (const key of ['ci95', 'ci95_d1', 'ci95_d2', 'ci95_trace', 'ci95_within_cosine'] as const) {
    flat[`${key}_lo`] = row[key]?.[0] ?? null;
    flat[`${key}_hi`] = row[key]?.[1] ?? null;
  }
  return flat;
}
