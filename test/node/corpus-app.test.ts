/**
 * Corpus mode's pure parts for pair lists, samples, intervals and the correlation panel: the app
 * plans exactly the pairs `poolscope corpus` plans from the same input (all pairs, --sample-pairs
 * with --seed, --pairs with --limit); a kept run's intervals are the CLI's; the scores CSV follows
 * `poolscope correlate`'s rules and ρ equals SciPy's; stored sessions of every age load.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SOURCE, pairsFromLabel, planSource, settingsOf, type SourceSettings } from '../../src/app/corpus/plan';
import { measuredOf } from '../../src/app/corpus/intervals';
import { placeLabels } from '../../src/corpus/point-labels';
import { seededRandom } from '../../src/corpus/random';
import {
  EMPTY_CORPUS, mergeStoredCorpus, packCorpus, packRows, unpackCorpus, withIntervals, withoutRuns, withRun, type CorpusBatch, type CorpusSession, type ModelRun,
} from '../../src/app/corpus/session';
import { readCorpusSource } from '../../src/cli/corpus-job';
import { bootstrapAllPairs, bootstrapMeans } from '../../src/corpus/bootstrap';
import { canonicalModel, correlation, correlationSvg, matchScores, parseScores, readScore } from '../../src/corpus/correlation';
import { planDigest, planPairs } from '../../src/corpus/pairs';
import { summaryIntervals } from '../../src/corpus/run';
import { spearmanInterval } from '../../src/corpus/spearman';
import type { PairRow } from '../../src/math';

const dir = mkdtempSync(join(tmpdir(), 'poolscope-corpus-app-'));
const texts = Array.from({ length: 40 }, (_, k) => `sentence ${k} about ${['music', 'the city', 'rain', 'a school'][k % 4]}`);
const textFile = join(dir, 'texts.txt');
writeFileSync(textFile, `${texts.join('\n')}\n\n`);
const pairs = [
  ['what is mean pooling?', 'averaging token vectors'],
  ['what is mean pooling?', 'a hard negative about pools'],
  ['rain in the city', 'the city school'],
  ['  spaces around  ', 'averaging token vectors'],
  ['rain in the city', 'music of the world'],
];
const pairFile = join(dir, 'pairs.tsv');
writeFileSync(pairFile, `${pairs.map((p) => p.join('\t')).join('\r\n')}\n`);

/** The app's plan and the CLI's for the same input: same texts, same numbers, same pairs in the same order. */
function expectSamePlan(box: string, limit: number, settings: SourceSettings, cli: ReturnType<typeof readCorpusSource>) {
  const app = planSource(box, limit, settings);
  if (!app.ok) throw new Error(app.message);
  expect(app.source.texts).toEqual(cli.texts);
  expect(Array.from(app.source.inputIndex)).toEqual(Array.from(cli.inputIndex));
  expect(app.source.plan.kind).toBe(cli.plan.kind);
  expect([...planPairs(app.source.plan)]).toEqual([...planPairs(cli.plan)]);
  return app.source;
}

