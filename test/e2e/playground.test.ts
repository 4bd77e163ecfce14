import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, servePreview } from '../support/app-server';
import { fixtureModelsDir } from '../support/fixtures';
import { decodePng } from './helpers';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = resolve(root, 'test/artifacts');
let server: Awaited<ReturnType<typeof servePreview>>;
let browser: BrowserContext;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  process.env.POOLSCOPE_MODELS_DIR = fixtureModelsDir;
  server = await servePreview();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function score(model: string, a: string, b: string): Record<string, number> {
  const r = spawnSync(process.execPath, [resolve(root, 'bin/poolscope.js'), 'score', '--model', model, a, b], {
    encoding: 'utf8', env: { ...process.env, POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

async function open(query: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(`${server.url}${query}`);
  return page;
}

/** Waits until panel i shows a result for texts (a, b) and returns its numbers. */
async function panelNumbers(page: Page, i: number): Promise<Record<'socm' | 'd1' | 'd2', number>> {
  const panel = page.getByTestId(`panel-${i}`);
  await expect.poll(() => panel.getByTestId('status').getAttribute('data-phase'), { timeout: 90_000 }).toBe('ready');
  const read = async (id: string) => Number(await panel.getByTestId(id).getAttribute('data-value'));
  return { socm: await read('socm'), d1: await read('d1'), d2: await read('d2') };
}

const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

describe('the playground (built app, fixture models served from /models/)', () => {
  it('shows, for typed texts, the SOCM that `poolscope score` gives for the same model and texts', async () => {
    const page = await open(q({ a: 'x', b: 'y', models: 'poolscope/tiny-bert,glove' }));
    const a = 'The paper was known as the first one.';
    const b = 'Mean pooling collapses the covariance of a token cloud!';
    await page.getByTestId('text-a').fill('');
    await page.getByTestId('text-a').pressSequentially(a, { delay: 5 });
    await page.getByTestId('text-b').fill(b);
    for (const [i, model] of [[0, 'poolscope/tiny-bert'], [1, 'glove']] as const) {
      const want = score(model, a, b);
      await expect.poll(async () => Math.abs((await panelNumbers(page, i)).socm - want.socm), { timeout: 60_000 }).toBeLessThan(1e-4);
      const got = await panelNumbers(page, i);
      expect(Math.abs(got.d1 - want.d1)).toBeLessThan(1e-4);
      expect(Math.abs(got.d2 - want.d2)).toBeLessThan(1e-4);
      expect(await page.getByTestId(`panel-${i}`).getByTestId('pca-plot').locator('.scatterlayer .point').count()).toBeGreaterThan(4);
    }
    await page.close();
  });

  it('round-trips the whole state through the URL', async () => {
    const query = q({ a: 'Café naïve 😀', b: 'the first paper', models: 'poolscope/tiny-bert-wide,glove,poolscope/tiny-bert', special: 'exclude', theme: 'dark' });
    const page = await open(query);
    await panelNumbers(page, 0);
    expect(await page.getByTestId('text-a').inputValue()).toBe('Café naïve 😀');
    expect(await page.getByTestId('text-b').inputValue()).toBe('the first paper');
    expect(await page.locator('[data-testid^="panel-"]').count()).toBe(3);
    await expect.poll(() => new URL(page.url()).searchParams.get('special')).toBe('exclude');
    await page.getByTestId('text-b').fill('the second paper');
    await expect.poll(() => new URL(page.url()).searchParams.get('b')).toBe('the second paper');
    const copy = await open(new URL(page.url()).search);
    expect(await copy.getByTestId('text-b').inputValue()).toBe('the second paper');
    const first = await panelNumbers(page, 0);
    const second = await panelNumbers(copy, 0);
    expect(second.socm).toBe(first.socm);
    await page.close();
    await copy.close();
  });

  it('a bad model id shows an error in that panel only', async () => {
    const page = await open(q({ a: 'the first paper', b: 'a new city', models: 'nobody/no-such-model,glove' }));
    const bad = page.getByTestId('panel-0').getByTestId('status');
    await expect.poll(() => bad.getAttribute('data-phase'), { timeout: 60_000 }).toBe('error');
    expect(await bad.textContent()).toMatch(/nobody\/no-such-model/);
    expect((await panelNumbers(page, 1)).socm).toBeGreaterThan(0);
    await page.close();
  });

  it('clearing a text box shows a clear empty-text message, and typing again brings the numbers back', async () => {
    const page = await open(q({ a: 'the first paper', b: 'a new city', models: 'poolscope/tiny-bert' }));
    await panelNumbers(page, 0);
    await page.getByTestId('text-b').fill('');
    const status = page.getByTestId('panel-0').getByTestId('status');
    await expect.poll(() => status.getAttribute('data-phase')).toBe('empty');
    expect(await status.textContent()).toMatch(/Text B is empty/);
    expect(await page.getByTestId('panel-0').getByTestId('socm').count()).toBe(0);
    await page.getByTestId('text-b').fill('a new school');
    expect((await panelNumbers(page, 0)).socm).toBeGreaterThanOrEqual(0);
    await page.close();
  });

  it('survives a 10,000-word paste, emoji and non-Latin scripts, and says what was cut', async () => {
    const long = Array.from({ length: 10_000 }, (_, i) => ['city', 'school', 'music', 'world'][i % 4]).join(' ');
    const page = await open(q({ a: 'x', b: 'Привет 世界 😀 مرحبا and the city', models: 'poolscope/tiny-bert,glove' }));
    await page.getByTestId('text-a').fill(long);
    await expect.poll(() => page.getByTestId('link-note').count()).toBe(1);
    await expect.poll(() => new URL(page.url()).searchParams.has('a')).toBe(false);
    await expect.poll(() => new URL(page.url()).searchParams.get('models')).toBe('poolscope/tiny-bert,glove');
    for (const i of [0, 1]) {
      await expect.poll(() => page.getByTestId(`panel-${i}`).locator('.flag').count(), { timeout: 90_000 }).toBeGreaterThan(0);
      await panelNumbers(page, i);
      expect(await page.getByTestId(`panel-${i}`).locator('.flag').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/Text A was truncated/)]));
    }
    await page.close();
  });

  it('works from the keyboard: presets, options and the model picker', async () => {
    const page = await open(q({ a: 'the first paper', b: 'a new city', models: 'glove' }));
    await panelNumbers(page, 0);
    await page.getByRole('button', { name: 'Paraphrase' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('text-a').inputValue()).toMatch(/committee approved/);
    const picker = page.getByTestId('panel-0').getByTestId('model-picker').getByLabel('Model', { exact: true });
    await picker.focus();
    await picker.selectOption('poolscope/tiny-bert');
    await expect.poll(() => new URL(page.url()).searchParams.get('models')).toBe('poolscope/tiny-bert');
    await panelNumbers(page, 0);
    await page.close();
  });

  it('exports the numbers and token coordinates (CSV, JSON) and the plot (PNG, SVG)', async () => {
    const page = await open(q({ a: 'the first paper', b: 'a new city', models: 'poolscope/tiny-bert' }));
    const shown = await panelNumbers(page, 0);
    const panel = page.getByTestId('panel-0');
    const grab = async (name: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name, exact: true }).click()]);
      const stream = await download.createReadStream();
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
    };
    const csv = await grab('CSV');
    expect(csv.name).toBe('poolscope-poolscope-tiny-bert.csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('model,text,position,token,special,pc1,pc2');
    expect(lines[1]).toMatch(/^poolscope\/tiny-bert,A,0,\[CLS\],1,-?\d/);
    expect(lines).toHaveLength(1 + 5 + 5);
    const json = JSON.parse((await grab('JSON')).text);
    expect(json.stats.socm).toBe(shown.socm);
    expect(json.tokens.a).toEqual(['[CLS]', 'the', 'first', 'paper', '[SEP]']);
    expect(json.pca.pointsA).toHaveLength(10);
    // The plot exports are opaque and say what they show: model, numbers and both texts.
    const svg = (await grab('SVG')).text;
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('Poolscope · poolscope/tiny-bert · layer 2 of 2 · SOCM (Second-Order Collapse by Mean pooling)');
    expect(svg).toContain('A: “the first paper”');
    expect(svg).toContain('B: “a new city”');
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'PNG', exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    const chunks: Buffer[] = [];
    for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
    const png = decodePng(Buffer.concat(chunks));
    expect(png.width).toBe(1200);
    expect(png.height).toBeGreaterThan(800);
    if (png.channels === 4) {
      let transparent = 0;
      for (let k = 3; k < png.pixels.length; k += 4) if (png.pixels[k] !== 255) transparent++;
      expect(transparent).toBe(0);
    }
    // The corner pixel is the light theme's page background.
    expect(Array.from(png.pixels.subarray(0, 3))).toEqual([255, 255, 255]);
    await page.close();
  });
});
