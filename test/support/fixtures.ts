import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
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

/**
 * For the tests of one file: models are looked for in the fixtures' models directory and never
 * on the hub (POOLSCOPE_MODELS_DIR, POOLSCOPE_OFFLINE), restored after.
 */
export function useFixtureModels(): void {
  let saved: { dir?: string; offline?: string } = {};
  beforeAll(() => {
    saved = { dir: process.env.POOLSCOPE_MODELS_DIR, offline: process.env.POOLSCOPE_OFFLINE };
    Object.assign(process.env, { POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' });
  });
  afterAll(() => {
    if (saved.dir === undefined) delete process.env.POOLSCOPE_MODELS_DIR;
    else process.env.POOLSCOPE_MODELS_DIR = saved.dir;
    if (saved.offline === undefined) delete process.env.POOLSCOPE_OFFLINE;
    else process.env.POOLSCOPE_OFFLINE = saved.offline;
  });
}
