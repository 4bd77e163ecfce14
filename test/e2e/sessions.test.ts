/**
 * Corpus sessions keep the user's work: runs are kept with the texts they ran on, survive a view
 * switch, a cancelled run, a reload and a closed tab, and "Open" can be undone with Back.
 */
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/app/presets';
import { DEFAULT_MODELS } from '../../src/app/url-state';
import { builtApp, closePage, freshPage, grabDownload, loadCorpusFile, panelNumbers, q, waitForCorpus } from './helpers';

const app = builtApp();

const SIX = [
  'The volcano erupted twice during the winter of that year.',
  'She prefers green tea with a little honey in the morning.',
  'The committee approved the new budget after a long debate.',
  'Heavy rain fell across the northern valleys through the night.',
  'The museum opened a new wing for modern art last spring.',
  'Two students won the national science prize for their work.',
];
const MANY = Array.from({ length: 400 }, (_, i) => `sentence ${i} about the city school and its music season in the old town`);

/** The pairs column of a model's row in the corpus table. */
/** The models of the corpus runs this browser has stored (read from IndexedDB in the page). */
function storedModels(page: import('playwright-core').Page): Promise<string[]> {
  return page.evaluate(() => new Promise<string[]>((resolve, reject) => {
    const open = indexedDB.open('poolscope');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('session').objectStore('session').get('corpus');
      get.onsuccess = () => resolve(((get.result as { runs?: { model: string }[] } | undefined)?.runs ?? []).map((r) => r.model).sort());
      get.onerror = () => reject(get.error);
    };
  }));
}

async function pairsOf(page: import('playwright-core').Page, model: string): Promise<number> {
  return Number(await page.getByTestId('corpus-table').locator(`tr[data-model="${model}"] td`).nth(3).getAttribute('data-value'));
}