describe('the app plans the pairs poolscope corpus plans', () => {
  it('all pairs of the first N texts (--limit N)', () => {
    const source = expectSamePlan(readFileSync(textFile, 'utf8'), 25, DEFAULT_SOURCE, readCorpusSource('corpus', [textFile], { limit: 25 }));
    expect(source.plan.count).toBe(300);
  });

  it('a sample of pairs with a seed (--sample-pairs N --seed S): only the texts the sample touches', () => {
    for (const [n, seed] of [[30, 7], [200, 1], [779, 123]]) {
      const source = expectSamePlan(readFileSync(textFile, 'utf8'), 100, { kind: 'texts', sample: true, samplePairs: n, seed }, readCorpusSource('corpus', [textFile], { 'sample-pairs': n, seed }));
      expect(source.plan.count).toBe(n);
      expect(source.plan.population).toBe(780);
      expect(source.seed).toBe(seed);
    }
    // Another seed, another sample.
    const a = planSource(texts.join('\n'), 100, { kind: 'texts', sample: true, samplePairs: 30, seed: 7 });
    const b = planSource(texts.join('\n'), 100, { kind: 'texts', sample: true, samplePairs: 30, seed: 8 });
    expect(a.ok && b.ok && [...planPairs(a.source.plan)]).not.toEqual(b.ok && [...planPairs(b.source.plan)]);
  });

  it('a pair list (--pairs), also cut to its first N pairs (--limit N); a text on two lines is one text', () => {
    const box = readFileSync(pairFile, 'utf8');
    const all = expectSamePlan(box, 100, { ...DEFAULT_SOURCE, kind: 'pairs' }, readCorpusSource('corpus', [], { pairs: pairFile }));
    expect([all.plan.count, all.texts.length, all.available]).toEqual([5, 7, 5]);
    expect(all.texts).toContain('spaces around');
    const cut = expectSamePlan(box, 3, { ...DEFAULT_SOURCE, kind: 'pairs' }, readCorpusSource('corpus', [], { pairs: pairFile, limit: 3 }));
    expect([cut.plan.count, cut.texts.length]).toEqual([3, 5]);
  });

  it('says why there is nothing to run, in one line about the right thing', () => {
    expect(planSource('one text', 100, DEFAULT_SOURCE)).toEqual({ ok: false, message: 'Give at least two texts, one per line.', about: 'texts' });
    const big = planSource('a\nb\nc\nd', 100, { kind: 'texts', sample: true, samplePairs: 6, seed: 1 });
    expect(big).toMatchObject({ ok: false, about: 'sample' });
    expect(!big.ok && big.message).toBe('A sample of 6 pairs is not fewer than the 6 pairs of 4 texts: run them all (untick “sample”).');
    const noTab = planSource('a\tb\nno tab here', 100, { ...DEFAULT_SOURCE, kind: 'pairs' });
    expect(noTab).toMatchObject({ ok: false, about: 'pairs' });
    expect(!noTab.ok && noTab.message).toMatch(/^The pair list: line 2 has no tab: a pair list needs two texts per line, separated by one tab\.$/);
    expect(planSource('', 100, { ...DEFAULT_SOURCE, kind: 'pairs' })).toMatchObject({ ok: false, message: expect.stringMatching(/no pairs/) });
    // A lone \r ends a line, as it does for texts.
    const cr = planSource('a\tb\rc\td', 100, { ...DEFAULT_SOURCE, kind: 'pairs' });
    expect(cr.ok && cr.source.plan.count).toBe(2);
    // A list that pairs one text with itself has nothing to compare.
    expect(planSource('same\tsame\n same \tsame', 100, { ...DEFAULT_SOURCE, kind: 'pairs' })).toEqual({
      ok: false, about: 'pairs', message: 'The pair list pairs one text with itself only (SOCM 0): give pairs of two different texts.',
    });
  });

  it('the pairs\' fingerprint tells a kept run whether the box still plans its pairs (an edit that keeps the texts, a new limit)', () => {
    const list = { ...DEFAULT_SOURCE, kind: 'pairs' as const };
    const digest = (box: string, limit = 100, settings: SourceSettings = list) => {
      const r = planSource(box, limit, settings);
      if (!r.ok) throw new Error(r.message);
      return planDigest(r.source.plan);
    };
    const box = 'a\tb\nb\tc\na\tc';
    expect(digest(box)).toBe(digest(`${box}\n\n`));
    // The same three texts, paired otherwise or once more.
    expect(digest('a\tb\nb\tc\nc\ta')).not.toBe(digest(box));
    expect(digest(`${box}\nb\ta`)).not.toBe(digest(box));
    expect(digest(box, 2)).not.toBe(digest(box));
    // A sample: another seed, other pairs.
    const texts = Array.from({ length: 30 }, (_, k) => `text ${k}`).join('\n');
    const sample = (seed: number) => digest(texts, 100, { kind: 'texts', sample: true, samplePairs: 20, seed });
    expect(sample(3)).toBe(sample(3));
    expect(sample(3)).not.toBe(sample(4));
  });

  it('a kept run\'s settings read back (older runs: all pairs), and say how its pairs were chosen', () => {
    expect(settingsOf({})).toEqual(DEFAULT_SOURCE);
    expect(settingsOf({ pairs: 'list' }).kind).toBe('pairs');
    expect(settingsOf({ pairs: 'sample', sample: { pairs: 30, seed: 7 } })).toEqual({ kind: 'texts', sample: true, samplePairs: 30, seed: 7 });
    expect(pairsFromLabel({})).toBe('all');
    expect(pairsFromLabel({ pairs: 'list' })).toBe('pair list');
    expect(pairsFromLabel({ pairs: 'sample', sample: { population: 499500, seed: 3 } })).toBe('sample of 499,500 (seed 3)');
  });
});

