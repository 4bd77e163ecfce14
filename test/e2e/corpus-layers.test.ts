/** Corpus mode's layers (the paper's §6): Table 1 at a chosen layer, and every layer, equal to `poolscope corpus --layer`. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointReference, fixtureModelsDir } from '../support/fixtures';
import { builtApp, closePage, freshPage, waitForCorpus } from './helpers';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MODELS = ['poolscope/ckpt-bert', 'poolscope/ckpt-nomic'];
const texts = [...checkpointReference()[0].texts.map((t) => t.text), 'the city school was known as the first one', 'music of the world state'];
let file: string;

const app = builtApp();
beforeAll(() => {
  file = join(mkdtempSync(join(tmpdir(), 'poolscope-e2e-layers-')), 'texts.txt');
  writeFileSync(file, texts.join('\n'));
});

function cli(model: string, layer: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, [resolve(root, 'bin/poolscope.js'), 'corpus', '--model', model, '--layer', layer, '--bootstrap', '0', file], {
    encoding: 'utf8', env: { ...process.env, POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

async function runCorpus(page: Page): Promise<void> {
  await page.getByTestId('corpus-texts').fill(texts.join('\n'));
  await page.getByTestId('corpus-run').click();
  await waitForCorpus(page, 'done', 180_000);
}

describe('corpus layers in the built app', () => {
  it('Table 1 at a chosen layer equals poolscope corpus --layer 1; its layer column says which', async () => {
    const page = await freshPage(app.browser, `${app.url}?view=corpus&cmodels=${MODELS.join(',')}&clayer=1`);
    expect(await page.getByTestId('corpus-layer').inputValue()).toBe('1');
    await runCorpus(page);
    for (const model of MODELS) {
      const want = cli(model, '1');
      const row = page.getByTestId('corpus-table').locator(`tr[data-model="${model}"]`);
      const [, , meanSocm, , meanD1, meanD2] = await row.locator('td[data-value]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
      expect(Math.abs(meanSocm - (want.mean_socm as number))).toBeLessThan(1e-4);
      expect(Math.abs(meanD1 - (want.mean_d1 as number))).toBeLessThan(1e-4);
      expect(Math.abs(meanD2 - (want.mean_d2 as number))).toBeLessThan(1e-4);
      expect(await row.getByTestId('run-layer').getAttribute('data-layer')).toBe('1');
    }
    await closePage(page);
  });

  it('every layer: the chart\'s numbers equal poolscope corpus --layer all for two fixture models', async () => {
    const page = await freshPage(app.browser, `${app.url}?view=corpus&cmodels=${MODELS.join(',')}`);
    await runCorpus(page);
    await page.getByTestId('corpus-layers-run').click();
    const table = page.getByTestId('corpus-layers-table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 180_000 }).toBe(4 + 3);
    for (const model of MODELS) {
      const want = cli(model, 'all').layers as Record<string, number>[];
      for (const layer of want) {
        const row = table.locator(`tr[data-model="${model}"][data-layer="${layer.layer}"]`);
        for (const key of ['mean_socm', 'median_socm', 'mean_d1', 'mean_d2', 'mean_trace', 'mean_spread', 'mean_within_cosine']) {
          const got = Number(await row.locator(`td[data-key="${key}"]`).getAttribute('data-value'));
          expect(Math.abs(got - layer[key]), `${model} layer ${layer.layer} ${key}: ${got} vs ${layer[key]}`).toBeLessThan(1e-4);
        }
      }
    }
    const drawn = await page.evaluate(() => (document.querySelector('[data-testid="corpus-layers-plot"]') as unknown as { data: { name: string; x: number[] }[] }).data.length);
    expect(drawn).toBe(MODELS.length * 4);
    // Kept with the run: a reload restores the layers too.
    await page.reload();
    await expect.poll(() => page.getByTestId('corpus-layers-table').locator('tbody tr').count(), { timeout: 60_000 }).toBe(7);
    await closePage(page);
  });
});
