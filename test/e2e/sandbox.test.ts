/**
 * The sandbox, classroom mode and the pooling strategies, driven in the built app: keyboard and
 * mouse drags, the JSON export checked against the float64 reference, guided steps, the
 * family sliders, the story, exports, screenshots (test/artifacts/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socmOfTexts, type TokenMatrix } from '../../src/math';
import { launchChromium, servePreview } from '../support/app-server';
import { fixtureModelsDir } from '../support/fixtures';
import { refSocm } from '../support/reference';

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

async function open(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(`${server.url}${query}`);
  return page;
}

type Numbers = Record<'socm' | 'd1' | 'd2', number>;

/** The sandbox's numbers once the latest parameters are measured. */
async function shown(page: Page): Promise<Numbers> {
  await expect.poll(() => page.getByTestId('sandbox-status').getAttribute('data-phase'), { timeout: 60_000 }).toBe('ready');
  const read = async (id: string) => Number(await page.getByTestId('sandbox').getByTestId(id).getAttribute('data-value'));
  return { socm: await read('socm'), d1: await read('d1'), d2: await read('d2') };
}

async function grab(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const chunks: Buffer[] = [];
  for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
  return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

const matrix = (rows: number[][]): TokenMatrix => {
  const data = new Float64Array(rows.length * rows[0].length);
  rows.forEach((r, i) => data.set(r, i * r.length));
  return { n: rows.length, d: rows[0].length, data };
};
const sandboxQuery = '?view=sandbox&d=12&seed=3&ca=12,20,0.6,0.1,30,0.2&cb=10,70,0.3,0.2,100,0.1';

describe('the sandbox (built app)', () => {
  for (const route of ['webgpu', 'cpu'] as const) {
    it(`keyboard drags; the displayed d1, d2, SOCM equal the float64 reference on the exported clouds (${route} route)`, async () => {
      const context = route === 'cpu' ? await launchChromium('light', { webgpu: false }) : browser;
      try {
        const page = await open(context, sandboxQuery);
        const before = await shown(page);
        expect(await page.getByTestId('sandbox').getAttribute('data-backend')).toBe(route);
        await page.getByTestId('handle-mean-b').focus();
        for (let k = 0; k < 5; k++) await page.keyboard.press('ArrowLeft');
        await page.getByTestId('handle-axis1-a').focus();
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('Shift+ArrowRight');
        await page.keyboard.press('Shift+ArrowRight');
        await expect.poll(() => new URL(page.url()).searchParams.get('cb')).toBe('10,65,0.3,0.2,100,0.1');
        await expect.poll(() => new URL(page.url()).searchParams.get('ca')).toBe('12,20,0.7,0.1,50,0.2');
        const after = await shown(page);
        expect(after.d1).toBeLessThan(before.d1);
        const exported = JSON.parse((await grab(page, 'export-json')).bytes.toString('utf8'));
        expect(exported.params.b.angle).toBe(65);
        expect([exported.d1, exported.d2, exported.socm]).toEqual([after.d1, after.d2, after.socm]);
        expect(exported.a).toHaveLength(12);
        expect(exported.b[0]).toHaveLength(12);
        const reference = socmOfTexts(matrix(exported.a), matrix(exported.b));
        const independent = refSocm(exported.a, exported.b);
        const tol = route === 'cpu' ? 1e-9 : 1e-4;
        for (const k of ['d1', 'd2', 'socm'] as const) {
          expect(Math.abs(after[k] - reference[k]), `${k} vs the float64 reference`).toBeLessThanOrEqual(tol);
          expect(Math.abs(after[k] - independent[k]), `${k} vs the d × d reference`).toBeLessThanOrEqual(Math.max(tol, 1e-7));
        }
        await page.close();
      } finally {
        if (context !== browser) await context.close();
      }
    });
  }

  it('mouse drags move a mean along the unit circle and an axis handle changes its variance', async () => {
    const page = await open(browser, sandboxQuery);
    await shown(page);
    await page.getByTestId('sandbox-plot').scrollIntoViewIfNeeded();
    // The knob itself (an axis handle's box also spans its stem back to the mean).
    const centre = async (id: string) => {
      const box = await page.getByTestId(id).locator(id.includes('axis') ? 'rect' : 'circle').first().boundingBox();
      if (!box) throw new Error(`${id} is not drawn`);
      return [box.x + box.width / 2, box.y + box.height / 2] as const;
    };
    const drag = async (from: readonly [number, number], to: readonly [number, number]) => {
      await page.mouse.move(...from);
      await page.mouse.down();
      await page.mouse.move(...to, { steps: 8 });
      await page.mouse.up();
    };
    const meanA = await centre('handle-mean-a');
    await drag(meanA, [meanA[0], meanA[1] - 80]);
    await expect.poll(async () => Number(new URL(page.url()).searchParams.get('ca')!.split(',')[1])).toBeGreaterThan(25);
    // Pull B's second axis handle 60 px further out along its axis: its variance grows.
    const meanB = await centre('handle-mean-b');
    const axis = await centre('handle-axis2-b');
    const len = Math.hypot(axis[0] - meanB[0], axis[1] - meanB[1]);
    await drag(axis, [axis[0] + (60 * (axis[0] - meanB[0])) / len, axis[1] + (60 * (axis[1] - meanB[1])) / len]);
    await expect.poll(async () => Number(new URL(page.url()).searchParams.get('cb')!.split(',')[3])).toBeGreaterThan(0.3);
    await shown(page);
    await page.close();
  });

  it('guided step (a): the check passes only when the student makes SOCM 1', async () => {
    const page = await open(browser, sandboxQuery);
    await page.getByTestId('step-a').click();
    await shown(page);
    const current = page.getByTestId('step-current');
    expect(await current.getAttribute('data-done')).toBe('no');
    const set = async (id: string, v: number) => page.getByTestId(id).fill(String(v));
    await set('sandbox-b-angle', 30);
    await set('sandbox-a-var1', 2);
    await set('sandbox-a-var2', 0);
    await set('sandbox-a-axis', 0);
    await set('sandbox-b-var1', 2);
    await set('sandbox-b-var2', 0);
    await shown(page);
    expect(await current.getAttribute('data-done')).toBe('no');
    await set('sandbox-b-axis', 90);
    await expect.poll(() => current.getAttribute('data-done'), { timeout: 30_000 }).toBe('yes');
    const n = await shown(page);
    expect(Math.abs(n.socm - 1)).toBeLessThan(1e-4);
    expect(await page.getByTestId('step-check').textContent()).toMatch(/property \(a\)/);
    await page.close();
  });

  it('p, q sliders show (1 − d1^p)·d2^q; the identical-means preset gives one mean-pooled vector and a high SOCM; PNG and SVG export', async () => {
    const page = await open(browser, sandboxQuery);
    await shown(page);
    await page.getByTestId('family-p').focus();
    for (let k = 0; k < 20; k++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => new URL(page.url()).searchParams.get('p')).toBe('2');
    const n = await shown(page);
    const family = Number(await page.getByTestId('family').getAttribute('data-value'));
    expect(family).toBeCloseTo((1 - n.d1 ** 2) * n.d2, 12);
    await page.getByTestId('preset-identical-means').click();
    await expect.poll(async () => (await shown(page)).d1).toBeLessThan(1e-6);
    expect((await shown(page)).socm).toBeGreaterThan(0.5);
    const svg = await grab(page, 'export-svg');
    expect(svg.name).toMatch(/\.svg$/);
    expect(svg.bytes.toString('utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*SOCM/);
    const png = await grab(page, 'export-png');
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    writeFileSync(resolve(artifacts, 'sandbox-export.png'), png.bytes);
    await page.close();
  });

  it('classroom mode: projector theme, controls behind C, the story clicked through with the keys', async () => {
    const page = await open(browser, '?view=sandbox');
    await shown(page);
    await page.getByTestId('classroom').click();
    const html = page.locator('html');
    await expect.poll(() => html.getAttribute('data-theme')).toBe('projector');
    expect(await html.getAttribute('data-controls')).toBe('hidden');
    expect(await page.locator('.sandbox-controls').isVisible()).toBe(false);
    expect(await page.getByTestId('story-position').textContent()).toBe('1 / 6');
    expect((await shown(page)).socm).toBeGreaterThan(0.5);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('story-position').textContent()).toBe('3 / 6');
    await expect.poll(async () => (await shown(page)).socm).toBeLessThan(0.05);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await shown(page)).socm).toBeGreaterThan(0.3);
    await page.keyboard.press('c');
    expect(await page.locator('.sandbox-controls').isVisible()).toBe(true);
    await expect.poll(() => new URL(page.url()).searchParams.get('classroom')).toBe('1');
    // Without a keyboard (a touch whiteboard): the hint is a button.
    await page.getByTestId('classroom-controls').click();
    await expect.poll(() => page.locator('.sandbox-controls').isVisible()).toBe(false);
    await page.getByTestId('classroom-controls').click();
    await expect.poll(() => page.locator('.sandbox-controls').isVisible()).toBe(true);
    await page.close();
  });

  it('classroom mode is a step in the history: Back returns to the teacher\'s own clouds', async () => {
    const page = await open(browser, '?view=sandbox&d=12&seed=3&ca=12,20,0.6,0.1,30,0.2&cb=12,200,0.4,0.3,60,0.1');
    await shown(page);
    await page.getByTestId('classroom').click();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('projector');
    await expect.poll(() => new URL(page.url()).searchParams.get('ca'), { timeout: 10_000 }).not.toBe('12,20,0.6,0.1,30,0.2');
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('ca'), { timeout: 10_000 }).toBe('12,20,0.6,0.1,30,0.2');
    expect(new URL(page.url()).searchParams.get('classroom')).toBeNull();
    expect(await page.getByTestId('sandbox-a-n').inputValue()).toBe('12');
    await page.close();
  });

  it('a long keyboard drag under a browser that refuses more than 100 history calls in 10 s (Safari): the page lives and the link ends right', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      const calls: number[] = [];
      for (const name of ['replaceState', 'pushState'] as const) {
        const real = history[name].bind(history);
        history[name] = (...args: Parameters<History['replaceState']>) => {
          const now = performance.now();
          while (calls.length && now - calls[0] > 10_000) calls.shift();
          calls.push(now);
          if (calls.length > 100) throw new DOMException('Attempt to use history.replaceState() more than 100 times per 10 seconds', 'SecurityError');
          real(...args);
        };
      }
    });
    await page.goto(`${server.url}${sandboxQuery}`);
    await shown(page);
    await page.getByTestId('handle-mean-b').focus();
    for (let k = 0; k < 150; k++) await page.keyboard.press('ArrowRight');
    // 70° + 150° = 220°: the link catches up with the last step.
    await expect.poll(() => new URL(page.url()).searchParams.get('cb'), { timeout: 10_000 }).toBe('10,220,0.3,0.2,100,0.1');
    expect(errors).toEqual([]);
    expect(await page.getByTestId('sandbox').isVisible()).toBe(true);
    await page.close();
  });

  it('a story scene whose clouds were moved (or set otherwise by a link) says its caption may not fit, and sets itself again', async () => {
    const page = await open(browser, '?view=sandbox&story=1&ca=24,40,0.3,0.05,0,0&cb=24,200,0.3,0.05,0,0');
    await shown(page);
    const moved = page.getByTestId('story-moved');
    await expect.poll(() => moved.count()).toBe(1);
    await moved.getByRole('button', { name: 'Set the scene again' }).click();
    await expect.poll(() => moved.count()).toBe(0);
    await page.getByTestId('handle-mean-b').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => moved.count()).toBe(1);
    await page.close();
  });

  it('number fields take what is typed: 100 tokens stay 100, a direction of −30° becomes 330° only when the field is left', async () => {
    const page = await open(browser, sandboxQuery);
    await shown(page);
    const tokens = page.getByTestId('sandbox-a-n');
    await tokens.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('100');
    expect(await tokens.inputValue()).toBe('100');
    await page.keyboard.press('Tab');
    await expect.poll(() => new URL(page.url()).searchParams.get('ca')?.split(',')[0], { timeout: 10_000 }).toBe('100');
    const angle = page.getByTestId('sandbox-a-angle');
    await angle.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('-30');
    expect(await angle.inputValue()).toBe('-30');
    await page.keyboard.press('Tab');
    await expect.poll(() => angle.inputValue(), { timeout: 10_000 }).toBe('330');
    await page.close();
  });

  const shot = async (scheme: 'light' | 'dark', query: string, file: string) => {
    const context = await launchChromium(scheme);
    try {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1400, height: 1000 });
      await page.goto(`${server.url}${query}`);
      await shown(page);
      await page.waitForTimeout(800);
      await page.screenshot({ path: resolve(artifacts, file), fullPage: true });
    } finally {
      await context.close();
    }
  };
  it('screenshots: light, dark, projector (classroom)', async () => {
    await shot('light', `${sandboxQuery}&step=c`, 'sandbox-light.png');
    await shot('dark', '?view=sandbox&story=0&ca=24,45,1.9,0.02,135,0&cb=24,45,1.9,0.02,45,0', 'sandbox-dark.png');
    await shot('light', '?view=sandbox&classroom=1&story=1&ca=24,40,1.8,0.05,0,0&cb=24,50,1.8,0.05,90,0', 'sandbox-projector.png');
  });
});

