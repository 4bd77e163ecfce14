/**
 * What `corpus` and `table1` share: the texts and pairs to measure (FILE.txt, --pairs, --limit,
 * --sample-pairs), and one encoder's run over them (encode, drop texts with no tokens, measure,
 * summarise, bootstrap).
 */
import { DEFAULT_REPLICATES } from '../corpus/bootstrap';
import { allPairsPlan, compactPlan, dropTexts, limitPlan, parsePairList, samplePairs, type PairPlan } from '../corpus/pairs';
import { seededRandom } from '../corpus/random';
import { measurePairs, summarise, summaryIntervals, textConcentration, type CorpusIntervals, type CorpusSummary } from '../corpus/run';
import { table1Row, type Table1Row } from '../corpus/table1';
import type { SocmEngine } from '../engine/types';
import { layerClouds, tokenCloud } from '../encoders/types';
import { layerSummaries, type LayerSummary } from '../corpus/layers';
import type { PairRow, TokenMatrix } from '../math';
import { note, withEncoder } from './common';
import { CliError, readLines, readText, type Io } from './io';
import type { OptionValues } from './options';
import { progress } from './progress';

export interface CorpusSource {
  /** The texts the plan uses (a sample touches only some of the file's). */
  texts: string[];
  /** Each text's number in the input: its place among FILE's non-empty lines, or in the pair list's texts. */
  inputIndex: Uint32Array;
  plan: PairPlan;
  /** Where the texts came from, for the summary. */
  source: string;
}

/** The texts and pairs a corpus run measures, from the positionals and options. */
export function readCorpusSource(command: string, positionals: readonly string[], values: OptionValues): CorpusSource {
  const [file, ...rest] = positionals;
  if (rest.length) throw new CliError(`unexpected argument ${rest[0]}`, 2);
  if (file && values.pairs) throw new CliError(`${command} takes FILE.txt or --pairs PAIRS.tsv, not both`, 2);
  let texts: string[];
  let plan: PairPlan;
  if (values.pairs) {
    if (values['sample-pairs'] !== undefined) throw new CliError('--sample-pairs samples all pairs of FILE.txt; with --pairs, take the first N pairs with --limit N', 2);
    try {
      ({ texts, plan } = parsePairList(readText(values.pairs)));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`${values.pairs}: ${(error as Error).message}`);
    }
    if (values.limit) plan = limitPlan(plan, values.limit);
  } else {
    if (!file) throw new CliError(`${command} needs a FILE.txt (one text per line) or --pairs PAIRS.tsv`, 2);
    texts = readLines(file);
    if (values.limit) texts = texts.slice(0, values.limit);
    if (texts.length < 2) throw new CliError(`${file} has ${texts.length} non-empty line(s): a corpus needs at least 2 texts`);
    const sample = values['sample-pairs'];
    if (sample !== undefined) {
      try {
        plan = samplePairs(texts.length, sample, seededRandom(values.seed ?? 1));
      } catch (error) {
        throw new CliError(`--sample-pairs ${sample}: ${(error as Error).message}; leave --sample-pairs out to measure them all`, 2);
      }
    } else plan = allPairsPlan(texts.length);
  }
  const compact = compactPlan(plan);
  return {
    texts: Array.from(compact.textIndex, (k) => texts[k]),
    inputIndex: compact.textIndex,
    plan: compact.plan,
    source: values.pairs ? `${values.pairs} (a pair list)` : `${file}${plan.kind === 'sample' ? ' (a uniform sample of its pairs)' : ' (all pairs)'}`,
  };
}

/** One encoder's numbers on a corpus. */
export interface ModelRun {
  model: string;
  /** The layer the summary is of (models that give layers); with --layer all, the last. */
  layer?: number;
  /** With --layer all: the summary at every layer 0…L (the paper's §6). */
  layers?: LayerSummary[];
  summary: CorpusSummary;
  intervals?: CorpusIntervals;
  /** Texts left out (no tokens to measure under this encoder). */
  skipped: number;
  /** Pairs left out with them (pair lists and samples). */
  skippedPairs: number;
  truncated: number;
  plan: PairPlan;
}

/** A measured pair, numbered as in the input, with its texts. */
export interface OutputRow {
  i: number;
  j: number;
  d1: number;
  d2: number;
  socm: number;
  text_i: string;
  text_j: string;
}

/**
 * Encodes the source's texts with one encoder, drops texts with no tokens, measures the plan's
 * pairs on the engine (rows stream to onRows as they are computed) and summarises them.
 */
