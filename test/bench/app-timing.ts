/** The app as the benchmarks drive it: dev server or production build, and keystrokes timed to the re-plot. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer, preview } from 'vite';
import { launchChromium } from '../support/app-server';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = resolve(repoRoot, 'test/fixtures/models');

/** Runs fn with POOLSCOPE_MODELS_DIR set to modelsDir, restoring it after. */
async function withModels<T>(modelsDir: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.POOLSCOPE_MODELS_DIR;
  process.env.POOLSCOPE_MODELS_DIR = modelsDir;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.POOLSCOPE_MODELS_DIR;
    else process.env.POOLSCOPE_MODELS_DIR = saved;
  }
}

/** The app's Vite dev server on a free port, serving `modelsDir` (default: the fixtures) under /models/. */
export function withDevServer<T>(fn: (url: string) => Promise<T>, modelsDir = fixtures): Promise<T> {
  return withModels(modelsDir, async () => {
    const server = await createServer({ root: repoRoot, configFile: resolve(repoRoot, 'vite.config.ts'), server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
    await server.listen();
    const address = server.httpServer!.address();
    try {
      return await fn(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
    } finally {
      await server.close();
    }
  });
}

/**
 * The production build (what users get: React's production mode, minified bundles), built into a
 * temporary folder and served by `vite preview` with `modelsDir` (default: the fixtures).
 */
export function withBuiltApp<T>(fn: (url: string) => Promise<T>, modelsDir = fixtures): Promise<T> {
  return withModels(modelsDir, async () => {
    const outDir = mkdtempSync(resolve(tmpdir(), 'poolscope-bench-'));
    try {
      await build({ root: repoRoot, configFile: resolve(repoRoot, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
      const server = await preview({ root: repoRoot, configFile: resolve(repoRoot, 'vite.config.ts'), logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
      const address = server.httpServer.address();
      try {
        return await fn(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
}

interface Timing { panel: number; waitMs?: number; encodeMs: number; encodedTexts?: number; statsMs: number; layersMs?: number; renderMs: number; at: number }
export interface LatencySample { total: number; wait: number; encode: number; stats: number; layers: number; render: number; encoded: number }
export type Schedule = { debounceMs?: number; cacheEncodings?: boolean; statsInWorker?: boolean };

/**
 * Keystrokes in text A with one schedule, each waited for until every panel has re-plotted.
 * `schedule` (set before the page's scripts run) selects an earlier behaviour (see src/app/live.ts).
 */
export async function typeAndTime(url: string, schedule: Schedule | undefined, rounds = Number(process.env.BENCH_KEYSTROKES ?? 12)): Promise<{ samples: LatencySample[]; engine: string }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    if (schedule) await page.addInitScript((s) => ((window as unknown as { __poolscopeSchedule?: unknown }).__poolscopeSchedule = s), schedule);
    await page.goto(url);
    const panels = new URL(url).searchParams.get('models')?.split(',').length ?? 2;
    const count = () => page.evaluate(() => ((window as unknown as { __poolscopeTimings?: unknown[] }).__poolscopeTimings ?? []).length);
    await page.waitForFunction((n) => ((window as unknown as { __poolscopeTimings?: unknown[] }).__poolscopeTimings ?? []).length >= n, panels, { timeout: 600_000 });
    await page.waitForTimeout(300);
    const samples: LatencySample[] = [];
    for (let k = 0; k < rounds; k++) {
      const before = await count();
      const t0 = await page.evaluate(() => performance.now());
      // A new letter each time: every keystroke gives a text never encoded before.
      await page.getByTestId('text-a').press('qwertyuiopasdfghjklz'[k % 20]);
      await page.waitForFunction(([n, p]) => ((window as unknown as { __poolscopeTimings?: unknown[] }).__poolscopeTimings ?? []).length >= n + p, [before, panels] as const, { timeout: 600_000 });
      await page.waitForTimeout(100);
      const fresh = (await page.evaluate(() => ((window as unknown as { __poolscopeTimings?: Timing[] }).__poolscopeTimings ?? []).slice())).slice(before);
      for (const t of fresh) {
        samples.push({ total: t.at - t0, wait: t.waitMs ?? 0, encode: t.encodeMs, stats: t.statsMs, layers: t.layersMs ?? 0, render: t.renderMs, encoded: t.encodedTexts ?? 2 });
      }
    }
    return { samples, engine: (await page.getByTestId('engine-status').textContent())?.trim() ?? '' };
  } finally {
    await browser.close();
  }
}
