/**
 * Corpus mode's pair lists, sampled pairs with intervals, and the correlation panel (the paper's
 * Figure 5), each equal to the CLI on the same input: `poolscope corpus --pairs`, `poolscope corpus
 * --sample-pairs N --seed S`, and `poolscope table1` + `poolscope correlate`. Screenshots of the
 * interval column and the correlation panel, light and dark, at 1440 and 390 px.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SAMPLE_TEXTS } from '../../src/corpus/sample';
import { fixtureModelsDir } from '../support/fixtures';
import { artifacts, builtApp, closePage, corpusFileInput, freshPage, grabDownload, horizontalOverflow, labelProblems, loadCorpusFile, outOfCards, plotsFitted, q, waitForCorpus } from './helpers';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'poolscope-e2e-pairs-'));
const app = builtApp();

/** The CLI's JSON output for these arguments (fixture models, offline). */
function cli(...args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [resolve(root, 'bin/poolscope.js'), ...args, '--quiet'], {
    encoding: 'utf8', env: { ...process.env, POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' },
  });
  if (r.status !== 0) throw new Error(`poolscope ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

interface Row { texts: number; pairs: number; mean_socm: number; median_socm: number; mean_d1: number; mean_d2: number; mean_trace: number; mean_within_cosine: number }

/** A model's Table 1 row as the page shows it: full-precision data-value cells, the intervals, how its pairs were chosen. */
async function tableRow(page: Page, model: string): Promise<{ row: Row; ci: Record<string, [number, number]>; pairsFrom: string }> {
  const tr = page.getByTestId('corpus-table').locator(`tr[data-model="${model}"]`);
  // Intervals are computed off the main thread once the run is kept.
  await expect.poll(() => tr.locator('[data-pending="true"]').count(), { timeout: 60_000 }).toBe(0);
  const values = await tr.locator('td[data-value]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
  const [texts, pairs, mean_socm, median_socm, mean_d1, mean_d2, mean_trace, mean_within_cosine] = values;
  const ci = Object.fromEntries(await tr.locator('.ci[data-lo]').evaluateAll((spans) => spans.map((s) => [
    s.getAttribute('data-testid')!.replace(/^ci-/, ''), [Number(s.getAttribute('data-lo')), Number(s.getAttribute('data-hi'))] as [number, number],
  ])));
  return { row: { texts, pairs, mean_socm, median_socm, mean_d1, mean_d2, mean_trace, mean_within_cosine }, ci, pairsFrom: (await tr.getByTestId('pairs-from').textContent())! };
}

/** The page's row equals the CLI's summary: counts exactly, means and intervals to 1e-4 (float32 WGSL vs float64 CPU). */
function expectSameAsCli(got: Awaited<ReturnType<typeof tableRow>>, want: Record<string, unknown>, label: string) {
  expect([got.row.texts, got.row.pairs], label).toEqual([want.texts, want.pairs]);
  for (const key of ['mean_socm', 'median_socm', 'mean_d1', 'mean_d2', 'mean_trace', 'mean_within_cosine'] as const) {
    expect(Math.abs(got.row[key] - (want[key] as number)), `${label} ${key}`).toBeLessThan(1e-4);
  }
  for (const [name, key] of [['socm', 'ci95'], ['d1', 'ci95_d1'], ['d2', 'ci95_d2'], ['trace', 'ci95_trace'], ['within-cosine', 'ci95_within_cosine']]) {
    const [lo, hi] = want[key] as [number, number];
    expect(got.ci[name], `${label} ${key}`).toBeDefined();
    expect(Math.abs(got.ci[name][0] - lo), `${label} ${key} lo`).toBeLessThan(1e-4);
    expect(Math.abs(got.ci[name][1] - hi), `${label} ${key} hi`).toBeLessThan(1e-4);
  }
}

const PAIRS = [
  ['what does mean pooling keep?', 'the average of the token vectors'],
  ['what does mean pooling keep?', 'a recipe for lemon cake with two eggs'],
  ['the city school opened a new music room', 'students at the school play music'],
  ['the city school opened a new music room', 'heavy rain closed the roads into the city'],
  ['stock markets fell sharply on monday', 'shares dropped as investors sold'],
  ['stock markets fell sharply on monday', 'the cat sat on the warm mat'],
  ['a long walk by the river at dawn', 'morning light over the water'],
  ['a long walk by the river at dawn', 'the cat sat on the warm mat'],
  ['the orchestra tuned before the concert', 'musicians prepared their instruments'],
  ['the orchestra tuned before the concert', 'the average of the token vectors'],
];

describe('pair lists and sampled pairs in the built app', () => {
  it('a pair list (.tsv) runs exactly its pairs: Table 1 equals poolscope corpus --pairs; bad files are refused; rows and Open use the pairs\' texts', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ view: 'corpus', cmodels: 'poolscope/ckpt-bert,glove', models: 'glove' })}`);
    const box = page.getByTestId('corpus-texts');
    const message = page.getByTestId('corpus-message');
    await box.fill('kept line one\nkept line two');
    // A binary file and a line without a tab are refused, and the box is left as it was.
    await corpusFileInput(page).setInputFiles({ name: 'pairs.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from([0x61, 0x09, 0x62, 0x0a, 0x00, 0x01]) });
    await expect.poll(() => message.textContent()).toMatch(/^pairs\.tsv is not a text file: it has a NUL byte at byte 5 .*The texts in the box are unchanged\.$/);
    await corpusFileInput(page).setInputFiles({ name: 'pairs.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from('a\tb\njust one text here\n') });
    await expect.poll(() => message.textContent()).toBe('pairs.tsv is not a pair list: line 2 has no tab: a pair list needs two texts per line, separated by one tab. The box is unchanged.');
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await box.inputValue()).toBe('kept line one\nkept line two');
    expect(await page.getByRole('radio', { name: /one text per line/ }).isChecked()).toBe(true);
    // Pasted text read as a pair list names the line at fault and runs nothing.
    await page.getByRole('radio', { name: /a pair list/ }).check();
    await expect.poll(() => page.getByTestId('corpus-pairs-problem').textContent()).toBe('The pair list: line 1 has no tab: a pair list needs two texts per line, separated by one tab.');
    expect(await page.getByTestId('corpus-run').isDisabled()).toBe(true);

    const tsv = `${PAIRS.map((p) => p.join('\t')).join('\r\n')}\r\n`;
    const file = join(dir, 'pairs.tsv');
    writeFileSync(file, tsv);
    await loadCorpusFile(page, PAIRS.map((p) => p.join('\t')), 'pairs.tsv');
    expect(await message.textContent()).toBe('10 pairs of 13 distinct texts from pairs.tsv');
    expect(await page.getByTestId('corpus-count').textContent()).toBe('10 pairs · 13 distinct texts to encode');
    expect(await page.getByTestId('corpus-run').textContent()).toBe('Run 10 listed pairs');
    // The seed is the intervals' (the CLI's --seed) for a pair list too.
    await page.getByTestId('corpus-seed').fill('5');
    await page.getByTestId('corpus-run').click();
    await waitForCorpus(page, 'done', 180_000);
    for (const model of ['poolscope/ckpt-bert', 'glove']) {
      const got = await tableRow(page, model);
      expectSameAsCli(got, cli('corpus', '--model', model, '--pairs', file, '--seed', '5'), model);
      expect(got.pairsFrom).toBe('pair list');
    }
    // The most collapsed rows are listed pairs, and Open opens one.
    const listed = new Set(PAIRS.flatMap(([a, b]) => [`${a}\t${b}`, `${b}\t${a}`]));
    const rows = page.getByTestId('collapsed-pairs').locator('tbody tr');
    expect(await rows.count()).toBe(10);
    for (const texts of await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td.text-cell')].map((td) => td.getAttribute('title')).join('\t')))) {
      expect(listed.has(texts), texts).toBe(true);
    }
    const first = rows.first();
    const [a, b] = await first.locator('td.text-cell').evaluateAll((tds) => tds.map((td) => td.getAttribute('title')));
    await first.getByRole('button', { name: 'Open' }).click();
    expect([await page.getByTestId('text-a').inputValue(), await page.getByTestId('text-b').inputValue()]).toEqual([a, b]);
    // Back, and a reload: the pair list, its mode and the run are all kept.
    await page.goBack();
    await page.reload();
    await expect.poll(() => page.getByTestId('corpus-table').locator('tbody tr').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByRole('radio', { name: /a pair list/ }).isChecked()).toBe(true);
    expect(await page.getByTestId('corpus-count').textContent()).toBe('10 pairs · 13 distinct texts to encode');
    expect(await page.getByTestId('corpus-changed').count()).toBe(0);
    // A new line pairing two texts already listed: the same texts, other pairs, so the box has changed.
    await box.fill(`${await box.inputValue()}\n${PAIRS[0][0]}\t${PAIRS[5][1]}`);
    await expect.poll(() => page.getByTestId('corpus-count').textContent()).toBe('11 pairs · 13 distinct texts to encode');
    await expect.poll(() => page.getByTestId('corpus-changed').count()).toBe(1);
    await closePage(page);
  });

  it('a sample of pairs (seed S) equals poolscope corpus --sample-pairs N --seed S, interval included; a large run offers sampling', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ view: 'corpus', cmodels: 'poolscope/tiny-bert', models: 'glove' })}`);
    const file = join(dir, 'sample-texts.txt');
    writeFileSync(file, SAMPLE_TEXTS.join('\n'));
    await page.getByRole('button', { name: 'Built-in sample' }).click();
    await page.getByTestId('corpus-sample').check();
    await page.getByTestId('corpus-sample-pairs').fill('300');
    await page.getByTestId('corpus-seed').fill('7');
    await expect.poll(() => page.getByTestId('corpus-run').textContent()).toBe('Run 300 sampled pairs');
    expect(await page.getByTestId('corpus-sample-note').textContent()).toMatch(/^uniformly from all 1,770 pairs of 60 texts; \d+ of them are encoded$/);
    await page.getByTestId('corpus-run').click();
    await waitForCorpus(page, 'done', 180_000);
    const got = await tableRow(page, 'poolscope/tiny-bert');
    const want = cli('corpus', '--model', 'poolscope/tiny-bert', '--sample-pairs', '300', '--seed', '7', file);
    expect([want.pairs_from, want.ci_resampled]).toEqual(['sample', 'pairs']);
    expectSameAsCli(got, want, 'sample');
    expect(got.pairsFrom).toBe('sample of 1,770 (seed 7)');
    // Too many sampled pairs: said beside the field, and nothing runs.
    await page.getByTestId('corpus-sample-pairs').fill('1770');
    await expect.poll(() => page.getByTestId('corpus-sample-problem').textContent()).toBe('A sample of 1,770 pairs is not fewer than the 1,770 pairs of 60 texts: run them all (untick “sample”).');
    expect(await page.getByTestId('corpus-run').isDisabled()).toBe(true);
    expect(await page.getByTestId('corpus-run').textContent()).toBe('Run sampled pairs');
    // Not a whole number of pairs: said beside the field, the last good size still in use.
    await page.getByTestId('corpus-sample-pairs').fill('0');
    await expect.poll(() => page.getByTestId('corpus-sample-pairs-problem').textContent()).toBe(' a whole number from 1 to 4,294,967,295 (still using 1,770)');
    await page.getByTestId('corpus-sample-pairs').fill('300');
    await expect.poll(() => page.getByTestId('corpus-sample-pairs-problem').count()).toBe(0);

    // All pairs of 460 texts (105,570 pairs): the estimate offers a sample of 10,000 pairs as the way out.
    await page.getByTestId('corpus-sample').uncheck();
    await page.getByTestId('corpus-limit').fill('1000');
    await loadCorpusFile(page, Array.from({ length: 460 }, (_, k) => `sentence ${k} on ${SAMPLE_TEXTS[k % SAMPLE_TEXTS.length]}`));
    await page.getByTestId('corpus-run').click();
    const offer = page.getByTestId('corpus-estimate-sample');
    await expect.poll(() => offer.count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('corpus-estimate').textContent()).toMatch(/^460 texts, 105,570 pairs on 1 model: about \d+/);
    expect(await offer.textContent()).toMatch(/^Or measure a uniform sample of 10,000 pairs \(seed 7\): about \d+( s| min| h)/);
    await page.getByTestId('corpus-run-sample').click();
    expect(await page.getByTestId('corpus-sample').isChecked()).toBe(true);
    expect(await page.getByTestId('corpus-sample-pairs').inputValue()).toBe('10000');
    await expect.poll(() => page.getByTestId('corpus-status').textContent(), { timeout: 120_000, interval: 100 }).toMatch(/pairs done [\d,]+ \/ 10,000/);
    await page.getByTestId('corpus-cancel').click();
    await waitForCorpus(page, 'cancelled', 60_000);
    // The sampled run kept before is still there.
    expect(await page.getByTestId('corpus-table').locator('tbody tr').count()).toBe(1);
    await closePage(page);
  });
});

const MODELS = ['poolscope/tiny-bert', 'poolscope/ckpt-bert', 'glove', 'poolscope/tiny-bert-wide'];
/** Made-up scores (a tie included); the panel must not care where they come from. */
const SCORES: Record<string, number> = { 'poolscope/tiny-bert': 52.5, 'poolscope/ckpt-bert': 49, glove: 41.25, 'poolscope/tiny-bert-wide': 49 };

async function shootCorrelation(page: Page, theme: 'light' | 'dark'): Promise<void> {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await expect.poll(() => plotsFitted(page), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('correlation').screenshot({ path: resolve(artifacts, `corpus-correlation-${theme}-${width}.png`) });
    await page.locator('.corpus-results .table-scroll').first().screenshot({ path: resolve(artifacts, `corpus-intervals-${theme}-${width}.png`) });
    expect(await horizontalOverflow(page), `${theme} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
    expect(await labelProblems(page, '[data-testid="correlation-plot"]'), `${theme} at ${width} px`).toEqual([]);
    expect(await outOfCards(page), `${theme} at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

describe('the correlation panel (the paper\'s Figure 5)', () => {
  it('ρ and its interval equal poolscope correlate on table1 JSON and a scores CSV; exports; scores kept; screenshots', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ view: 'corpus', cmodels: MODELS.join(','), climit: '12', models: 'glove' })}`);
    await page.getByRole('button', { name: 'Built-in sample' }).click();
    await page.getByTestId('corpus-run').click();
    await waitForCorpus(page, 'done', 240_000);
    const panel = page.getByTestId('correlation');
    expect(await panel.getByTestId('correlation-why').textContent()).toMatch(/^No ρ yet: Spearman's ρ needs at least 3 models with a score, and none has one\.$/);
    // Typed scores: two are not enough.
    const input = (model: string) => panel.locator(`[data-testid="score-input"][data-model="${model}"]`);
    await input('glove').fill('41.25');
    await input('poolscope/tiny-bert').fill('52.5');
    await expect.poll(() => panel.getByTestId('correlation-why').textContent()).toMatch(/only poolscope\/tiny-bert and glove have one\.$/);

    // A CSV with the rest (and a model not run here).
    const csvFile = join(dir, 'scores.csv');
    writeFileSync(csvFile, `model,score,source\n${MODELS.map((m) => `${m},${SCORES[m]},made up`).join('\n')}\nsomeone/else,70,made up\n`);
    await panel.getByTestId('scores-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('model,score\nglove,high\n') });
    await expect.poll(() => panel.getByTestId('scores-message').textContent()).toBe('bad.csv: row 2 (glove) has score "high", not a number. The scores are unchanged.');
    expect(await input('glove').inputValue()).toBe('41.25');
    await panel.getByTestId('scores-file').setInputFiles(csvFile);
    await expect.poll(() => panel.getByTestId('scores-message').textContent()).toBe('4 scores from scores.csv; not among these runs: someone/else');
    const rho = Number(await panel.getByTestId('spearman-rho').getAttribute('data-value'));
    const ci = [Number(await panel.getByTestId('spearman-ci').getAttribute('data-lo')), Number(await panel.getByTestId('spearman-ci').getAttribute('data-hi'))];

    // The CLI on the same texts and models, then correlate on its table1 JSON and the same CSV.
    const textFile = join(dir, 'texts12.txt');
    writeFileSync(textFile, SAMPLE_TEXTS.join('\n'));
    const tableFile = join(dir, 'table1.json');
    writeFileSync(tableFile, JSON.stringify(cli('table1', '--models', MODELS.join(','), '--limit', '12', '--format', 'json', textFile)));
    const want = cli('correlate', tableFile, csvFile) as { n: number; spearman_rho: number; ci95: [number, number]; points: { model: string; mean_socm: number; score: number }[] };
    expect(want.n).toBe(4);
    expect(Math.abs(rho - want.spearman_rho)).toBeLessThan(1e-12);
    expect(ci[0]).toBeCloseTo(want.ci95[0], 12);
    expect(ci[1]).toBeCloseTo(want.ci95[1], 12);

    // Exports: the JSON has correlate's fields and points; the SVG is a standalone figure.
    const json = JSON.parse((await grabDownload(page, () => panel.getByRole('button', { name: 'correlation JSON' }).click())).bytes.toString('utf8'));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['n', 'spearman_rho', 'ci95', 'points']));
    expect([json.n, json.spearman_rho, json.ci95]).toEqual([4, rho, ci]);
    expect(json.points.map((p: { model: string; score: number }) => [p.model, p.score])).toEqual(want.points.map((p) => [p.model, p.score]));
    json.points.forEach((p: { mean_socm: number }, k: number) => expect(Math.abs(p.mean_socm - want.points[k].mean_socm)).toBeLessThan(1e-4));
    const svg = (await grabDownload(page, () => panel.getByRole('button', { name: 'scatter SVG' }).click())).bytes.toString('utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain(`Spearman ρ = ${rho.toFixed(3)}`);
    for (const m of MODELS) expect(svg).toContain(`>${m}</text>`);
    // The page's summary JSON is one poolscope correlate reads, with the same answer.
    const summary = await grabDownload(page, () => page.getByRole('button', { name: 'summary JSON' }).click());
    const summaryFile = join(dir, 'summary.json');
    writeFileSync(summaryFile, summary.bytes);
    expect(Math.abs((cli('correlate', summaryFile, csvFile).spearman_rho as number) - rho)).toBeLessThan(1e-12);

    await shootCorrelation(page, 'light');
    await page.getByTestId('view-pair').click();
    await page.getByLabel('theme').selectOption('dark');
    await page.getByTestId('view-corpus').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await shootCorrelation(page, 'dark');

    // The scores are kept with the session: a reload shows the same ρ.
    await page.reload();
    await expect.poll(() => page.getByTestId('spearman-rho').getAttribute('data-value'), { timeout: 30_000 }).toBe(String(rho));
    expect(await page.locator('[data-testid="score-input"][data-model="glove"]').inputValue()).toBe('41.25');
    await closePage(page);
  });
});