/** A run over all pairs of K texts (row order) or over a list, with made-up but varied numbers. */
function fakeRun(model: string, batch: string, rows: PairRow[], k: number): ModelRun {
  const traces = Float64Array.from({ length: k }, (_, i) => 0.5 + ((i * 37) % 11) / 10);
  const withinCosine = Float64Array.from({ length: k }, (_, i) => (i === 2 ? Number.NaN : 0.3 + ((i * 13) % 7) / 20));
  const mean = (c: number) => rows.reduce((s, r) => s + r[c], 0) / rows.length;
  return {
    model, batch, kept: Array.from({ length: k }, (_, i) => i), seconds: 1, finishedAt: 5,
    result: { rows, traces, withinCosine, summary: { texts: k, pairs: rows.length, mean_socm: mean(4), median_socm: 0, mean_d1: mean(2), mean_d2: mean(3), mean_trace: 1, mean_within_cosine: 0.4, flagged: 0 } },
  };
}

describe('intervals of a kept run', () => {
  const K = 12;
  const rows: PairRow[] = [];
  for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) rows.push([i, j, ((i * 7 + j * 3) % 10) / 20, ((i + j * j) % 9) / 30, (((i * j) % 13) + 1) / 40]);

  it('all pairs: texts resampled, as bootstrapAllPairs (the CLI\'s intervals) with the run\'s seed', () => {
    const run = fakeRun('glove', 'b', rows, K);
    const batch: CorpusBatch = { id: 'b', texts: [], excludeSpecial: false, limit: 100, startedAt: 0, seed: 4 };
    const measured = measuredOf(run, batch);
    expect(measured.plan).toEqual({ kind: 'all', texts: K, count: rows.length });
    const got = summaryIntervals(measured, run.result.traces, run.result.withinCosine, { seed: 4 });
    const want = bootstrapAllPairs(K, [rows.map((r) => r[4]), rows.map((r) => r[2]), rows.map((r) => r[3])], [run.result.traces, run.result.withinCosine], { seed: 4 });
    expect(got).toMatchObject({ ci95: want.pairs[0], ci95_d1: want.pairs[1], ci95_d2: want.pairs[2], ci95_trace: want.texts[0], ci95_within_cosine: want.texts[1], ci_resampled: 'texts' });
    expect(got.ci95![0]).toBeLessThan(run.result.summary.mean_socm);
    expect(got.ci95![1]).toBeGreaterThan(run.result.summary.mean_socm);
  });

  it('a pair list or a sample: pairs resampled', () => {
    const run = fakeRun('glove', 'b', rows.slice(0, 20), K);
    const measured = measuredOf(run, { id: 'b', texts: [], excludeSpecial: false, limit: 100, startedAt: 0, pairs: 'list' });
    const got = summaryIntervals(measured, run.result.traces, run.result.withinCosine, { seed: 1 });
    expect(got.ci_resampled).toBe('pairs');
    expect(got.ci95).toEqual(bootstrapMeans([rows.slice(0, 20).map((r) => r[4])], { seed: 1 })[0]);
  });

  it('one pair (a one-line list, a sample of 1, all pairs of 2 texts) has no interval, not a zero-width one', () => {
    for (const [kind, K1] of [['list', 2], ['sample', 2], ['all', 2]] as const) {
      const run = fakeRun('glove', 'b', rows.slice(0, 1), K1);
      const got = summaryIntervals(measuredOf(run, { id: 'b', texts: [], excludeSpecial: false, limit: 100, startedAt: 0, ...(kind === 'all' ? {} : { pairs: kind }) }), run.result.traces, run.result.withinCosine, { seed: 1 });
      expect([got.ci95, got.ci95_d1, got.ci95_d2], kind).toEqual([null, null, null]);
    }
    // Two pairs already have an interval.
    const two = fakeRun('glove', 'b', [rows[0], rows[20]], K);
    const got = summaryIntervals(measuredOf(two, { id: 'b', texts: [], excludeSpecial: false, limit: 100, startedAt: 0, pairs: 'list' }), two.result.traces, two.result.withinCosine, { seed: 1 });
    expect(got.ci95![1]).toBeGreaterThan(got.ci95![0]);
  });
});

