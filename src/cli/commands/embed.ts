import { needModel, note, withEncoder } from '../common';
import { RowWriter } from '../format';
import { CliError, readLines } from '../io';
import { progress } from '../progress';
import type { CommandModule } from '../registry';

/** Texts per encoder call: output streams out between batches, so memory stays bounded. */
const BATCH = 16;

const embed: CommandModule = {
  options: ['model', 'file', 'dtype', 'quiet'],
  formats: ['jsonl', 'json', 'csv'],
  details: [
    'jsonl: one line per text: {"text","tokens","ids","special","truncated","vectors":[[…],…]} (and "unknown":',
    'words without a vector, for glove). json: the same objects in one array. csv: one row per token:',
    'text,token_index,token,id,special,v0,…,v(d-1). Texts from --file (one per line) come first.',
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
        const batch = await encoder.encode(texts.slice(start, start + BATCH));
        for (const [k, e] of batch.entries()) {
          if (e.truncated) note(io, values, `a text has ${e.fullLength} tokens; ${model} takes ${e.n}, so it was truncated`);
          const vectors = Array.from({ length: e.n }, (_, i) => Array.from(e.vectors.subarray(i * e.d, (i + 1) * e.d)));
          if (format === 'csv') {
            rows ??= new RowWriter(io.out, 'csv', ['text', 'token_index', 'token', 'id', 'special', ...Array.from({ length: e.d }, (_, j) => `v${j}`)]);
            for (let i = 0; i < e.n; i++) {
              await rows.row({ text: start + k, token_index: i, token: e.tokens[i], id: e.ids[i], special: e.special[i], ...Object.fromEntries(vectors[i].map((v, j) => [`v${j}`, v])) });
            }
          } else {
            rows ??= new RowWriter(io.out, format === 'json' ? 'json' : 'jsonl', []);
            await rows.row({ text: e.text, tokens: e.tokens, ids: e.ids, special: Array.from(e.special), truncated: e.truncated, ...(e.unknown ? { unknown: e.unknown } : {}), vectors });
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
