import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { chromiumArgs } from '../../vitest.config.ts';

/** Serves the built app (dist/, from `vite build`) on a free loopback port. */
export async function servePreview(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: PreviewServer = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'error' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview has no port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

/** Headless Debian Chromium with WebGPU on SwiftShader (see shared/docs/testing-here.md). */
export async function launchChromium(colorScheme: 'light' | 'dark' = 'light', options: { webgpu?: boolean } = {}): Promise<BrowserContext> {
  const args = options.webgpu === false
    ? [...chromiumArgs.filter((a) => a !== '--enable-unsafe-webgpu'), '--disable-webgpu', '--disable-features=WebGPU']
    : chromiumArgs;
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'poolscope-chromium-')), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args,
    colorScheme,
    viewport: { width: 1280, height: 800 },
  });
}

/**
 * Headless Chromium for tests that need contexts of their own: each `newContext()` has empty
 * storage, so a session one test saves (IndexedDB) is not restored in the next.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: chromiumArgs });
}
