import { needModel, note, withEncoder } from '../common';
import { RowWriter } from '../format';
import { CliError, readLines } from '../io';
import { progress } from '../progress';
import type { CommandModule } from '../registry';

/** Texts per encoder call: output streams out between batches, so memory stays bounded. */
const BATCH = 16;

const embed: CommandModule = {
  options: ['model', 'file', 'layer', 'route', 'dtype', 'quiet'],
  formats: ['jsonl', 'json', 'csv'],
  details: [
    'jsonl: one line per text: {"text","tokens","ids","special","truncated","vectors":[[…],…]} (and "unknown":',
    'words without a vector, for glove). json: the same objects in one array. csv: one row per token:',
    'text,token_index,token,id,special,v0,…,v(d-1). Texts from --file (one per line) come first.',
    '--layer K adds "layer": K and gives that layer\'s vectors; --layer all gives "layers": L+1 token',
    'matrices instead of "vectors" (0 = embeddings after their LayerNorm … L = last hidden state, the',
    'order of transformers\' output_hidden_states), and a layer column in csv.',
  ].join('\n'),
  async run({ positionals, values }, io) {
    const model = needModel(values, 'embed');
    const texts = [...(values.file ? readLines(values.file) : []), ...positionals];
    if (!texts.length) throw new CliError('embed needs texts: --file FILE.txt (one per line) and/or "text" arguments', 2);
    const format = values.format ?? 'jsonl';
    await withEncoder(model, values, async (encoder) => {
      const bar = progress(io, 'texts encoded', texts.length, values);
      let rows: RowWriter | undefined;
      for (let start = 0; start < texts.length; start += BATCH) {
        const batch = await encoder.encode(texts.slice(start, start + BATCH), values.layer === undefined ? undefined : { layer: values.layer });
        for (const [k, e] of batch.entries()) {
          if (e.truncated) note(io, values, `a text has ${e.fullLength} tokens; ${model} takes ${e.n}, so it was truncated`);
          const matrix = (data: Float32Array) => Array.from({ length: e.n }, (_, i) => Array.from(data.subarray(i * e.d, (i + 1) * e.d)));
          const layers = e.layers ?? [e.vectors];
          if (format === 'csv') {
            rows ??= new RowWriter(io.out, 'csv', ['text', ...(e.layers ? ['layer'] : []), 'token_index', 'token', 'id', 'special', ...Array.from({ length: e.d }, (_, j) => `v${j}`)]);
            for (const [layer, data] of layers.entries()) {
              for (let i = 0; i < e.n; i++) {
                const values = Object.fromEntries(Array.from(data.subarray(i * e.d, (i + 1) * e.d), (v, j) => [`v${j}`, v]));
                await rows.row({ text: start + k, ...(e.layers ? { layer } : {}), token_index: i, token: e.tokens[i], id: e.ids[i], special: e.special[i], ...values });
              }
            }
          } else {
            rows ??= new RowWriter(io.out, format === 'json' ? 'json' : 'jsonl', []);
            const head = { text: e.text, tokens: e.tokens, ids: e.ids, special: Array.from(e.special), truncated: e.truncated, ...(e.unknown ? { unknown: e.unknown } : {}) };
            await rows.row(e.layers ? { ...head, layers: e.layers.map(matrix) } : { ...head, ...(values.layer !== undefined ? { layer: e.layer } : {}), vectors: matrix(e.vectors) });
          }
        }
        bar.update(Math.min(texts.length, start + BATCH));
      }
      bar.finish();
      await rows?.end();
    });
    return 0;
  },
};

export default embed;
