import { DEFAULT_REPLICATES } from '../../corpus/bootstrap';
import { parseCsv } from '../../corpus/parse';
import { scatterSvg } from '../../corpus/scatter-svg';
import { spearman, spearmanInterval } from '../../corpus/spearman';
import { catalogPlace } from '../../corpus/table1';
import { note } from '../common';
import { jsonLine } from '../format';
import { CliError, readText } from '../io';
import type { CommandModule } from '../registry';

interface Point {
  model: string;
  mean_socm: number;
  score: number;
}

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

/** Model → score from a CSV with a header naming the columns model and score. */
function readScores(file: string): Map<string, number> {
  const [header, ...rows] = parseCsv(readText(file));
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const [m, s] = [names.indexOf('model'), names.indexOf('score')];
  if (m < 0 || s < 0) throw new CliError(`${file} needs a header with the columns model and score (it has: ${(header ?? []).join(', ') || 'nothing'})`);
  const scores = new Map<string, number>();
  rows.forEach((row, k) => {
    const model = (row[m] ?? '').trim();
    const raw = (row[s] ?? '').trim();
    const score = Number(raw);
    if (!model) throw new CliError(`${file}: row ${k + 2} has no model`);
    if (raw === '' || !Number.isFinite(score)) throw new CliError(`${file}: row ${k + 2} (${model}) has score "${raw}", not a number`);
    if (scores.has(model)) throw new CliError(`${file}: ${model} has two scores (rows ${[...scores.keys()].indexOf(model) + 2} and ${k + 2})`);
    scores.set(model, score);
  });
  return scores;
}

/** The paper's id for a catalog model (so Xenova/gte-small and thenlper/gte-small meet), else the id itself. */
const canonical = (model: string) => catalogPlace(model)?.id ?? model;

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
    const scores = new Map([...readScores(scoresFile)].map(([model, score]) => [canonical(model), { model, score }]));
    const points: Point[] = [];
    const unscored: string[] = [];
    for (const [model, mean_socm] of table) {
      const hit = scores.get(canonical(model));
      if (hit) {
        points.push({ model, mean_socm, score: hit.score });
        scores.delete(canonical(model));
      } else unscored.push(model);
    }
    if (unscored.length) note(io, values, `no score for ${unscored.join(', ')} in ${scoresFile}; left out`);
    if (scores.size) note(io, values, `${[...scores.values()].map((s) => s.model).join(', ')} in ${scoresFile} ${scores.size === 1 ? 'is' : 'are'} not in ${tableFile}; left out`);
    if (points.length < 3) throw new CliError(`Spearman's ρ needs at least 3 models in both files; ${points.length} match (${points.map((p) => p.model).join(', ') || 'none'})`);
    const x = points.map((p) => p.mean_socm);
    const y = points.map((p) => p.score);
    const rho = spearman(x, y);
    const replicates = values.bootstrap ?? DEFAULT_REPLICATES;
    const ci95 = replicates > 0 ? spearmanInterval(x, y, { replicates, seed: values.seed ?? 1 }) : null;
    if (values.svg) {
      const file = io.file(values.svg);
      await file.write(scatterSvg(points.map((p) => ({ label: p.model, x: p.mean_socm, y: p.score })), {
        title: `Spearman ρ = ${Number.isFinite(rho) ? rho.toFixed(3) : 'undefined'}${ci95 ? ` (95% CI ${ci95[0].toFixed(2)} to ${ci95[1].toFixed(2)})` : ''}, n = ${points.length}`,
        xLabel: 'mean SOCM',
        yLabel: 'score',
      }));
      await file.close();
    }
    await io.out.write(jsonLine({ n: points.length, spearman_rho: rho, ci95, points, bootstrap_replicates: ci95 ? replicates : 0, seed: values.seed ?? 1 }));
    return 0;
  },
};

export default correlate;
