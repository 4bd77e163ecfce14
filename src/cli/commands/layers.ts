import { pairLayers } from '../../engine/layers';
import { layerClouds } from '../../encoders/types';
import { needModel, withEncoder, withEngine } from '../common';
import { RowWriter, jsonLine } from '../format';
import { CliError } from '../io';
import type { CommandModule } from '../registry';

const COLUMNS = ['layer', 'd1', 'd2', 'socm', 'traceA', 'traceB', 'withinCosA', 'withinCosB'] as const;

const layers: CommandModule = {
  options: ['model', 'route', 'backend', 'exclude-special'],
  formats: ['json', 'csv'],
  details: [
    'json: {"model","tokensA","tokensB","layers":[{"layer","d1","d2","socm","traceA","traceB","withinCosA",',
    '"withinCosB","flags"},…],"backend"}: one entry per hidden state, 0 = the embeddings after their',
    'LayerNorm … L = the last (the paper\'s §6). withinCos is the mean cosine between a text\'s tokens',
    '(null for a one-token text). csv: one row per layer. Needs a model loaded from its own weights',
    '(safetensors): ONNX exports and GloVe have no inner layers.',
  ].join('\n'),
  async run({ positionals, values }, io) {
    const model = needModel(values, 'layers');
    if (positionals.length !== 2) throw new CliError(`layers needs exactly two texts, got ${positionals.length}`, 2);
    positionals.forEach((t, k) => {
      if (t.trim() === '') throw new CliError(`text ${'AB'[k]} is empty: give some text to measure`);
    });
    const excludeSpecial = Boolean(values['exclude-special']);
    const [a, b] = await withEncoder(model, values, (encoder) => encoder.encode(positionals, { layer: 'all' }));
    const [cloudsA, cloudsB] = [layerClouds(a, excludeSpecial), layerClouds(b, excludeSpecial)];
    [cloudsA, cloudsB].forEach((c, k) => {
      if (c[0].n === 0) throw new CliError(`text ${'AB'[k]} has no tokens left without special tokens: nothing to measure`);
    });
    await withEngine(values, async (engine) => {
      const stats = await pairLayers(engine, cloudsA, cloudsB);
      const rows = stats.map((s) => ({
        layer: s.layer, d1: s.d1, d2: s.d2, socm: s.socm, traceA: s.traceA, traceB: s.traceB,
        withinCosA: Number.isFinite(s.withinCosA) ? s.withinCosA : null, withinCosB: Number.isFinite(s.withinCosB) ? s.withinCosB : null,
        flags: s.flags,
      }));
      if (values.format === 'csv') {
        const writer = new RowWriter(io.out, 'csv', [...COLUMNS]);
        for (const row of rows) await writer.row(row);
        await writer.end();
      } else {
        await io.out.write(jsonLine({ model, tokensA: cloudsA[0].n, tokensB: cloudsB[0].n, layers: rows, excludeSpecial, backend: engine.description }));
      }
    });
    return 0;
  },
};

export default layers;
