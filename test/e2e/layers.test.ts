/**
 * The weights route and the layers in the built app: panels opened by URL on checkpoints equal
 * `poolscope score` at the last layer and at layer 1; the layer slider moved by keyboard changes the
 * PCA plot and SOCM to the CLI's value for that layer; backbone and child strips share axes; the
 * attention map; hub downloads asked for first, cached, and GloVe offered without network.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fixtureModelsDir } from '../support/fixtures';
import { builtApp, closePage, freshPage, grabDownload, labelProblems, panelNumbers, q } from './helpers';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = resolve(root, 'test/artifacts');

const app = builtApp();

const A = 'Virginia Woolf set many scenes of her novel Night and Day in Russell Square.';
const B = 'He was born on an island, north of the city (1919).';

function score(model: string, layer?: number): Record<string, number> {
  const r = spawnSync(process.execPath, [resolve(root, 'bin/poolscope.js'), 'score', '--model', model, ...(layer === undefined ? [] : ['--layer', String(layer)]), A, B], {
    encoding: 'utf8', env: { ...process.env, POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

function expectNear(got: Record<string, number>, want: Record<string, number>, what: string): void {
  for (const k of ['socm', 'd1', 'd2'] as const) expect(Math.abs(got[k] - want[k]), `${what} ${k}: ${got[k]} vs ${want[k]}`).toBeLessThan(1e-4);
}

/** What Plotly drew in a panel's plot (data and layout of the graph div). */
function figure(page: Page, panel: number, testid: string): Promise<{ data: { x: number[]; y: number[] }[]; layout: Record<string, { range?: number[] }> }> {
  return page.evaluate(([p, t]) => {
    const gd = document.querySelector(`[data-testid="panel-${p}"] [data-testid="${t}"] .js-plotly-plot, [data-testid="panel-${p}"] .js-plotly-plot[data-testid="${t}"]`) as unknown as { data: unknown; layout: unknown };
    return JSON.parse(JSON.stringify({ data: gd.data, layout: gd.layout }));
  }, [panel, testid] as const);
}