describe('pooling strategies in a playground panel', () => {
  it('draws every pooling with a toggle, shows cos(A, B) per strategy and the L2 step; screenshot', async () => {
    const context = await launchChromium('light');
    try {
      const page = await context.newPage();
      await page.setViewportSize({ width: 900, height: 1000 });
      await page.goto(`${server.url}?${new URLSearchParams({ a: 'The paper was known as the first one.', b: 'Mean pooling collapses the covariance of a token cloud!', models: 'poolscope/tiny-bert' })}`);
      const panel = page.getByTestId('panel-0');
      await expect.poll(() => panel.getByTestId('status').getAttribute('data-phase'), { timeout: 90_000 }).toBe('ready');
      const rows = panel.locator('[data-pooling]');
      expect(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-pooling')))).toEqual(['mean', 'cls', 'max', 'last', 'weighted']);
      const traces = () => panel.getByTestId('pca-plot').locator('.scatterlayer .trace').count();
      await expect.poll(traces).toBe(7);
      // The cosines shown are those of the exported pooled vectors.
      const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'JSON', exact: true }).click()]);
      const chunks: Buffer[] = [];
      for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
      const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const p of json.pooled as { pooling: string; vectorA: number[]; vectorB: number[] }[]) {
        const dot = (x: number[], y: number[]) => x.reduce((s, v, j) => s + v * y[j], 0);
        const cos = dot(p.vectorA, p.vectorB) / Math.sqrt(dot(p.vectorA, p.vectorA) * dot(p.vectorB, p.vectorB));
        expect(Number(await panel.getByTestId(`cosine-${p.pooling}`).getAttribute('data-value'))).toBeCloseTo(cos, 12);
      }
      await panel.getByTestId('show-max').uncheck();
      await expect.poll(traces).toBe(6);
      await panel.getByTestId('show-max').check();
      await panel.getByTestId('pooling-normalised').check();
      await expect.poll(() => panel.getByTestId('pca-plot').locator('.legendtext').allTextContents()).toContain('max pooling ÷ ‖v‖');
      await page.waitForTimeout(500);
      await panel.screenshot({ path: resolve(artifacts, 'pooling-panel.png') });
    } finally {
      await context.close();
    }
  });
});