describe('corpus sessions keep the user\'s work', () => {
  it('after the box is edited, a row opens the texts its run was computed on; Back returns to the results; exports use the run\'s texts', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ view: 'corpus', cmodels: 'glove', climit: '100' })}`);
    await page.getByTestId('corpus-texts').fill(SIX.join('\n'));
    await page.getByTestId('corpus-run').click();
    await waitForCorpus(page);
    const focusAfterRun = await page.evaluate(() => document.activeElement?.id);

    // Delete the first line: every index in the box shifts by one.
    await page.getByTestId('corpus-texts').fill(SIX.slice(1).join('\n'));
    await expect.poll(() => page.getByTestId('corpus-changed').count()).toBe(1);
    const rows = page.getByTestId('collapsed-pairs').locator('tbody tr');
    expect(await rows.count()).toBe(15);
    // A pair that involves the deleted text, so the test cannot pass by luck.
    const all = await rows.evaluateAll((trs) => trs.map((tr) => ({
      ti: tr.querySelector('td')?.getAttribute('title') ?? '',
      tj: tr.querySelectorAll('td')[1]?.getAttribute('title') ?? '',
      socm: Number(tr.querySelectorAll('td')[4]?.getAttribute('data-value')),
    })));
    const k = all.findIndex((r) => r.ti === SIX[0] || r.tj === SIX[0]);
    expect(k).toBeGreaterThanOrEqual(0);
    const row = all[k];
    expect(SIX).toContain(row.ti);
    expect(SIX).toContain(row.tj);

    // The pairs CSV and the whole session carry the run's texts, not the box's.
    const csv = (await grabDownload(page, () => page.getByRole('button', { name: 'pairs CSV (glove)' }).click())).bytes.toString('utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('i,j,d1,d2,socm,text_i,text_j');
    expect(lines).toHaveLength(16);
    expect(csv).toContain(`"${SIX[0]}"`);
    const i = SIX.indexOf(row.ti), j = SIX.indexOf(row.tj);
    const line = lines.find((l) => l.startsWith(`${Math.min(i, j)},${Math.max(i, j)},`))!;
    expect(Math.abs(Number(line.split(',')[4]) - row.socm)).toBeLessThan(1e-12);
    const session = JSON.parse((await grabDownload(page, () => page.getByRole('button', { name: 'whole session (with texts)' }).click())).bytes.toString('utf8'));
    expect(session.batches[0].texts).toEqual(SIX);

    // Open: the playground shows exactly that pair, with the SOCM the row claims.
    await rows.nth(k).getByRole('button', { name: 'Open' }).click();
    expect(await page.getByTestId('text-a').inputValue()).toBe(row.ti);
    expect(await page.getByTestId('text-b').inputValue()).toBe(row.tj);
    expect(Math.abs((await panelNumbers(page, 0)).socm - row.socm)).toBeLessThan(1e-4);
    expect(await page.getByTestId('opened-banner').count()).toBe(1);

    // "Restore" brings back the playground as it was before Open (here: the first visit's defaults).
    await page.getByTestId('restore-playground').click();
    expect(await page.getByTestId('text-a').inputValue()).toBe(PRESETS[0].a);
    expect(await page.locator('[data-testid^="panel-"]').count()).toBe(DEFAULT_MODELS.length);
    // Back steps through what was there: the opened pair, then the corpus view with its results
    // (each navigation pushed an entry; nothing was replaced).
    await page.goBack();
    await expect.poll(() => page.getByTestId('text-a').inputValue()).toBe(row.ti);
    await page.goBack();
    await expect.poll(() => page.getByTestId('corpus-view').isVisible()).toBe(true);
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('corpus');
    expect(await pairsOf(page, 'glove')).toBe(15);
    expect(await page.getByTestId('corpus-texts').inputValue()).toBe(SIX.slice(1).join('\n'));
    // When the run ended, focus went to the results (not to the page body).
    expect(focusAfterRun).toBe('corpus-results-title');
    await closePage(page);
  });

  it('switching views keeps the results and a running job; a cancelled second run leaves the first run\'s results', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ view: 'corpus', cmodels: 'glove', climit: '1000', models: 'glove' })}`);
    await page.getByTestId('corpus-texts').fill(SIX.join('\n'));
    await page.getByTestId('corpus-run').click();
    await waitForCorpus(page);
    expect(await pairsOf(page, 'glove')).toBe(15);

    await page.getByTestId('view-pair').click();
    await panelNumbers(page, 0);
    await page.getByTestId('view-corpus').click();
    expect(await pairsOf(page, 'glove')).toBe(15);

    // A second, larger run on the same model: switching views mid-run does not stop or hide it.
    await loadCorpusFile(page, MANY);
    await page.getByTestId('corpus-run').click();
    await waitForCorpus(page, 'running', 30_000);
    await page.getByTestId('view-pair').click();
    await page.getByTestId('view-corpus').click();
    const status = page.getByTestId('corpus-status');
    expect(await status.getAttribute('data-phase')).toBe('running');
    await expect.poll(() => status.textContent(), { timeout: 120_000, interval: 50 }).toMatch(/pairs done [1-9][\d,]* \/ 79,800/);
    await page.getByTestId('corpus-cancel').click();
    await waitForCorpus(page, 'cancelled', 30_000);
    // The first run's results are still there, and focus is back on Run.
    expect(await pairsOf(page, 'glove')).toBe(15);
    expect(await status.textContent()).toMatch(/results kept before are still here \(glove\)/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('corpus-run');
    await closePage(page);
  });

  it('a reload restores the session, so does a closed tab reopened at the bare address; Clear empties it', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ a: 'the first paper', b: 'the new city school', models: 'glove,poolscope/tiny-bert', cmodels: 'glove' })}`);
    await page.getByTestId('text-a').fill('the reload keeps this text');
    await panelNumbers(page, 0);
    await page.getByTestId('view-corpus').click();
    await page.getByTestId('corpus-texts').fill(SIX.join('\n'));
    await page.getByTestId('corpus-run').click();
    await waitForCorpus(page);
    await expect.poll(() => page.getByTestId('session-saved').getAttribute('data-phase'), { timeout: 15_000 }).toBe('saved');

    await page.reload();
    await expect.poll(() => page.getByTestId('corpus-view').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await pairsOf(page, 'glove')).toBe(15);
    expect(await page.getByTestId('corpus-texts').inputValue()).toBe(SIX.join('\n'));
    await page.getByTestId('view-pair').click();
    expect(await page.getByTestId('text-a').inputValue()).toBe('the reload keeps this text');
    expect(await page.locator('[data-testid^="panel-"]').count()).toBe(2);
    await expect.poll(() => page.getByTestId('session-saved').getAttribute('data-phase'), { timeout: 15_000 }).toBe('saved');

    // A closed tab: a new one at the bare address finds the same session.
    const context = page.context();
    await page.close();
    const again = await context.newPage();
    again.on('pageerror', (e) => { throw e; });
    await again.goto(app.url);
    await expect.poll(() => again.getByTestId('text-a').inputValue(), { timeout: 30_000 }).toBe('the reload keeps this text');
    await expect.poll(() => new URL(again.url()).searchParams.get('models')).toBe('glove,poolscope/tiny-bert');
    await again.getByTestId('view-corpus').click();
    expect(await pairsOf(again, 'glove')).toBe(15);

    // Clear (asked twice) empties it, also for the next reload.
    await again.getByTestId('session-clear').click();
    await again.getByTestId('session-clear-confirm').click();
    await expect.poll(() => again.getByTestId('corpus-table').count()).toBe(0);
    expect(await again.getByTestId('corpus-texts').inputValue()).toBe('');
    await expect.poll(() => again.getByTestId('session-saved').getAttribute('data-phase'), { timeout: 15_000 }).toBe('saved');
    await again.goto(app.url);
    await again.getByTestId('view-corpus').click();
    expect(await again.getByTestId('corpus-table').count()).toBe(0);
    await closePage(again);
  });

  it('two tabs of one browser: each tab\'s corpus run is kept; a reload right after typing keeps the corpus box', async () => {
    const first = await freshPage(app.browser, `${app.url}${q({ view: 'corpus', cmodels: 'glove', models: 'glove' })}`);
    const second = await first.context().newPage();
    second.on('pageerror', (e) => { throw e; });
    await second.goto(`${app.url}${q({ view: 'corpus', cmodels: 'poolscope/tiny-bert', models: 'glove' })}`);
    await first.getByTestId('corpus-texts').fill(SIX.slice(0, 4).join('\n'));
    await first.getByTestId('corpus-run').click();
    await waitForCorpus(first);
    await expect.poll(() => first.getByTestId('session-saved').getAttribute('data-phase'), { timeout: 15_000 }).toBe('saved');
    // "Saved" means stored.
    expect(await storedModels(first)).toEqual(['glove']);
    await second.getByTestId('corpus-texts').fill(SIX.slice(2).join('\n'));
    await second.getByTestId('corpus-run').click();
    await waitForCorpus(second);
    await expect.poll(() => second.getByTestId('session-saved').getAttribute('data-phase'), { timeout: 15_000 }).toBe('saved');
    // The second tab's save kept the first tab's run.
    expect(await storedModels(second)).toEqual(['glove', 'poolscope/tiny-bert']);
    await second.close();
    await first.close();
    // A new tab at the bare address: both runs (on their own texts).
    const third = await first.context().newPage();
    await third.goto(`${app.url}?view=corpus`);
    await expect.poll(() => third.getByTestId('corpus-table').locator('tbody tr').count(), { timeout: 30_000 }).toBe(2);
    expect([await pairsOf(third, 'glove'), await pairsOf(third, 'poolscope/tiny-bert')]).toEqual([6, 6]);
    // Typed, then reloaded at once (the IndexedDB write may not finish): the box comes back as typed.
    await third.getByTestId('corpus-texts').fill('typed just before the reload\nand a second line');
    await third.reload();
    await expect.poll(() => third.getByTestId('corpus-texts').inputValue(), { timeout: 30_000 }).toBe('typed just before the reload\nand a second line');
    await expect.poll(() => third.getByTestId('session-saved').getAttribute('data-phase'), { timeout: 15_000 }).toBe('saved');
    await closePage(third);
  });

  it('a save that fails (storage full) is said until it is written: later saves of other parts do not hide it', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ view: 'corpus', cmodels: 'glove', models: 'glove' })}`);
    // The browser refuses to store the corpus runs while window.__full is set.
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        if ((window as unknown as { __full?: boolean }).__full && key === 'corpus') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.call(this, value, key);
      };
      (window as unknown as { __full?: boolean }).__full = true;
    });
    const saved = page.getByTestId('session-saved');
    await page.getByTestId('corpus-texts').fill(SIX.slice(0, 3).join('\n'));
    await page.getByTestId('corpus-run').click();
    await waitForCorpus(page);
    await expect.poll(() => saved.getAttribute('data-phase'), { timeout: 15_000 }).toBe('error');
    expect(await saved.textContent()).toMatch(/quota has been exceeded/);
    // Another part (the box) saves fine, but the runs are still not saved: the error stays.
    await page.getByTestId('corpus-texts').fill(SIX.slice(0, 4).join('\n'));
    await expect.poll(() => saved.getAttribute('data-phase'), { timeout: 15_000, interval: 20 }).toBe('saving');
    await expect.poll(() => saved.getAttribute('data-phase'), { timeout: 15_000 }).not.toBe('saving');
    expect(await saved.getAttribute('data-phase')).toBe('error');
    // Room again: the next change writes the runs too, and only then is it "saved".
    await page.evaluate(() => { (window as unknown as { __full?: boolean }).__full = false; });
    await page.getByTestId('corpus-texts').fill(SIX.slice(0, 3).join('\n'));
    await expect.poll(() => saved.getAttribute('data-phase'), { timeout: 15_000 }).toBe('saved');
    await page.reload();
    await expect.poll(() => pairsOf(page, 'glove'), { timeout: 30_000 }).toBe(3);
    await closePage(page);
  });
});
