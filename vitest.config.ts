import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/** ../shared beside the checkout: tests read it by path and never copy it. */
const sharedDir = process.env.POOLSCOPE_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../shared');

/** Chromium flags that give WebGPU on SwiftShader here and keep it off the network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/node/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          browser: {
            enabled: true,
            commands: {
              /** A file under ../shared as text, or null when it is absent (the test then skips and says so). */
              readShared: (_ctx, path: string) => {
                const full = resolve(sharedDir, path);
                if (!full.startsWith(sharedDir) || !existsSync(full)) return null;
                return readFileSync(full, 'utf8');
              },
            },
            headless: true,
            provider: playwright({
              launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
