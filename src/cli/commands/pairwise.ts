import { mean, measurePairs } from '../../corpus/run';
import { allPairsPlan } from '../../corpus/pairs';
import { tokenMatrixFromRows } from '../../math/tokens';
import { field, onePositional, withEngine } from '../common';
import { RowWriter } from '../format';
import { CliError, readJson } from '../io';
import { progress } from '../progress';
import type { CommandModule } from '../registry';

const pairwise: CommandModule = {
  options: ['backend', 'quiet'],
  formats: ['json', 'jsonl', 'csv'],
  details: [
    'json: {"texts":K,"pairs":[[i,j,d1,d2,socm],...],"mean_socm":…,"mean_d1":…,"mean_d2":…,"flagged":…,"backend":…}',
    'jsonl: one {"i","j","d1","d2","socm"} per line; csv: i,j,d1,d2,socm. Rows are written as they are',
    'computed, so memory stays bounded however many pairs there are.',
  ].join('\n'),
  async run({ positionals, values }, io) {
    const file = onePositional(positionals, 'pairwise needs a FILE.json');
    const list = field(readJson(file), 'texts', file, '{"texts": [X1, X2, ...]}');
    if (!Array.isArray(list)) throw new CliError(`${file}: "texts" must be a list of token lists`);
    const texts = list.map((rows, i) => tokenMatrixFromRows(rows, `text ${i}`));
    const plan = allPairsPlan(texts.length);
    const format = values.format ?? 'json';
    return withEngine(values, async (engine) => {
      const bar = progress(io, 'pairs', plan.count, values);
      const rows = new RowWriter(io.out, format === 'csv' ? 'csv' : 'jsonl', ['i', 'j', 'd1', 'd2', 'socm']);
      let first = true;
      const measured = await measurePairs(engine, texts, plan, {
        onProgress: (p) => bar.update(p.done),
        onRows: async (batch) => {
          if (format === 'json') {
            // The document streams too: its head goes out with the first rows (after the input is checked).
            await io.out.write(`${first ? `{"texts":${texts.length},"pairs":[` : ','}${batch.map((r) => JSON.stringify(r)).join(',')}`);
            first = false;
          } else {
            for (const [i, j, d1, d2, socm] of batch) await rows.row({ i, j, d1, d2, socm });
          }
        },
      });
      bar.finish();
      if (format === 'json') {
        const tail = { mean_socm: mean(measured.socm), mean_d1: mean(measured.d1), mean_d2: mean(measured.d2), flagged: measured.flagged, backend: engine.description };
        await io.out.write(`],${JSON.stringify(tail).slice(1)}\n`);
      } else await rows.end();
      return 0;
    });
  },
};

export default pairwise;
