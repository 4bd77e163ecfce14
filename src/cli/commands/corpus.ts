import { needModel, withEngine } from '../common';
import { runModel, runRecord, readCorpusSource, type OutputRow } from '../corpus-job';
import { jsonLine, RowWriter } from '../format';
import type { CommandModule } from '../registry';

const COLUMNS = ['i', 'j', 'd1', 'd2', 'socm', 'text_i', 'text_j'];

const corpus: CommandModule = {
  options: ['model', 'layer', 'route', 'pairs', 'limit', 'sample-pairs', 'seed', 'bootstrap', 'backend', 'dtype', 'exclude-special', 'out', 'summary', 'quiet'],
  formats: ['json', 'jsonl', 'csv'],
  details: [
    'json (default) prints the summary: {"model","texts","pairs","mean_socm","ci95":[lo,hi],"median_socm",',
    '"mean_d1","ci95_d1","mean_d2","ci95_d2","mean_trace","ci95_trace","mean_within_cosine",',
    '"ci95_within_cosine","flagged","skipped","truncated","pairs_from",…}. jsonl and csv print every pair',
    'instead (i, j: the texts\' numbers among FILE\'s non-empty lines, from 0), as it is computed; the',
    'summary then goes to --summary FILE, or to stderr.',
    '',
    'Intervals are BCa bootstraps. All pairs: the texts are resampled (how the means would move with',
    'another corpus of as many texts). A pair list or a sample: the pairs are resampled (for a sample,',
    'how close the estimate is to the mean over all pairs). Texts with no tokens to measure are left',
    'out and counted in skipped.',
    '',
    '--layer K measures the hidden state of layer K (0 = embeddings after their LayerNorm … L = last, the',
    'default) and adds "layer": K. --layer all measures the last layer as usual and adds "layers": the',
    'summary at every layer, [{"layer","mean_socm","median_socm","mean_d1","mean_d2","mean_trace",',
    '"mean_spread","mean_within_cosine","flagged"},…] (the paper\'s Figure 4(d)). Layers need a model',
    'loaded from its own weights (safetensors).',
  ].join('\n'),
  async run({ positionals, values }, io) {
    const model = needModel(values, 'corpus');
    const source = readCorpusSource('corpus', positionals, values);
    const format = values.format ?? 'json';
    const stdoutRows = format === 'json' ? undefined : new RowWriter(io.out, format === 'csv' ? 'csv' : 'jsonl', COLUMNS);
    const outFile = values.out ? io.file(values.out) : undefined;
    const fileRows = outFile && new RowWriter(outFile, /\.jsonl$|\.ndjson$/i.test(values.out!) ? 'jsonl' : 'csv', COLUMNS);
    const writers = [stdoutRows, fileRows].filter((w): w is RowWriter => w !== undefined);
    const summaryFile = stdoutRows && values.summary ? io.file(values.summary) : undefined;
    await withEngine(values, async (engine) => {
      const run = await runModel(source, model, engine, values, io, {
        onRows: writers.length ? async (rows: OutputRow[]) => {
          for (const row of rows) for (const w of writers) await w.row(row as unknown as Record<string, unknown>);
        } : undefined,
      });
      for (const w of writers) await w.end();
      await outFile?.close();
      const record = { ...runRecord(run, values), source: source.source, backend: engine.description };
      if (!stdoutRows) await io.out.write(jsonLine(record));
      else if (summaryFile) {
        await summaryFile.write(jsonLine(record));
        await summaryFile.close();
      } else io.err(`poolscope: summary ${JSON.stringify(record)}`);
    });
    return 0;
  },
};

export default corpus;
