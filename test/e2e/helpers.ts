/** Shared by the e2e tests: pages on isolated contexts, panel numbers, downloads, PNG pixels, layout checks. */
import { inflateSync } from 'node:zlib';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser, servePreview } from '../support/app-server';
import { fixtureModelsDir } from '../support/fixtures';

/** Where the e2e tests write their screenshots and exports. */
export const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');

/**
 * The built app served by `vite preview` with the fixture models (and `corpusFile` as the local
 * wiki1m copy), and one headless Chromium, for the tests of one file: read `app.url` and
 * `app.browser` inside tests.
 */
export function builtApp(options: { corpusFile?: string } = {}): { readonly url: string; readonly browser: Browser } {
  let server: Awaited<ReturnType<typeof servePreview>> | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    process.env.POOLSCOPE_MODELS_DIR = fixtureModelsDir;
    if (options.corpusFile) process.env.POOLSCOPE_CORPUS_FILE = options.corpusFile;
    server = await servePreview();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get url() { return server!.url; },
    get browser() { return browser!; },
  };
}

export const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

/** A page in a context of its own (empty IndexedDB), failing the test on any page error. */
export async function freshPage(browser: Browser, url: string, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark'; permissions?: string[] } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1400, height: options.height ?? 1000 }, colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  if (options.permissions) await context.grantPermissions(options.permissions, { origin: new URL(url).origin });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(url);
  return page;
}

export async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

/** Waits until panel i is ready and returns its numbers. */
export async function panelNumbers(page: Page, i: number): Promise<Record<'socm' | 'd1' | 'd2', number>> {
  const panel = page.getByTestId(`panel-${i}`);
  await expect.poll(() => panel.getByTestId('status').getAttribute('data-phase'), { timeout: 90_000 }).toBe('ready');
  const read = async (id: string) => Number(await panel.getByTestId(id).getAttribute('data-value'));
  return { socm: await read('socm'), d1: await read('d1'), d2: await read('d2') };
}

/** Clicks `click` and returns the file the page downloads: its name and bytes. */
export async function grabDownload(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const chunks: Buffer[] = [];
  for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
  return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

/** Waits for the corpus run to reach `phase`; an error on the way fails at once, with its message. */
export async function waitForCorpus(page: Page, phase = 'done', timeout = 120_000): Promise<void> {
  const status = page.getByTestId('corpus-status');
  await expect.poll(async () => {
    const now = await status.getAttribute('data-phase');
    return now === 'error' && phase !== 'error' ? `error: ${await status.textContent()}` : now;
  }, { timeout, interval: 200 }).toBe(phase);
}

/** An 8-bit PNG (greyscale, RGB or RGBA), decoded: width, height, channels and pixel bytes. */
export function decodePng(png: Buffer): { width: number; height: number; channels: number; pixels: Uint8Array } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let offset = 8;
  let width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[data[9]];
      expect(data[12]).toBe(0);
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      pixels[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** The page is no wider than its viewport (nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * Pairs of text labels inside the plots under `selector` whose boxes overlap (Plotly's point
 * labels, annotations and legend entries), and labels that stick out of their plot.
 */
export async function labelProblems(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const problems: string[] = [];
    for (const plot of document.querySelectorAll<HTMLElement>(sel)) {
      if (!plot.offsetParent) continue;
      const bounds = plot.getBoundingClientRect();
      const labels = [...plot.querySelectorAll<SVGTextElement>('.textpoint text, .legendtext, .annotation-text, .g-xtitle text, .g-ytitle text, .gtitle, .xtick text, .ytick text, .cbtitle text')]
        .map((t) => ({ text: t.textContent ?? '', box: t.getBoundingClientRect() }))
        .filter((l) => l.text.trim() && l.box.width > 0);
      for (const l of labels) {
        if (l.box.left < bounds.left - 1 || l.box.right > bounds.right + 1 || l.box.top < bounds.top - 1 || l.box.bottom > bounds.bottom + 1) {
          problems.push(`"${l.text}" sticks out of ${plot.dataset.testid}`);
        }
      }
      // The legend never covers the plot area.
      const legend = plot.querySelector('.legend')?.getBoundingClientRect();
      const area = plot.querySelector('.nsewdrag')?.getBoundingClientRect();
      if (legend && area && Math.min(legend.bottom, area.bottom) - Math.max(legend.top, area.top) > 1 && Math.min(legend.right, area.right) - Math.max(legend.left, area.left) > 1) {
        problems.push(`the legend covers the plot area of ${plot.dataset.testid}`);
      }
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          const [p, r] = [labels[i].box, labels[j].box];
          const overlap = Math.min(p.right, r.right) - Math.max(p.left, r.left) > 1 && Math.min(p.bottom, r.bottom) - Math.max(p.top, r.top) > 1;
          if (overlap) problems.push(`"${labels[i].text}" overlaps "${labels[j].text}" in ${plot.dataset.testid}`);
        }
      }
    }
    return problems;
  }, selector);
}

/** Every visible Plotly plot has been laid out to its container's width (after a resize). */
export async function plotsFitted(page: Page): Promise<boolean> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.js-plotly-plot')]
    .filter((p) => p.offsetParent)
    .every((p) => {
      const svg = p.querySelector('.main-svg');
      return svg && Math.abs(svg.getBoundingClientRect().width - p.getBoundingClientRect().width) <= 2;
    }));
}

/**
 * Puts texts in the corpus box through the file input: Chromium types a multi-line `fill` into a
 * textarea line by line (seconds for a few thousand lines), a file lands at once.
 */
export async function loadCorpusFile(page: Page, lines: string[], name = 'texts.txt'): Promise<void> {
  await corpusFileInput(page).setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n')) });
  await expect.poll(() => page.locator('.corpus-source').getByRole('status').last().textContent()).toMatch(new RegExp(`from ${name.replace('.', '\\.')}$`));
}

/** The corpus view's file input, found by its label as a user would. */
export function corpusFileInput(page: Page) {
  return page.getByLabel('File (.txt, .csv, .jsonl)');
}

/** Elements that stick out of their card sideways (tables scroll inside their box and are skipped). */
export async function outOfCards(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const card of document.querySelectorAll<HTMLElement>('.card')) {
      if (!card.offsetParent) continue;
      const c = card.getBoundingClientRect();
      for (const e of card.querySelectorAll<HTMLElement>('*')) {
        if (e.closest('.table-scroll, .js-plotly-plot') || e.classList.contains('visually-hidden')) continue;
        const r = e.getBoundingClientRect();
        if (r.width && (r.right > c.right + 1 || r.left < c.left - 1)) out.push(`${e.tagName.toLowerCase()}${e.className ? `.${e.className}` : ''} "${(e.textContent ?? '').slice(0, 30)}"`);
      }
    }
    return out;
  });
}