describe('checkpoints in the playground (the weights route, every layer)', () => {
  it('a BERT and a NomicBert checkpoint opened by URL show poolscope score\'s SOCM at the last layer and at layer 1', async () => {
    const last = await freshPage(app.browser, `${app.url}${q({ a: A, b: B, models: 'poolscope/ckpt-bert,poolscope/ckpt-nomic' })}`);
    expectNear(await panelNumbers(last, 0), score('poolscope/ckpt-bert'), 'ckpt-bert, last layer');
    expectNear(await panelNumbers(last, 1), score('poolscope/ckpt-nomic'), 'ckpt-nomic, last layer');
    expect(await last.getByTestId('panel-0').getByTestId('layer').getAttribute('data-value')).toBe('3');
    await closePage(last);
    const first = await freshPage(app.browser, `${app.url}${q({ a: A, b: B, models: 'poolscope/ckpt-bert~1,poolscope/ckpt-nomic~1' })}`);
    expectNear(await panelNumbers(first, 0), score('poolscope/ckpt-bert', 1), 'ckpt-bert, layer 1');
    expectNear(await panelNumbers(first, 1), score('poolscope/ckpt-nomic', 1), 'ckpt-nomic, layer 1');
    await closePage(first);
    // A layer the model lacks: the spec (heading, link) is put right and the panel says why.
    const wrong = await freshPage(app.browser, `${app.url}${q({ a: A, b: B, models: 'poolscope/ckpt-bert~99,glove~2' })}`);
    const note = (i: number) => wrong.getByTestId(`panel-${i}`).getByTestId('layer-note');
    await expect.poll(() => note(0).textContent(), { timeout: 90_000 }).toBe('poolscope/ckpt-bert has layers 0…3 (0 = embeddings), so there is no layer 99: showing layer 3.');
    await expect.poll(() => note(1).textContent(), { timeout: 90_000 }).toBe('glove has no inner layers (static word vectors have no layers), so layer 2 is not there: showing its output.');
    await expect.poll(() => new URL(wrong.url()).searchParams.get('models')).toBe('poolscope/ckpt-bert,glove');
    expect(await wrong.getByTestId('panel-0').locator('h2').textContent()).toBe('poolscope/ckpt-bert');
    expectNear(await panelNumbers(wrong, 0), score('poolscope/ckpt-bert'), 'ckpt-bert~99 shown as the last layer');
    // Choosing a layer puts the note away.
    await wrong.getByTestId('panel-0').getByTestId('layer-slider').focus();
    await wrong.keyboard.press('Home');
    await expect.poll(() => note(0).count()).toBe(0);
    await closePage(wrong);
  });

  it('the layer slider, moved by keyboard, changes the PCA plot and SOCM to the CLI\'s value for that layer; the URL keeps it', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ a: A, b: B, models: 'poolscope/ckpt-bert,glove' })}`);
    await panelNumbers(page, 0);
    const strip = await figure(page, 0, 'layer-strip');
    expect(strip.data[0].x).toEqual([0, 1, 2, 3]);
    const before = (await figure(page, 0, 'pca-plot')).data[0].x;
    const slider = page.getByTestId('panel-0').getByTestId('layer-slider');
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('panel-0').getByTestId('layer').getAttribute('data-value')).toBe('1');
    await expect.poll(async () => Math.abs((await panelNumbers(page, 0)).socm - score('poolscope/ckpt-bert', 1).socm), { timeout: 30_000 }).toBeLessThan(1e-4);
    expectNear(await panelNumbers(page, 0), score('poolscope/ckpt-bert', 1), 'after ArrowLeft ×2');
    const after = (await figure(page, 0, 'pca-plot')).data[0].x;
    expect(after).not.toEqual(before);
    await expect.poll(() => new URL(page.url()).searchParams.get('models')).toBe('poolscope/ckpt-bert~1,glove');
    // The JSON export says which layer it shows and carries every layer's numbers.
    const json = JSON.parse((await grabDownload(page, () => page.getByTestId('panel-0').getByRole('button', { name: 'JSON' }).click())).bytes.toString('utf8'));
    expect([json.layer, json.depth, json.layers.map((l: { layer: number }) => l.layer)]).toEqual([1, 3, [0, 1, 2, 3]]);
    expect(json.layers[1].socm).toBeCloseTo(json.stats.socm, 12);
    expect(Math.abs(json.layers[3].socm - score('poolscope/ckpt-bert').socm)).toBeLessThan(1e-4);
    await slider.focus();
    await page.keyboard.press('End');
    await expect.poll(() => new URL(page.url()).searchParams.get('models')).toBe('poolscope/ckpt-bert,glove');
    expect(await page.getByTestId('panel-1').getByTestId('layer-strip').count()).toBe(0);
    await closePage(page);
  });

  it('panels of one depth share their strips\' axes (MPNet and NomicBert, 2 layers each); the attention map has a row per token', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ a: A, b: B, models: 'poolscope/ckpt-mpnet,poolscope/ckpt-nomic' })}`);
    await panelNumbers(page, 0);
    await panelNumbers(page, 1);
    await expect.poll(async () => {
      const [s0, s1] = [await figure(page, 0, 'layer-strip'), await figure(page, 1, 'layer-strip')];
      return ['yaxis', 'yaxis2', 'yaxis3', 'yaxis4'].every((k) => JSON.stringify(s0.layout[k].range) === JSON.stringify(s1.layout[k].range));
    }).toBe(true);
    const attention = page.getByTestId('panel-1').getByTestId('attention');
    await attention.locator('summary').click();
    await expect.poll(() => page.evaluate(() => Boolean((document.querySelector('[data-testid="panel-1"] [data-testid="attention-plot"]') as unknown as { data?: unknown[] }).data))).toBe(true);
    const heat = await page.evaluate(() => {
      const gd = document.querySelector('[data-testid="panel-1"] [data-testid="attention-plot"]') as unknown as { data: { z: number[][]; x: string[] }[] };
      return { z: gd.data[0].z, x: gd.data[0].x };
    });
    expect(heat.x[0]).toBe('0: [CLS]');
    expect(heat.z).toHaveLength(heat.x.length);
    for (const row of heat.z) expect(Math.abs(row.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-4);
    expect(await labelProblems(page, '[data-testid="layer-strip"] .js-plotly-plot')).toEqual([]);
    await closePage(page);
  });
});

/**
 * The hub, played by the test: requests to huggingface.co are answered from a fixture checkpoint
 * (`claimed` bytes in HEAD's X-Linked-Size, so the page thinks it is a big download), or refused.
 */
