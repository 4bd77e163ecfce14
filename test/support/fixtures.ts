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

export interface CheckpointText { text: string; tokens: string[]; ids: number[]; hidden_states: number[][][]; attentions?: number[][][][] }
export interface CheckpointReference {
  model: string;
  model_type: string;
  storage: string;
  hidden_size: number;
  layers: number;
  heads: number;
  relative_position_bucket?: { from: number; buckets: number[] };
  texts: CheckpointText[];
}

/** PyTorch hidden states of every layer (and the first text's attention) of the checkpoint fixtures (test/fixtures/generate_checkpoints.py). */
export function checkpointReference(): CheckpointReference[] {
  return JSON.parse(readFileSync(resolve(fixtureModelsDir, 'reference-checkpoints.json'), 'utf8')).models;
}