export async function runModel(
  source: CorpusSource,
  model: string,
  engine: SocmEngine,
  values: OptionValues,
  io: Io,
  options: { label?: string; onRows?: (rows: OutputRow[]) => Promise<void> } = {},
): Promise<ModelRun> {
  const label = options.label ? `${options.label}: ` : '';
  const excludeSpecial = Boolean(values['exclude-special']);
  const clouds: (TokenMatrix | null)[] = [];
  /** With --layer all: every text's cloud at every layer (the last one is also in `clouds`). */
  const layerCloudsOf: TokenMatrix[][] = [];
  let truncated = 0;
  let layer: number | undefined;
  await withEncoder(model, values, async (encoder) => {
    const bar = progress(io, `${label}texts encoded`, source.texts.length, values);
    for (let k = 0; k < source.texts.length; k++) {
      const [e] = await encoder.encode([source.texts[k]], values.layer === undefined ? undefined : { layer: values.layer });
      const cloud = tokenCloud(e, excludeSpecial);
      layer = e.layer;
      if (e.truncated) truncated++;
      if (cloud.n === 0) {
        note(io, values, `text ${source.inputIndex[k] + 1} ("${source.texts[k].slice(0, 40)}") has no tokens to measure under ${model}; left out`);
        clouds.push(null);
      } else {
        clouds.push(cloud);
        if (e.layers) layerCloudsOf.push(layerClouds(e, excludeSpecial));
      }
      bar.update(k + 1);
    }
    bar.finish();
  });
  const kept = dropTexts(source.plan, clouds.map((c) => c !== null));
  const plan = kept.plan;
  const skipped = clouds.filter((c) => c === null).length;
  if (plan.count === 0) throw new CliError(`no pairs left to measure under ${model}: ${skipped} of ${source.texts.length} texts have no tokens`);
  const texts = Array.from(kept.textIndex, (k) => clouds[k]!);
  const bar = progress(io, `${label}pairs`, plan.count, values);
  const onRows = options.onRows;
  const measured = await measurePairs(engine, texts, plan, {
    onProgress: (p) => bar.update(p.done),
    onRows: onRows && ((rows: PairRow[]) => onRows(rows.map(([a, b, d1, d2, socm]) => {
      const [ka, kb] = [kept.textIndex[a], kept.textIndex[b]];
      return { i: source.inputIndex[ka], j: source.inputIndex[kb], d1, d2, socm, text_i: source.texts[ka], text_j: source.texts[kb] };
    }))),
  });
  bar.finish();
  const { traces, withinCosine } = textConcentration(texts);
  const replicates = values.bootstrap ?? DEFAULT_REPLICATES;
  let layers: LayerSummary[] | undefined;
  if (values.layer === 'all') {
    const depth = layerCloudsOf[0]?.length ?? 0;
    const layerBar = progress(io, `${label}layers`, depth, values);
    layers = await layerSummaries(engine, Array.from({ length: depth }, (_, l) => layerCloudsOf.map((c) => c[l])), plan, { onLayer: (l) => layerBar.update(l + 1) });
    layerBar.finish();
  }
  return {
    model,
    layer: values.layer === 'all' ? undefined : layer,
    layers,
    summary: summarise(measured, traces, withinCosine),
    intervals: replicates > 0 ? summaryIntervals(measured, traces, withinCosine, { replicates, seed: values.seed ?? 1 }) : undefined,
    skipped,
    skippedPairs: kept.droppedPairs,
    truncated,
    plan,
  };
}

/** The JSON record of a run: Table 1's row, and how the pairs were chosen and resampled. */
export function runRecord(run: ModelRun, values: OptionValues): Table1Row & Record<string, unknown> {
  const ci = run.intervals;
  return {
    ...table1Row(run.model, run.summary, ci, run),
    ...(run.layer !== undefined ? { layer: run.layer } : {}),
    ...(run.layers ? { layers: run.layers } : {}),
    pairs_from: run.plan.kind,
    ...(run.plan.kind === 'sample' ? { population_pairs: run.plan.population } : {}),
    ...(run.skippedPairs && run.plan.kind !== 'all' ? { skipped_pairs: run.skippedPairs } : {}),
    ci_resampled: ci?.ci_resampled ?? null,
    bootstrap_replicates: ci?.bootstrap_replicates ?? 0,
    seed: values.seed ?? 1,
    excludeSpecial: Boolean(values['exclude-special']),
  };
}
