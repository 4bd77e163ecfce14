import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, servePreview } from '../support/app-server';

const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');
let server: Awaited<ReturnType<typeof servePreview>>;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await servePreview();
});
afterAll(async () => server?.close());

describe('the built app in headless Chromium', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`loads, runs the engine check on WebGPU, and matches the float64 reference (${scheme})`, async () => {
      const browser = await launchChromium(scheme);
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(server.url);
        const status = page.getByTestId('engine-status');
        await expect.poll(() => status.getAttribute('data-backend'), { timeout: 60_000 }).toBe('webgpu');
        expect(await status.textContent()).toMatch(/WebGPU: .*swiftshader|WebGPU: /i);
        await page.getByRole('button', { name: 'Compute SOCM' }).press('Enter');
        const table = page.getByTestId('self-check');
        await table.waitFor({ timeout: 60_000 });
        const values = await table.locator('td').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
        const [gpu, reference] = [values.slice(0, 3), values.slice(3, 6)];
        gpu.forEach((v, k) => expect(Math.abs(v - reference[k])).toBeLessThan(1e-4));
        expect(reference[2]).toBeGreaterThan(0.01);
        await page.screenshot({ path: resolve(artifacts, `app-${scheme}.png`), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  }
});
