import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fixtureModelsDir } from '../support/fixtures';
import { sharedDir } from '../support/shared';
import { builtApp, closePage, freshPage, loadCorpusFile } from './helpers';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = resolve(root, 'test/artifacts');
const wiki = resolve(sharedDir, 'data/wiki1m-sample-1000.txt');
const hasWiki = existsSync(wiki);
if (!hasWiki) console.warn(`[poolscope tests] ${wiki} is absent: the wiki1m corpus e2e test is skipped`);

const app = builtApp({ corpusFile: hasWiki ? wiki : undefined });

/** Each test in a context of its own: no session saved by another test is restored. */
function open(query: string): Promise<Page> {
  return freshPage(app.browser, `${app.url}${query}`);
}

function cliCorpus(model: string, file: string, limit: number): Record<string, number> {
  const r = spawnSync(process.execPath, [resolve(root, 'bin/poolscope.js'), 'corpus', '--model', model, '--limit', String(limit), file], {
    encoding: 'utf8', env: { ...process.env, POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('corpus mode in the built app', () => {
  it.skipIf(!hasWiki)('runs 50 wiki1m sentences (streamed from the local copy) on two models; the table equals the CLI', async () => {
    const page = await open('?view=corpus&cmodels=poolscope/tiny-bert,glove&climit=50');
    await page.getByRole('button', { name: /Paper corpus \(wiki1m\), first 50/ }).click();
    await expect.poll(() => page.getByTestId('corpus-count').textContent(), { timeout: 30_000 }).toMatch(/^50 texts/);
    const lines = readFileSync(wiki, 'utf8').split('\n').filter((l) => l.trim()).slice(0, 50);
    expect((await page.getByTestId('corpus-texts').inputValue()).split('\n')).toEqual(lines.map((l) => l.trim()));
    await page.getByTestId('corpus-run').click();
    await expect.poll(() => page.getByTestId('corpus-status').getAttribute('data-phase'), { timeout: 240_000, interval: 1000 }).toBe('done');
    const file = join(mkdtempSync(join(tmpdir(), 'poolscope-e2e-')), 'wiki50.txt');
    writeFileSync(file, lines.join('\n'));
    for (const model of ['poolscope/tiny-bert', 'glove']) {
      const want = cliCorpus(model, file, 50);
      const row = page.getByTestId('corpus-table').locator(`tr[data-model="${model}"]`);
      const values = await row.locator('td[data-value]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
      const [texts, pairs, meanSocm, medianSocm, meanD1, meanD2, meanTrace, withinCos] = values;
      expect(Math.abs(meanSocm - want.mean_socm)).toBeLessThan(1e-4);
      expect(Math.abs(medianSocm - want.median_socm)).toBeLessThan(1e-4);
      expect(Math.abs(meanD1 - want.mean_d1)).toBeLessThan(1e-4);
      expect(Math.abs(meanD2 - want.mean_d2)).toBeLessThan(1e-4);
      expect(Math.abs(meanTrace - want.mean_trace)).toBeLessThan(1e-4);
      expect(Math.abs(withinCos - want.mean_within_cosine)).toBeLessThan(1e-4);
      expect([texts, pairs]).toEqual([50, 1225]);
      expect(await row.locator('td').nth(3).textContent()).toBe('1,225');
    }
    expect(await page.getByTestId('collapsed-pairs').locator('tbody tr').count()).toBe(50);
    await page.screenshot({ path: resolve(artifacts, 'corpus.png'), fullPage: true });
    // Open the most collapsed pair in the playground.
    const first = page.getByTestId('collapsed-pairs').locator('tbody tr').first();
    const textI = await first.locator('td').first().getAttribute('title');
    await first.getByRole('button', { name: 'Open' }).click();
    expect(await page.getByTestId('text-a').inputValue()).toBe(textI);
    await expect.poll(() => new URL(page.url()).searchParams.get('models')).toBe('poolscope/tiny-bert');
    await closePage(page);
  });

  it('cancels a run midway and the page stays usable', async () => {
    const page = await open('?view=corpus&cmodels=poolscope/tiny-bert&climit=300&models=glove,poolscope/tiny-bert');
    const many = Array.from({ length: 300 }, (_, i) => `sentence ${i} about the city school and its music season`);
    await loadCorpusFile(page, many);
    await page.getByTestId('corpus-run').click();
    const status = page.getByTestId('corpus-status');
    await expect.poll(() => status.textContent(), { timeout: 120_000, interval: 100 }).toMatch(/pairs done [1-9][\d,]* \/ 44,850/);
    await page.getByTestId('corpus-cancel').click();
    await expect.poll(() => status.getAttribute('data-phase'), { timeout: 30_000 }).toBe('cancelled');
    expect(await page.getByTestId('corpus-table').count()).toBe(0);
    // Still usable: a smaller run completes, and the playground answers.
    await page.getByTestId('corpus-limit').fill('8');
    await page.getByTestId('corpus-run').click();
    await expect.poll(() => status.getAttribute('data-phase'), { timeout: 60_000 }).toBe('done');
    expect(await page.getByTestId('corpus-table').locator('tbody tr').count()).toBe(1);
    await page.getByTestId('view-pair').click();
    await expect.poll(() => page.getByTestId('panel-0').getByTestId('status').getAttribute('data-phase'), { timeout: 60_000 }).toBe('ready');
    // Going back keeps the texts (they are not in the URL, but they are not lost).
    await page.getByTestId('view-corpus').click();
    expect((await page.getByTestId('corpus-texts').inputValue()).split('\n').length).toBe(300);
    await closePage(page);
  });
});
