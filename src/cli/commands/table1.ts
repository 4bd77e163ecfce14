import { pairings, table1Columns, table1Flat, table1Markdown, type Table1Row } from '../../corpus/table1';
import { withEngine } from '../common';
import { readCorpusSource, runModel, runRecord } from '../corpus-job';
import { jsonLine, RowWriter } from '../format';
import { CliError } from '../io';
import type { CommandModule } from '../registry';

const table1: CommandModule = {
  options: ['models', 'layer', 'route', 'pairs', 'limit', 'sample-pairs', 'seed', 'bootstrap', 'backend', 'dtype', 'exclude-special', 'quiet'],
  formats: ['md', 'json', 'jsonl', 'csv'],
  details: [
    'Runs `corpus` for each model on the same texts and pairs (the same sample, the same seed), so',
    'each row equals that model\'s `poolscope corpus` numbers. Rows are grouped as in the catalog:',
    'each backbone, then its contrastively fine-tuned models, with Δ = fine-tuned − backbone mean',
    'SOCM; models outside the catalog (glove, your folders) come last.',
    '',
    'json: {"models":[{"model","family","role","texts","pairs","mean_socm","ci95":[lo,hi],"median_socm",',
    '"mean_d1","mean_d2","mean_trace","mean_within_cosine",…},…],"pairings":[{"backbone","fine_tuned",',
    '"delta_mean_socm","fine_tuned_lower"}],…}. jsonl: one model per line. csv: one row per model, each',
    'interval as _lo and _hi columns. md: a markdown table.',
  ].join('\n'),
  async run({ positionals, values }, io) {
    const models = values.models;
    if (!models) throw new CliError('table1 needs --models ID,ID,… (glove, folders, or org/name ids)', 2);
    const source = readCorpusSource('table1', positionals, values);
    return withEngine(values, async (engine) => {
      const rows: (Table1Row & Record<string, unknown>)[] = [];
      for (const model of models) {
        const run = await runModel(source, model, engine, values, io, { label: model });
        rows.push(runRecord(run, values));
      }
      const format = values.format ?? 'md';
      if (format === 'md') {
        await io.out.write(table1Markdown(rows));
        const ci = rows[0].ci_resampled === 'texts' ? 'texts resampled' : rows[0].ci_resampled === 'pairs' ? 'pairs resampled' : '';
        await io.out.write(`\n${source.source}; 95% intervals: BCa bootstrap${ci ? `, ${ci}` : ''}, ${rows[0].bootstrap_replicates} replicates, seed ${values.seed ?? 1}; ${engine.description}.\n`);
      } else if (format === 'json') {
        await io.out.write(jsonLine({ models: rows, pairings: pairings(rows), source: source.source, backend: engine.description }));
      } else {
        const writer = new RowWriter(io.out, format === 'csv' ? 'csv' : 'jsonl', table1Columns());
        for (const row of rows) await writer.row(format === 'csv' ? table1Flat(row) : row);
        await writer.end();
      }
      return 0;
    });
  },
};

export default table1;
