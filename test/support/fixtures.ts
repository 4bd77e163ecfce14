import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's own test encoders (test/fixtures/generate_tiny_bert.py writes them). */
export const fixtureModelsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/models');

export interface ReferenceText { text: string; tokens: string[]; ids: number[]; last_hidden_state: number[][] }
export interface ReferenceModel { model: string; hidden_size: number; texts: ReferenceText[] }

/** PyTorch hidden states recorded when the fixture ONNX files were exported. */
export function fixtureReference(): ReferenceModel[] {
  return JSON.parse(readFileSync(resolve(fixtureModelsDir, 'reference-hidden-states.json'), 'utf8')).models;
}