async function fakeHub(page: Page, options: { online: () => boolean; claimed: number; served: string }): Promise<string[]> {
  const log: string[] = [];
  await page.context().route(/^https:\/\/huggingface\.co\//, async (route: Route) => {
    const url = new URL(route.request().url());
    log.push(`${route.request().method()} ${url.pathname}`);
    if (!options.online()) return route.abort('internetdisconnected');
    if (url.pathname.startsWith('/api/models/')) return route.fulfill({ status: 404, body: '{}' });
    const file = decodeURIComponent(url.pathname.split('/resolve/')[1]?.split('/').slice(1).join('/') ?? '');
    const path = join(fixtureModelsDir, options.served, file);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return route.fulfill({ status: 404, headers: { 'X-Error-Code': 'EntryNotFound' }, body: 'Entry not found' });
    }
    const headers: Record<string, string> = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'X-Linked-Size, Content-Length', 'Cross-Origin-Resource-Policy': 'cross-origin' };
    if (file.endsWith('.safetensors')) headers['X-Linked-Size'] = String(options.claimed);
    if (route.request().method() === 'HEAD') return route.fulfill({ status: 200, headers: { ...headers, 'Content-Length': String(size) }, body: '' });
    return route.fulfill({ status: 200, headers, body: readFileSync(path) });
  });
  return log;
}

describe('hub models: the size first, the cache, and GloVe without network', () => {
  it('asks before a large download, downloads on yes, and works offline on the next visit from the cache', async () => {
    let online = true;
    const url = `${app.url}${q({ a: A, b: B, models: 'someone/big-bert,glove' })}`;
    const page = await freshPage(app.browser, 'about:blank');
    const log = await fakeHub(page, { online: () => online, claimed: 440_000_000, served: 'poolscope/ckpt-bert' });
    await page.goto(url);
    const panel = page.getByTestId('panel-0');
    await expect.poll(() => panel.getByTestId('status').getAttribute('data-phase'), { timeout: 60_000 }).toBe('confirm');
    expect(await panel.getByTestId('download-size').textContent()).toBe('440 MB');
    expect(log.some((l) => l.startsWith('GET') && l.endsWith('model.safetensors'))).toBe(false);
    await panel.getByTestId('download').click();
    const numbers = await panelNumbers(page, 0);
    const want = score('poolscope/ckpt-bert');
    expectNear(numbers, want, 'the hub copy of ckpt-bert');
    // Next visit, no network: the weights come from the browser's cache, no question asked.
    online = false;
    await page.reload();
    expectNear(await panelNumbers(page, 0), want, 'offline, from the cache');
    await closePage(page);
  });

  it('without network a hub model\'s panel says so and offers GloVe, which then works', async () => {
    const page = await freshPage(app.browser, 'about:blank');
    await fakeHub(page, { online: () => false, claimed: 0, served: 'poolscope/ckpt-bert' });
    await page.goto(`${app.url}${q({ a: A, b: B })}`);
    const panel = page.getByTestId('panel-0');
    await expect.poll(() => panel.getByTestId('status').getAttribute('data-phase'), { timeout: 60_000 }).toBe('error');
    expect(await panel.getByTestId('status').textContent()).toMatch(/bert-base-uncased: could not reach the Hugging Face Hub/);
    await panel.getByTestId('use-glove').click();
    const numbers = await panelNumbers(page, 0);
    expect(numbers.socm).toBeGreaterThan(0);
    await expect.poll(() => new URL(page.url()).searchParams.get('models')).toBe('glove,thenlper/gte-base');
    await closePage(page);
  });
});

describe('screenshots of a backbone / fine-tuned pair with layer strips', () => {
  it('light and dark, nothing overlapping in the strips', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await freshPage(app.browser, `${app.url}${q({ a: A, b: B, models: 'poolscope/ckpt-bert,poolscope/ckpt-bert-f16' })}`, { colorScheme: scheme, width: 1440, height: 1500 });
      await panelNumbers(page, 0);
      await panelNumbers(page, 1);
      await page.waitForTimeout(500);
      expect(await labelProblems(page, '[data-testid="layer-strip"] .js-plotly-plot')).toEqual([]);
      await page.screenshot({ path: resolve(artifacts, `layers-${scheme}.png`) });
      await closePage(page);
    }
  });
});
