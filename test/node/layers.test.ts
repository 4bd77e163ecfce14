import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairLayers } from '../../src/engine/layers';
import { createNodeEngine } from '../../src/engine/node';
import type { SocmEngine } from '../../src/engine/types';
import { loadNodeEncoder } from '../../src/encoders/node';
import { expectClose } from '../support/assert';
import { checkpointReference, fixtureModelsDir } from '../support/fixtures';
import { refSocm } from '../support/reference';

/** Mean pairwise cosine of the rows, by the definition (every pair i < j). */
function refWithinCosine(rows: number[][]): number {
  const unit = rows.map((r) => { const n = Math.hypot(...r); return r.map((v) => v / n); });
  let sum = 0;
  let count = 0;
  for (let i = 0; i < unit.length; i++) for (let j = i + 1; j < unit.length; j++) { sum += unit[i].reduce((s, v, k) => s + v * unit[j][k], 0); count++; }
  return sum / count;
}

const modelsEnv = process.env.POOLSCOPE_MODELS_DIR;
const engines: Record<string, SocmEngine> = {};
beforeAll(async () => {
  process.env.POOLSCOPE_MODELS_DIR = fixtureModelsDir;
  process.env.POOLSCOPE_OFFLINE = '1';
  engines.cpu = await createNodeEngine('cpu');
  engines.webgpu = await createNodeEngine('webgpu');
}, 120_000);
afterAll(() => {
  if (modelsEnv === undefined) delete process.env.POOLSCOPE_MODELS_DIR;
  else process.env.POOLSCOPE_MODELS_DIR = modelsEnv;
  delete process.env.POOLSCOPE_OFFLINE;
  Object.values(engines).forEach((e) => e.dispose());
});

describe('per-layer SOCM of two texts vs the float64 reference on PyTorch\'s hidden states', () => {
  for (const ref of checkpointReference()) {
    for (const backend of ['cpu', 'webgpu'] as const) {
      it(`${ref.model} (${ref.model_type}) on ${backend}: every layer within 1e-4`, async () => {
        const encoder = await loadNodeEncoder(ref.model);
        const [a, b] = await encoder.encode([ref.texts[0].text, ref.texts[2].text], { layer: 'all' });
        await encoder.dispose();
        const clouds = (e: typeof a) => e.layers!.map((data) => ({ n: e.n, d: e.d, data }));
        const layers = await pairLayers(engines[backend], clouds(a), clouds(b));
        expect(layers.map((l) => l.layer)).toEqual(Array.from({ length: ref.layers + 1 }, (_, k) => k));
        layers.forEach((got, k) => {
          const want = refSocm(ref.texts[0].hidden_states[k], ref.texts[2].hidden_states[k]);
          for (const key of ['d1', 'd2', 'socm', 'traceA', 'traceB'] as const) expectClose(got[key], want[key], 0, 1e-4, `layer ${k} ${key}`);
          expectClose(got.withinCosA, refWithinCosine(ref.texts[0].hidden_states[k]), 0, 1e-6, `layer ${k} within-text cosine A`);
          expectClose(got.withinCosB, refWithinCosine(ref.texts[2].hidden_states[k]), 0, 1e-6, `layer ${k} within-text cosine B`);
        });
      });
    }
  }
});
