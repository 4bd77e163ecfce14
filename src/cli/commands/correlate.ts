import { DEFAULT_REPLICATES } from '../../corpus/bootstrap';
import { correlation, correlationSvg, matchScores, MIN_MODELS, parseScores, type CorrelationPoint } from '../../corpus/correlation';
import { note } from '../common';
import { jsonLine } from '../format';
import { CliError, readText } from '../io';
import type { CommandModule } from '../registry';

/** Model → mean SOCM from `table1 --format json` (or jsonl), or `corpus` summaries, one per line. */
function readTable(file: string): Map<string, number> {
  const content = readText(file);
  let entries: unknown[];
  try {
    const json = JSON.parse(content) as unknown;
    entries = Array.isArray(json) ? json : (json as { models?: unknown[] })?.models ?? [json];
  } catch {
    entries = content.split(/\r?\n/).filter((l) => l.trim()).map((line, k) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new CliError(`${file} is neither JSON nor JSON lines (line ${k + 1} does not parse): give the output of poolscope table1 --format json`);
      }
    });
  }
  const table = new Map<string, number>();
  entries.forEach((entry, k) => {
    const { model, mean_socm } = (entry ?? {}) as { model?: unknown; mean_socm?: unknown };
    if (typeof model !== 'string' || typeof mean_socm !== 'number') {
      throw new CliError(`${file}: entry ${k + 1} has no "model" and numeric "mean_socm" (is it poolscope table1 --format json output?)`);
    }
    table.set(model, mean_socm);
  });
  return table;
}

const correlate: CommandModule = {
  options: ['svg', 'seed', 'bootstrap', 'quiet'],
  details: [
    'TABLE1.json: the output of poolscope table1 --format json (or jsonl, or poolscope corpus summaries,',
    'one per line). SCORES.csv: a header and the columns model,score (other columns are ignored), the',
    'scores you want to compare with (e.g. MTEB averages, with their source noted by you). Models meet',
    'by id (a catalog model also by its ONNX build\'s id).',
    '',
    'Prints {"n","spearman_rho","ci95":[lo,hi],"points":[{"model","mean_socm","score"},…],…}. ρ is',
    'Pearson\'s correlation of the ranks, ties sharing their average rank; the interval is a percentile',
    'bootstrap over the models (with few models, expect it to be wide).',
  ].join('\n'),
  async run({ positionals, values }, io) {
    if (positionals.length !== 2) throw new CliError(`correlate needs TABLE1.json and SCORES.csv, got ${positionals.length} argument(s)`, 2);
    const [tableFile, scoresFile] = positionals;
    const table = readTable(tableFile);
    let scores: Map<string, number>;
    try {
      scores = parseScores(readText(scoresFile));
    } catch (error) {
      throw new CliError(`${scoresFile}: ${(error as Error).message}`);
    }
    const { matched, unmatched } = matchScores([...table.keys()], scores);
    const points: CorrelationPoint[] = [...table].flatMap(([model, mean_socm]) => (matched.has(model) ? [{ model, mean_socm, score: matched.get(model)! }] : []));
    const unscored = [...table.keys()].filter((model) => !matched.has(model));
    if (unscored.length) note(io, values, `no score for ${unscored.join(', ')} in ${scoresFile}; left out`);
    if (unmatched.length) note(io, values, `${unmatched.join(', ')} in ${scoresFile} ${unmatched.length === 1 ? 'is' : 'are'} not in ${tableFile}; left out`);
    if (points.length < MIN_MODELS) throw new CliError(`Spearman's ρ needs at least ${MIN_MODELS} models in both files; ${points.length} match (${points.map((p) => p.model).join(', ') || 'none'})`);
    const result = correlation(points, { replicates: values.bootstrap ?? DEFAULT_REPLICATES, seed: values.seed ?? 1 });
    if (values.svg) {
      const file = io.file(values.svg);
      await file.write(correlationSvg(result));
      await file.close();
    }
    await io.out.write(jsonLine(result));
    return 0;
  },
};

export default correlate;
