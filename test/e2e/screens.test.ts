/**
 * Screenshots of both views at 1440 px and 390 px, light and dark, saved to test/artifacts/;
 * at each size nothing scrolls sideways and no plot label overlaps another or sticks out.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { builtApp, closePage, freshPage, horizontalOverflow, labelProblems, outOfCards, panelNumbers, plotsFitted, q, waitForCorpus } from './helpers';

const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');

const app = builtApp();

const WIDTHS = [1440, 390] as const;

async function shoot(page: Page, name: string, plots: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await expect.poll(() => plotsFitted(page), { timeout: 10_000 }).toBe(true);
    await page.screenshot({ path: resolve(artifacts, `${name}-${width}.png`), fullPage: true });
    expect(await horizontalOverflow(page), `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
    expect(await labelProblems(page, plots), `${name} at ${width} px`).toEqual([]);
    expect(await outOfCards(page), `${name} at ${width} px`).toEqual([]);
  }
}

describe('screenshots (1440 px and 390 px, light and dark)', () => {
  it('both views in both themes', async () => {
    // One page, the theme switched in the app: one cold start and one corpus run for all eight.
    const page = await freshPage(app.browser, `${app.url}${q({ models: 'poolscope/tiny-bert,glove', cmodels: 'glove,poolscope/tiny-bert', climit: '24' })}`, { width: 1440, height: 900 });
    const theme = async (scheme: 'light' | 'dark') => {
      await page.getByTestId('view-pair').click();
      await page.getByLabel('theme').selectOption(scheme);
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
    };
    await panelNumbers(page, 0);
    await panelNumbers(page, 1);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await shoot(page, 'playground-light', '[data-testid="pca-plot"], [data-testid="landscape"]');
    await page.setViewportSize({ width: 1440, height: 900 });
    await theme('dark');
    await shoot(page, 'playground-dark', '[data-testid="pca-plot"], [data-testid="landscape"]');

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('view-corpus').click();
    await page.getByRole('button', { name: 'Built-in sample' }).click();
    await page.getByTestId('corpus-run').click();
    await waitForCorpus(page);
    await shoot(page, 'corpus-dark', '[data-testid="corpus-histogram"], [data-testid="corpus-scatter"]');
    await page.setViewportSize({ width: 1440, height: 900 });
    await theme('light');
    await page.getByTestId('view-corpus').click();
    await shoot(page, 'corpus-light', '[data-testid="corpus-histogram"], [data-testid="corpus-scatter"]');
    await closePage(page);
  });
});
