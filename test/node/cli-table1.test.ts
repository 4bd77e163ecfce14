/**
 * The paper's experiments as commands: `table1` (several encoders, 95% intervals, backbone →
 * fine-tuned pairing) equals per-model `corpus` runs; explicit pair lists and sampled pairs; and
 * `correlate` (Spearman's ρ as SciPy computes it, a bootstrap interval, an SVG scatter).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPlace, orderByFamily, pairings, table1Columns, table1Markdown, type Table1Row } from '../../src/corpus/table1';
import { loadNodeEncoder } from '../../src/encoders/node';
import { tokenCloud } from '../../src/encoders/types';
import { socmOfTexts } from '../../src/math';
import { fixtureModelsDir } from '../support/fixtures';
import { poolscope } from '../support/cli';
import { sharedDir } from '../support/shared';

const dir = mkdtempSync(join(tmpdir(), 'poolscope-table1-'));
const wiki = resolve(sharedDir, 'data/wiki1m-sample-1000.txt');
const hasWiki = existsSync(wiki);
if (!hasWiki) console.warn(`[poolscope tests] ${wiki} is absent: table1 and pair-list tests on the paper's sentences are skipped`);
const sentences = hasWiki ? readFileSync(wiki, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean) : [];
const MODELS = ['poolscope/tiny-bert', 'glove'];
const TABLE_KEYS = ['texts', 'pairs', 'mean_socm', 'ci95', 'median_socm', 'mean_d1', 'ci95_d1', 'mean_d2', 'ci95_d2', 'mean_trace',
  'ci95_trace', 'mean_within_cosine', 'ci95_within_cosine', 'flagged', 'skipped', 'truncated', 'pairs_from', 'ci_resampled'];

const saved = { dir: process.env.POOLSCOPE_MODELS_DIR, offline: process.env.POOLSCOPE_OFFLINE };
beforeAll(() => Object.assign(process.env, { POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' }));
afterAll(() => {
  if (saved.dir === undefined) delete process.env.POOLSCOPE_MODELS_DIR;
  else process.env.POOLSCOPE_MODELS_DIR = saved.dir;
  if (saved.offline === undefined) delete process.env.POOLSCOPE_OFFLINE;
});

function json(args: string[]): Record<string, unknown> {
  const r = poolscope(args);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe.skipIf(!hasWiki)('table1 on two fixture encoders and 40 of the paper\'s sentences (../shared/data)', () => {
  const file = join(dir, 'wiki40.txt');
  writeFileSync(file, `${sentences.slice(0, 50).join('\n')}\n`);
  const common = ['--limit', '40', '--bootstrap', '300', '--seed', '7', '--quiet', file];

  it('each model\'s row equals its own `poolscope corpus` run, intervals included', () => {
    const table = json(['table1', '--models', MODELS.join(','), '--format', 'json', ...common]) as { models: Record<string, unknown>[]; pairings: unknown[] };
    expect(table.models.map((m) => m.model)).toEqual(MODELS);
    expect(table.pairings).toEqual([]);
    for (const [k, model] of MODELS.entries()) {
      const corpus = json(['corpus', '--model', model, ...common]);
      for (const key of TABLE_KEYS) expect(table.models[k][key], `${model} ${key}`).toEqual(corpus[key]);
      expect(table.models[k].pairs).toBe(780);
      const [lo, hi] = table.models[k].ci95 as number[];
      expect(lo).toBeLessThan(table.models[k].mean_socm as number);
      expect(hi).toBeGreaterThan(table.models[k].mean_socm as number);
    }
  });

  it('markdown (the default) and CSV carry the same numbers', () => {
    const table = json(['table1', '--models', MODELS.join(','), '--format', 'json', ...common]) as { models: Table1Row[] };
    const md = poolscope(['table1', '--models', MODELS.join(','), ...common]).stdout;
    expect(md.split('\n')[0]).toMatch(/^\| Model \| Role \| Texts \| Pairs \| Mean SOCM \[95% CI\] \|/);
    expect(md).toMatch(/^\| glove \| — \| 40 \| 780 \| /m);
    expect(md).toContain(`${table.models[1].mean_socm.toPrecision(4)} [${table.models[1].ci95![0].toPrecision(4)}, ${table.models[1].ci95![1].toPrecision(4)}]`);
    expect(md).toMatch(/texts resampled, 300 replicates, seed 7/);
    const csv = poolscope(['table1', '--models', MODELS.join(','), '--format', 'csv', ...common]).stdout.trim().split('\n');
    expect(csv[0]).toBe(table1Columns().join(','));
    const row = Object.fromEntries(csv[0].split(',').map((c, k) => [c, csv[2].split(',')[k]]));
    expect(Number(row.mean_socm)).toBe(table.models[1].mean_socm);
    expect(Number(row.ci95_hi)).toBe(table.models[1].ci95![1]);
  });

  it('--sample-pairs: every model measures the same uniformly drawn pairs; the interval resamples pairs', () => {
    const rows = (model: string) => poolscope(['corpus', '--model', model, '--sample-pairs', '200', '--format', 'jsonl', ...common]).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const [a, b] = MODELS.map(rows);
    expect(a).toHaveLength(200);
    expect(a.map((r) => [r.i, r.j])).toEqual(b.map((r) => [r.i, r.j]));
    const table = json(['table1', '--models', MODELS.join(','), '--format', 'json', '--sample-pairs', '200', ...common]) as { models: Record<string, unknown>[] };
    expect(table.models[0]).toMatchObject({ pairs: 200, pairs_from: 'sample', population_pairs: 780, ci_resampled: 'pairs' });
    const mean = a.reduce((s, r) => s + r.socm, 0) / a.length;
    expect(Math.abs((table.models[0].mean_socm as number) - mean)).toBeLessThan(1e-12);
  });

  it('--pairs PAIRS.tsv: each listed pair\'s SOCM equals the CPU reference on the encoder\'s clouds', async () => {
    const tsv = join(dir, 'pairs.tsv');
    const queries = sentences.slice(60, 63);
    const passages = sentences.slice(63, 75);
    const list = passages.map((p, k) => [queries[k % 3], p]);
    writeFileSync(tsv, `${list.map((p) => p.join('\t')).join('\n')}\n`);
    const r = poolscope(['corpus', '--model', 'poolscope/tiny-bert', '--pairs', tsv, '--format', 'jsonl', '--summary', join(dir, 'summary.json'), '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.text_i, x.text_j])).toEqual(list);
    const encoder = await loadNodeEncoder('poolscope/tiny-bert');
    for (const row of rows) {
      const [a, b] = await encoder.encode([row.text_i, row.text_j]);
      const want = socmOfTexts(tokenCloud(a), tokenCloud(b));
      expect(Math.abs(row.socm - want.socm)).toBeLessThan(1e-12);
      expect(Math.abs(row.d1 - want.d1)).toBeLessThan(1e-12);
    }
    await encoder.dispose();
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    // A text on several lines (each query here) is one text.
    expect(summary).toMatchObject({ texts: new Set(list.flat()).size, pairs: 12, pairs_from: 'list', ci_resampled: 'pairs' });
    expect(summary.texts).toBeLessThan(24);
    const table = json(['table1', '--models', MODELS.join(','), '--pairs', tsv, '--format', 'json', '--limit', '5', '--quiet']) as { models: Record<string, unknown>[] };
    expect(table.models.map((m) => m.pairs)).toEqual([5, 5]);
    // Old-Mac line ends (a lone CR) end lines here as in the app; a one-line list has no interval.
    const cr = join(dir, 'pairs-cr.tsv');
    writeFileSync(cr, list.slice(0, 3).map((p) => p.join('\t')).join('\r'));
    expect(json(['corpus', '--model', 'glove', '--pairs', cr, '--quiet'])).toMatchObject({ pairs: 3, pairs_from: 'list' });
    expect(json(['corpus', '--model', 'glove', '--pairs', cr, '--limit', '1', '--quiet'])).toMatchObject({ pairs: 1, ci95: null, ci95_d1: null, ci95_d2: null });
  });
});

describe('table1 and the catalog', () => {
  it('models sit in their catalog family (by paper id or ONNX id); rows go backbone → fine-tuned', () => {
    expect(catalogPlace('thenlper/gte-small')).toEqual({ family: 'microsoft/MiniLM-L12-H384-uncased', role: 'fine-tuned', id: 'thenlper/gte-small' });
    expect(catalogPlace('Xenova/gte-small')?.id).toBe('thenlper/gte-small');
    expect(catalogPlace('glove')).toBeNull();
    const rows = ['glove', 'thenlper/gte-base', 'Xenova/all-MiniLM-L12-v2', 'bert-base-uncased'].map((model) => ({ model }));
    expect(orderByFamily(rows).map((r) => r.model)).toEqual(['bert-base-uncased', 'thenlper/gte-base', 'Xenova/all-MiniLM-L12-v2', 'glove']);
  });

  it('pairings: fine-tuned minus backbone mean SOCM for each family with both', () => {
    const p = pairings([
      { model: 'bert-base-uncased', mean_socm: 0.1 },
      { model: 'Xenova/e5-base-v2', mean_socm: 0.04 },
      { model: 'thenlper/gte-base', mean_socm: 0.12 },
      { model: 'thenlper/gte-small', mean_socm: 0.01 },
    ]);
    expect(p.map((x) => [x.backbone, x.fine_tuned, x.fine_tuned_lower])).toEqual([
      ['bert-base-uncased', 'Xenova/e5-base-v2', true],
      ['bert-base-uncased', 'thenlper/gte-base', false],
    ]);
    expect(p[0].delta_mean_socm).toBeCloseTo(-0.06, 15);
    const row = (model: string, mean_socm: number): Table1Row => ({
      model, family: catalogPlace(model)?.family ?? null, role: catalogPlace(model)?.role ?? null, texts: 3, pairs: 3, mean_socm, ci95: null,
      median_socm: mean_socm, mean_d1: 0, ci95_d1: null, mean_d2: 0, ci95_d2: null, mean_trace: 0, ci95_trace: null,
      mean_within_cosine: 0, ci95_within_cosine: null, flagged: 0, skipped: 0, truncated: 0,
    });
    const md = table1Markdown([row('Xenova/e5-base-v2', 0.04), row('bert-base-uncased', 0.1)]).split('\n');
    expect(md[2]).toMatch(/^\| bert-base-uncased \| backbone \| /);
    expect(md[3]).toMatch(/^\| Xenova\/e5-base-v2 \| fine-tuned \(bert-base-uncased\) \| 3 \| 3 \| 0\.04000 \| −0\.06000 \|/);
  });

  it('a model that cannot load: one line naming it, status 1', () => {
    const file = join(dir, 'three.txt');
    writeFileSync(file, 'the cat sat\nstock markets fell\na third text\n');
    const r = poolscope(['table1', '--models', 'glove,poolscope/absent', '--quiet', file]);
    expect(r.status).toBe(1);
    expect(r.error).toMatch(/^poolscope: .*poolscope\/absent.* not found/);
    expect(r.stdout).toBe('');
  });
});

describe('correlate TABLE1.json SCORES.csv', () => {
  const reference = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/spearman-reference.json'), 'utf8')) as {
    cases: { name: string; x: number[]; y: number[]; rho: number }[];
  };
  const paper = reference.cases.find((c) => c.name.startsWith('paper-like'))!;
  const names = paper.x.map((_, k) => (k === 0 ? 'Xenova/gte-small' : k === 1 ? 'a&b <model>' : `m${k}`));
  const table = join(dir, 'table1.json');
  writeFileSync(table, JSON.stringify({ models: paper.x.map((mean_socm, k) => ({ model: names[k], mean_socm, texts: 10 })), pairings: [] }));
  const scores = join(dir, 'scores.csv');
  // The catalog id meets its ONNX build's; an unrelated extra column and model are ignored.
  writeFileSync(scores, `Model,source,Score\n${paper.y.map((y, k) => `"${k === 0 ? 'thenlper/gte-small' : names[k]}",MTEB v2,${y}`).join('\n')}\nnot-in-table,x,50\n`);

  it('ρ equals scipy.stats.spearmanr; the interval holds it; the SVG has one labelled point per model', () => {
    const svg = join(dir, 'figure5.svg');
    const r = poolscope(['correlate', table, scores, '--svg', svg, '--seed', '3']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.n).toBe(11);
    expect(Math.abs(out.spearman_rho - paper.rho)).toBeLessThan(1e-12);
    expect(out.ci95[0]).toBeLessThanOrEqual(out.spearman_rho);
    expect(out.ci95[1]).toBeGreaterThanOrEqual(out.spearman_rho);
    expect(out.points[0]).toEqual({ model: 'Xenova/gte-small', mean_socm: paper.x[0], score: paper.y[0] });
    expect(r.stderr).toMatch(/not-in-table in .*scores.csv is not in .*table1.json; left out/);
    const drawn = readFileSync(svg, 'utf8');
    expect(drawn).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(drawn.match(/<circle /g)).toHaveLength(11);
    expect(drawn).toContain('a&amp;b &lt;model&gt;');
    expect(drawn).not.toContain('a&b <model>');
    expect(drawn).toContain(`Spearman ρ = ${paper.rho.toFixed(3)}`);
    // Lower SOCM, higher score: the point with the largest mean SOCM sits furthest right.
    const cx = [...drawn.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(cx.indexOf(Math.max(...cx))).toBe(paper.x.indexOf(Math.max(...paper.x)));
  });

  it('bad files: one line naming the problem', () => {
    const bad = (name: string, content: string) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };
    expect(poolscope(['correlate', table, bad('no-score.csv', 'model,value\na,1\n')]).error).toMatch(/needs a header with the columns model and score \(it has: model, value\)/);
    expect(poolscope(['correlate', table, bad('nan.csv', 'model,score\nm2,high\n')]).error).toMatch(/row 2 \(m2\) has score "high", not a number/);
    expect(poolscope(['correlate', table, bad('two.csv', 'model,score\nm2,1\nm3,2\n')]).error).toMatch(/needs at least 3 models in both files; 2 match \(m2, m3\)/);
    expect(poolscope(['correlate', bad('t.json', '{"models": [{"model": "a"}]}'), scores]).error).toMatch(/entry 1 has no "model" and numeric "mean_socm"/);
  });
});
