import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, servePreview } from '../support/app-server';
import { fixtureModelsDir } from '../support/fixtures';

const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
let server: Awaited<ReturnType<typeof servePreview>>;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  process.env.POOLSCOPE_MODELS_DIR = fixtureModelsDir;
  server = await servePreview();
});
afterAll(async () => server?.close());

describe('vite preview serves POOLSCOPE_MODELS_DIR under /models/', () => {
  it('with the right types, and a real 404 (not the app page) for what is missing', async () => {
    const config = await fetch(`${server.url}models/poolscope/tiny-bert/config.json`);
    expect(config.status).toBe(200);
    expect(config.headers.get('content-type')).toBe('application/json');
    expect((await config.json()).model_type).toBe('bert');
    const onnx = await fetch(`${server.url}models/poolscope/tiny-bert/onnx/model.onnx`, { method: 'HEAD' });
    expect(onnx.status).toBe(200);
    const missing = await fetch(`${server.url}models/nobody/nothing/config.json`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/not in the models directory/);
    const escape = await fetch(`${server.url}models/%2e%2e%2fpackage.json`);
    expect(escape.status).toBe(404);
    expect(await escape.text()).toMatch(/outside the models directory/);
    expect((await fetch(`${server.url}glove/glove-100d.bin`, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('the built app in headless Chromium', () => {
  it('says which engine computes the statistics (WebGPU here) and logs no page errors', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}?models=glove`);
      const status = page.getByTestId('engine-status');
      await expect.poll(() => status.getAttribute('data-backend'), { timeout: 60_000 }).toBe('webgpu');
      expect(await status.textContent()).toMatch(/Statistics: WebGPU: /);
      await expect.poll(() => page.getByTestId('panel-0').getByTestId('status').getAttribute('data-phase'), { timeout: 60_000 }).toBe('ready');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('without WebGPU, computes on the CPU and encodes on WASM, and says why', async () => {
    const browser = await launchChromium('light', { webgpu: false });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}?models=poolscope/tiny-bert&a=the+first+paper&b=a+new+city`);
      const status = page.getByTestId('engine-status');
      await expect.poll(() => status.getAttribute('data-backend'), { timeout: 60_000 }).toBe('cpu');
      expect(await status.textContent()).toMatch(/CPU \(float64 TypeScript reference\), because WebGPU (is not available here|found no GPU adapter)/);
      const panel = page.getByTestId('panel-0').getByTestId('status');
      await expect.poll(() => panel.getAttribute('data-phase'), { timeout: 60_000 }).toBe('ready');
      expect(await panel.textContent()).toMatch(/encoder on WASM.*\(not WebGPU: (this browser has no WebGPU|WebGPU found no GPU adapter|WebGPU failed)/);
      expect(Number(await page.getByTestId('panel-0').getByTestId('socm').getAttribute('data-value'))).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });
});
