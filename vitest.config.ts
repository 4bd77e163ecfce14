import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { serveModelsDir } from './src/build/serve-models.ts';

/** ../shared beside the checkout: tests read it by path and never copy it. */
const root = dirname(fileURLToPath(import.meta.url));
const sharedDir = process.env.POOLSCOPE_SHARED ?? resolve(root, '../shared');

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
    // Every project runs the compiled CLI (bin/poolscope.js → dist/cli): build it once, first.
    globalSetup: ['test/support/build-cli.ts'],
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
        plugins: [serveModelsDir(resolve(root, 'test/fixtures/models'))],
        server: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
        optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
        worker: { format: 'es' },
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          browser: {
            enabled: true,
            commands: {
              /** A file under ../shared as text, or null when it is absent (the test then skips and says so). */
              /** `poolscope score` run in Node (the CLI, CPU backend) on the fixture models. */
              poolscopeScore: (_ctx, model: string, a: string, b: string) => {
                const r = spawnSync(process.execPath, [resolve(root, 'bin/poolscope.js'), 'score', '--model', model, a, b], {
                  encoding: 'utf8', env: { ...process.env, POOLSCOPE_MODELS_DIR: resolve(root, 'test/fixtures/models'), POOLSCOPE_OFFLINE: '1' },
                });
                if (r.status !== 0) throw new Error(r.stderr);
                return JSON.parse(r.stdout);
              },
              fixtureReference: () => readFileSync(resolve(root, 'test/fixtures/models/reference-hidden-states.json'), 'utf8'),
              checkpointReference: () => readFileSync(resolve(root, 'test/fixtures/models/reference-checkpoints.json'), 'utf8'),
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