describe('the correlation panel\'s rules (those of poolscope correlate)', () => {
  it('reads model,score from a CSV (any column order and case, other columns ignored) and names a bad row', () => {
    const scores = parseScores('Source,Score,Model\nMTEB,62.5,thenlper/gte-small\n"MTEB, v2",58,"glove"\r\n\n');
    expect([...scores]).toEqual([['thenlper/gte-small', 62.5], ['glove', 58]]);
    expect(() => parseScores('name,value\na,1\n')).toThrow('it needs a header with the columns model and score (it has: name, value)');
    expect(() => parseScores('model,score\na,1\nb,high\n')).toThrow('row 3 (b) has score "high", not a number');
    expect(() => parseScores('model,score\n,1\n')).toThrow('row 2 has no model');
    expect(() => parseScores('model,score\na,1\nb,2\na,3\n')).toThrow('a has two scores (rows 2 and 4)');
    expect(() => parseScores('')).toThrow(/it has: nothing/);
  });

  it('refuses a score that is not a decimal number, and a row with more fields than the header (a decimal comma)', () => {
    expect([...parseScores('model,score,\nglove,52.5,\nb,-1e-2\nc,+.5\n')]).toEqual([['glove', 52.5], ['b', -0.01], ['c', 0.5]]);
    expect(() => parseScores('model,score\nglove,52,5\n')).toThrow('row 2 (glove) has 3 fields but the header 2 (a decimal comma? write 52.5, or quote "52,5")');
    expect(() => parseScores('model,score\nglove,"52,5"\n')).toThrow('row 2 (glove) has score "52,5", not a number');
    for (const bad of ['0x10', 'Infinity', '1e999', '5 5', '.', '']) expect(readScore(bad), bad).toBeUndefined();
    for (const [typed, value] of [['52.5', 52.5], [' -3 ', -3], ['1E3', 1000], ['7.', 7]] as const) expect(readScore(typed)).toBe(value);
  });

  it('a catalog model meets its ONNX build\'s id; a build or layer meets its own row first, else its model\'s', () => {
    expect(canonicalModel('Xenova/gte-base')).toBe('thenlper/gte-base');
    expect(canonicalModel('Xenova/gte-base:q8~3')).toBe('thenlper/gte-base:q8~3');
    const plain = matchScores(['Xenova/gte-base:q8', 'glove', 'poolscope/tiny-bert'], new Map([['thenlper/gte-base', 64.1], ['glove', 40], ['someone/else', 1]]));
    expect([...plain.matched]).toEqual([['Xenova/gte-base:q8', 64.1], ['glove', 40]]);
    expect(plain.unmatched).toEqual(['someone/else']);
    // A CSV naming the q8 build scores it apart from its fp32 model (the app's rows and poolscope correlate's agree).
    const builds = matchScores(['poolscope/tiny-bert', 'poolscope/tiny-bert:q8', 'glove~0'], new Map([['poolscope/tiny-bert', 50], ['poolscope/tiny-bert:q8', 45], ['glove', 40]]));
    expect([...builds.matched]).toEqual([['poolscope/tiny-bert', 50], ['poolscope/tiny-bert:q8', 45], ['glove~0', 40]]);
    expect(builds.unmatched).toEqual([]);
    // A build's row meets only that build.
    const only = matchScores(['poolscope/tiny-bert'], new Map([['poolscope/tiny-bert:q8', 45]]));
    expect([[...only.matched], only.unmatched]).toEqual([[], ['poolscope/tiny-bert:q8']]);
  });

  it('an undefined ρ (one side constant) has no interval, and the SVG says so without NaN', () => {
    const r = correlation([{ model: 'a', mean_socm: 0.1, score: 5 }, { model: 'b', mean_socm: 0.2, score: 5 }, { model: 'c', mean_socm: 0.3, score: 5 }]);
    expect(r.spearman_rho).toBeNaN();
    expect([r.ci95, r.bootstrap_replicates]).toEqual([null, 0]);
    const svg = correlationSvg(r);
    expect(svg).toContain('Spearman ρ = undefined, n = 3');
    expect(svg).not.toContain('NaN');
  });

  it('ρ equals scipy.stats.spearmanr (ties included); the interval is the percentile bootstrap over models; fewer than 3 models: no ρ', () => {
    const reference = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/spearman-reference.json'), 'utf8')) as {
      cases: { name: string; x: number[]; y: number[]; rho: number | null }[];
    };
    for (const c of reference.cases) {
      const points = c.x.map((x, k) => ({ model: `m${k}`, mean_socm: x, score: c.y[k] }));
      const r = correlation(points, { seed: 2 });
      // SciPy's NaN (one side constant) is null in the JSON.
      if (c.rho === null) expect(r.spearman_rho, c.name).toBeNaN();
      else expect(r.spearman_rho, c.name).toBeCloseTo(c.rho, 12);
      if (c.rho === null) expect(r.ci95, c.name).toBeNull();
      else expect(r.ci95).toEqual(spearmanInterval(c.x, c.y, { seed: 2 }));
      expect(r).toMatchObject({ n: c.x.length, points, bootstrap_replicates: c.rho === null ? 0 : 1000, seed: 2 });
    }
    expect(() => correlation([{ model: 'a', mean_socm: 0.1, score: 1 }, { model: 'b', mean_socm: 0.2, score: 2 }])).toThrow("Spearman's ρ needs at least 3 models with a score; 2 have one");
    const svg = correlationSvg(correlation([{ model: 'a<b', mean_socm: 0.1, score: 1 }, { model: 'b', mean_socm: 0.2, score: 3 }, { model: 'c', mean_socm: 0.3, score: 2 }]));
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('Spearman ρ = 0.500');
    expect(svg).toContain('a&lt;b');
  });
});

