/**
 * The playground says what it knows and no more: errors name the real cause, dtype is per panel
 * and offered only where files exist, tiny or unknown clouds get no verdict; and the small
 * things (links, focus, labels, toolbars) behave.
 */
import { describe, expect, it } from 'vitest';
import { servePreview } from '../support/app-server';
import { fixtureModelsDir } from '../support/fixtures';
import { builtApp, closePage, freshPage, labelProblems, panelNumbers, q } from './helpers';

const app = builtApp();

const status = (page: import('playwright-core').Page, i: number) => page.getByTestId(`panel-${i}`).getByTestId('status');

describe('errors name the real cause', () => {
  it('q8 on a served model without a quantised file names the missing file, in that panel only; its dtype picker offers fp32', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ a: 'the first paper', b: 'a new city', models: 'poolscope/tiny-bert,glove', dtype: 'q8' })}`);
    await expect.poll(() => status(page, 0).getAttribute('data-phase'), { timeout: 60_000 }).toBe('error');
    const message = await status(page, 0).textContent();
    expect(message).toMatch(/poolscope\/tiny-bert has no quantised \(q8\) build: onnx\/model_quantized\.onnx is not in the served models directory \(\/models\/poolscope\/tiny-bert\/\); it has fp32 \(its own weights, model\.safetensors, every layer\): pick that as the dtype$/);
    expect(message).not.toMatch(/network/);
    await panelNumbers(page, 1);
    const dtype = page.getByTestId('panel-0').getByTestId('dtype');
    await expect.poll(() => dtype.getAttribute('data-options')).toBe('fp32,onnx');
    expect(await dtype.locator('option').allTextContents()).toEqual(['fp32 · weights (every layer)', 'fp32 · ONNX (last layer)', 'q8 (quantised) — no files']);
    await dtype.selectOption('fp32');
    await panelNumbers(page, 0);
    await expect.poll(() => new URL(page.url()).searchParams.get('models')).toBe('poolscope/tiny-bert:fp32,glove');
    await closePage(page);
  });

  it('without a served models directory and without network, says both (not just "no network?")', async () => {
    delete process.env.POOLSCOPE_MODELS_DIR;
    const bare = await servePreview();
    process.env.POOLSCOPE_MODELS_DIR = fixtureModelsDir;
    try {
      const page = await freshPage(app.browser, `${bare.url}${q({ a: 'the first paper', b: 'a new city', models: 'poolscope/tiny-bert' })}`);
      await expect.poll(() => status(page, 0).getAttribute('data-phase'), { timeout: 60_000 }).toBe('error');
      expect(await status(page, 0).textContent()).toMatch(
        /poolscope\/tiny-bert: could not reach the Hugging Face Hub .*\(no network\?.*, and it is not in this server's models directory \(it serves none: start it with POOLSCOPE_MODELS_DIR=\/path\)The network is out: Use GloVe instead \(no download\)$/,
      );
      expect(await page.getByTestId('panel-0').getByTestId('use-glove').count()).toBe(1);
      await closePage(page);
    } finally {
      await bare.close();
    }
  });
});

describe('readings claim no more than the tokens support', () => {
  it('Arabic under GloVe (1 token with a vector) and 200 KB of one emoji under a BERT tokenizer ([UNK]) get the numbers greyed and the reason, no verdict', async () => {
    const arabic = 'وُلد غيز في شارلوت تاون بجزيرة الأمير إدوارد لأب لبناني يملك متجرا صغيرا في الحي القديم من المدينة.';
    const english = 'Ghiz was born in Charlottetown, Prince Edward Island, to a Lebanese corner store owner and his wife.';
    const page = await freshPage(app.browser, `${app.url}${q({ a: arabic, b: english, models: 'glove,poolscope/tiny-bert' })}`);
    await panelNumbers(page, 0);
    const glove = page.getByTestId('panel-0');
    expect(await glove.getByTestId('reading').count()).toBe(0);
    expect(await glove.getByTestId('too-little').textContent()).toMatch(/^Too little to read, so no verdict: text A has only 1 token with a vector \(\d+ of \d+ words have no GloVe vector\)/);
    expect(await glove.locator('.metrics').getAttribute('data-readable')).toBe('false');
    expect(await glove.getByTestId('thresholds').textContent()).toMatch(/d1 < 0\.1.*d2 > 0\.02.*≥ 3 measured tokens/);
    // The BERT panel reads its own tokens: Arabic letters are in its vocabulary or not; either way it says which.
    await panelNumbers(page, 1);

    await page.getByTestId('text-a').fill('😀'.repeat(50_000));
    await expect.poll(() => page.getByTestId('panel-1').getByTestId('too-little').textContent(), { timeout: 60_000 })
      .toMatch(/most of text A is unknown to the tokenizer \(1 of 1 tokens are \[UNK\]\)/);
    expect(await page.getByTestId('panel-1').getByTestId('reading').count()).toBe(0);
    // A normal pair gets its verdict and the thresholds next to it.
    await page.getByTestId('text-a').fill('Virginia Woolf set many scenes of her novel in Russell Square in London.');
    await expect.poll(() => page.getByTestId('panel-0').getByTestId('reading').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('panel-0').getByTestId('reading').textContent()).toMatch(/^Means (close|apart)/);
    await closePage(page);
  });
});

describe('small things', () => {
  it('says which ids of a long ?models= list were left out; Copy link confirms and keeps the ellipses; removing a panel keeps each panel\'s own model and moves focus to a panel', async () => {
    const extra = Array.from({ length: 16 }, (_, i) => `org/extra-${i}`);
    const models = ['nobody/custom-model', 'glove', 'poolscope/tiny-bert', 'poolscope/tiny-bert-wide', ...extra];
    const page = await freshPage(app.browser, `${app.url}${q({ a: 'the city school', b: 'the city school', models: models.join(',') })}`, { permissions: ['clipboard-read', 'clipboard-write'] });
    expect(await page.getByTestId('page-note').textContent()).toMatch(/The link names 20 models; only 4 panels fit, so 16 were left out: org\/extra-0, org\/extra-1, .* …/);

    // Identical texts: the means coincide, and their labels still do not overlap.
    await panelNumbers(page, 1);
    await panelNumbers(page, 2);
    expect(await labelProblems(page, '[data-testid="pca-plot"]')).toEqual([]);
    // Plotly's toolbars add no tab stops.
    const tabStops = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.js-plotly-plot a, .js-plotly-plot button, .js-plotly-plot [tabindex]')]
      .filter((e) => e.tabIndex >= 0).length);
    expect(tabStops).toBe(0);

    await page.getByLabel('1-σ ellipses').check();
    await expect.poll(() => new URL(page.url()).searchParams.get('ellipses')).toBe('1');
    await page.getByTestId('copy-link').click();
    await expect.poll(() => page.getByTestId('copy-status').textContent()).toMatch(/^Link copied/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());

    // Remove the custom-id panel: the next panel keeps its own model and an empty custom box.
    await expect.poll(() => status(page, 0).getAttribute('data-phase'), { timeout: 60_000 }).toBe('error');
    expect(await page.getByTestId('panel-0').getByLabel('Custom model id').inputValue()).toBe('nobody/custom-model');
    await page.getByRole('button', { name: 'Remove panel nobody/custom-model' }).click();
    expect(await page.locator('[data-testid^="panel-"]').count()).toBe(3);
    expect(await page.getByTestId('panel-0').locator('h2').textContent()).toBe('glove');
    expect(await page.getByTestId('panel-0').getByLabel('Custom model id').inputValue()).toBe('');
    expect(await page.getByTestId('panel-0').getByTestId('status').getAttribute('data-phase')).toBe('ready');
    expect(await page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H2 glove');
    await expect.poll(() => new URL(page.url()).searchParams.get('models')).toBe('glove,poolscope/tiny-bert,poolscope/tiny-bert-wide');
    await closePage(page);
  });
});
