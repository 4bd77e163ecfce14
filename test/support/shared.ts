import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the checkout (or POOLSCOPE_SHARED). Tests read it by path, never copy it. */
export const sharedDir = process.env.POOLSCOPE_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
export const goldenPath = resolve(sharedDir, 'reference/socm-golden.json');
export const hasGolden = existsSync(goldenPath);
if (!hasGolden) console.warn(`[poolscope tests] ${goldenPath} is absent: golden-value tests are skipped`);

export interface GoldenCase {
  name: string;
  note: string;
  a: number[][];
  b: number[][];
  expected: { d1: number; d2: number; socm: number; traceA: number; traceB: number; pca_singular_values: [number, number] };
}

export function loadGolden(): GoldenCase[] {
  return hasGolden ? (JSON.parse(readFileSync(goldenPath, 'utf8')).cases as GoldenCase[]) : [];
}