describe('stored corpus sessions with pair lists, samples, intervals and scores', () => {
  const batch: CorpusBatch = {
    id: 'b1', texts: ['a', 'b', 'c'], excludeSpecial: false, limit: 100, startedAt: 1,
    pairs: 'sample', sample: { pairs: 2, seed: 7, population: 3, texts: 3 }, seed: 7, inputIndex: [0, 4, 9],
  };
  const rows: PairRow[] = [[0, 1, 0.1, 0.2, 0.18], [1, 2, 0.3, 0.1, 0.07]];
  const intervals = { ci95: [0.05, 0.2], ci95_d1: [0.1, 0.3], ci95_d2: [0.1, 0.2], ci95_trace: [1, 2], ci95_within_cosine: [0.3, 0.5], ci_resampled: 'pairs', bootstrap_replicates: 1000 } as const;

  it('two tabs: a save keeps the runs another tab stored meanwhile (the latest per model), but not runs this tab dropped', () => {
    const run = (model: string, id: string, finishedAt: number): ModelRun => ({ ...fakeRun(model, id, rows, 3), finishedAt });
    const b = (id: string): CorpusBatch => ({ id, texts: [id, 'x', 'y'], excludeSpecial: false, limit: 100, startedAt: 1 });
    // This tab: glove (seen), tiny-bert cleared earlier (seen, gone).
    const ours = packCorpus(withRun(EMPTY_CORPUS, b('mine'), run('glove', 'mine', 10)));
    const seen = new Set(['glove|10', 'poolscope/tiny-bert|5']);
    // The other tab stored tiny-bert (the one cleared here), a newer glove, and ckpt-bert.
    let other = withRun(EMPTY_CORPUS, b('t1'), run('poolscope/tiny-bert', 't1', 5));
    other = withRun(other, b('t2'), run('glove', 't2', 20));
    other = withRun(other, b('t3'), run('poolscope/ckpt-bert', 't3', 30));
    const merged = mergeStoredCorpus(packCorpus(other), ours, seen);
    expect(merged.runs.map((r) => [r.model, r.finishedAt]).sort()).toEqual([['glove', 20], ['poolscope/ckpt-bert', 30]]);
    expect(merged.batches.map((x) => x.id).sort()).toEqual(['t2', 't3']);
    expect(unpackCorpus(structuredClone(merged)).runs).toHaveLength(2);
    // Nothing from elsewhere, or nothing stored: ours as it is.
    expect(mergeStoredCorpus(packCorpus(withRun(EMPTY_CORPUS, b('mine'), run('glove', 'mine', 10))), ours, seen)).toBe(ours);
    expect(mergeStoredCorpus(undefined, ours, seen)).toBe(ours);
  });

  it('round-trip through IndexedDB\'s structured clone; a session stored before these fields still loads', () => {
    let s: CorpusSession = { ...EMPTY_CORPUS, source: { kind: 'pairs', sample: false, samplePairs: 10000, seed: 3 }, scores: { glove: 40.5 } };
    const run = fakeRun('glove', 'b1', rows, 3);
    s = withRun(s, batch, run);
    expect(s.source?.kind).toBe('pairs');
    s = withIntervals(s, run, { ...intervals, ci95: [...intervals.ci95], ci95_d1: [...intervals.ci95_d1], ci95_d2: [...intervals.ci95_d2], ci95_trace: [...intervals.ci95_trace], ci95_within_cosine: [...intervals.ci95_within_cosine] });
    expect(s.runs[0].intervals?.ci95).toEqual([0.05, 0.2]);
    // A run that is no longer kept gets nothing.
    expect(withIntervals(s, { ...run, finishedAt: 99 }, intervals as never)).toBe(s);
    expect(unpackCorpus(structuredClone(packCorpus(s)))).toEqual(s);
    const old = structuredClone(packCorpus(withRun(EMPTY_CORPUS, { id: 'b0', texts: ['x', 'y'], excludeSpecial: true, limit: 50, startedAt: 1 }, fakeRun('glove', 'b0', [[0, 1, 0.1, 0.2, 0.18]], 2))));
    expect(Object.keys(old).sort()).toEqual(['batches', 'runs', 'version']);
    const back = unpackCorpus(old);
    expect(back.runs[0].intervals).toBeUndefined();
    expect([back.source, back.scores, back.batches[0].pairs]).toEqual([undefined, undefined, undefined]);
    // Damaged settings and scores are dropped, not trusted.
    const damaged = unpackCorpus({ ...structuredClone(packCorpus(s)), source: { kind: 'everything' }, scores: { glove: 'high', other: 2 } });
    expect([damaged.source, damaged.scores]).toEqual([undefined, { other: 2 }]);
  });

  it('Clear results keeps the source settings and scores; rows are packed once however often a setting is saved', () => {
    const s = withRun({ ...EMPTY_CORPUS, scores: { glove: 1 } }, batch, fakeRun('glove', 'b1', rows, 3));
    expect(withoutRuns(s)).toEqual({ batches: [], runs: [], scores: { glove: 1 } });
    expect(packRows(s.runs[0].result.rows)).toBe(packRows(s.runs[0].result.rows));
    expect(packCorpus({ ...s, scores: { glove: 2 } }).runs[0].rows).toBe(packCorpus(s).runs[0].rows);
  });
});

describe('labels of the correlation scatter', () => {
  type Box = { left: number; right: number; top: number; bottom: number };
  const meets = (a: Box, b: Box) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.01 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.01;

  /** Label boxes placed for the points; each is checked against the others, every marker and the area. */
  function problems(points: { x: number; y: number }[], sizes: { width: number; height: number }[], area: { width: number; height: number }): string[] {
    const offsets = placeLabels(points, sizes, area, { radius: 6 });
    const boxes = points.map((p, k) => ({
      left: p.x + offsets[k].dx - sizes[k].width / 2, right: p.x + offsets[k].dx + sizes[k].width / 2,
      top: p.y + offsets[k].dy - sizes[k].height / 2, bottom: p.y + offsets[k].dy + sizes[k].height / 2,
    }));
    const out: string[] = [];
    boxes.forEach((b, k) => {
      if (b.left < 0 || b.top < 0 || b.right > area.width || b.bottom > area.height) out.push(`label ${k} leaves the area`);
      boxes.forEach((o, q) => q > k && meets(b, o) && out.push(`labels ${k} and ${q} overlap`));
      points.forEach((p, q) => meets(b, { left: p.x - 6, right: p.x + 6, top: p.y - 6, bottom: p.y + 6 }) && out.push(`label ${k} covers point ${q}`));
    });
    return out;
  }

  it('the exported SVG places its labels the same way: none covers another label or a point, none leaves the plot', () => {
    const names = ['poolscope/tiny-bert', 'poolscope/ckpt-bert', 'glove', 'poolscope/tiny-bert-wide', 'sentence-transformers/all-MiniLM-L6-v2'];
    const points = names.map((model, k) => ({ model, mean_socm: [0.0151, 9.08e-5, 0.2514, 0.0068, 0.26][k], score: [52.5, 49, 41.25, 49, 55][k] }));
    const svg = correlationSvg(correlation(points, { replicates: 0 }));
    // Each point's marker and label, as the SVG writes them (labels centred on x, 11 px, about half an em per character).
    const marks = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="5"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" font-size="11"[^>]*>([^<]+)<\/text>/g)].map((m) => {
      const [x, y, half] = [Number(m[1]), Number(m[2]), (m[3].length * 5.5) / 2];
      return { text: m[3], box: { left: x - half, right: x + half, top: y - 8, bottom: y + 3 } };
    });
    expect(labels.map((l) => l.text)).toEqual(names);
    expect(marks).toHaveLength(names.length);
    const out: string[] = [];
    labels.forEach(({ text, box }, k) => {
      if (box.left < 70 || box.right > 620 || box.top < 40 || box.bottom > 384) out.push(`${text} leaves the plot`);
      labels.forEach((o, q) => q > k && meets(box, o.box) && out.push(`${text} and ${o.text} overlap`));
      marks.forEach((p, q) => meets(box, { left: p.x - 5, right: p.x + 5, top: p.y - 5, bottom: p.y + 5 }) && out.push(`${text} covers ${names[q]}'s point`));
    });
    expect(out).toEqual([]);
  });

  it('a dozen models spread over the plot: no label covers another, a point, or the axes', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 50; trial++) {
      const area = { width: 300 + random() * 900, height: 304 };
      const points = Array.from({ length: 12 }, () => ({ x: random() * area.width, y: random() * area.height }));
      const sizes = points.map(() => ({ width: 60 + random() * 110, height: 18 }));
      expect(problems(points, sizes, area), `trial ${trial}`).toEqual([]);
    }
  });

  it('points on top of each other, at the edges and in corners still get clear labels', () => {
    const area = { width: 276, height: 304 };
    const points = [{ x: 20, y: 150 }, { x: 24, y: 150 }, { x: 22, y: 146 }, { x: 0, y: 0 }, { x: 276, y: 304 }, { x: 276, y: 0 }];
    expect(problems(points, points.map(() => ({ width: 150, height: 18 })), area)).toEqual([]);
    // A label next to its point needs no leader line; one pushed out does.
    const offsets = placeLabels(points.slice(0, 3), points.slice(0, 3).map(() => ({ width: 150, height: 18 })), area, { radius: 6 });
    expect(offsets[0].far).toBe(false);
    expect(offsets.some((o) => o.far)).toBe(true);
  });
});
