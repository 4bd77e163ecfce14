/**
 * Which pairs a corpus run measures, from the box and the source settings: all pairs of its texts
 * (the paper's Table 1), a uniform sample of them, or the pairs of a pair list (two texts per
 * line, tab-separated). The same rules as `poolscope corpus` (FILE.txt [--limit N]
 * [--sample-pairs N --seed S], or --pairs PAIRS.tsv [--limit N]), so a run here and there measure
 * the same pairs. DOM-free.
 */
import { corpusLines } from '../../corpus/parse';
import { allPairsCount, allPairsPlan, compactPlan, limitPlan, parsePairList, samplePairs, type PairPlan } from '../../corpus/pairs';
import { seededRandom } from '../../corpus/random';
import { formatCount } from '../format';

/** How the box is read and which pairs a run takes. */
export interface SourceSettings {
  /** 'texts': one text per line; 'pairs': a pair list, two texts per line separated by a tab. */
  kind: 'texts' | 'pairs';
  /** Texts only: measure a uniform sample of all pairs instead of every pair. */
  sample: boolean;
  /** The sample's size. */
  samplePairs: number;
  /** Seed of the sample and of the bootstrap intervals (the CLI's --seed). */
  seed: number;
}

/** A sample size that keeps a run short and its interval narrow; offered for large runs. */
export const DEFAULT_SAMPLE_PAIRS = 10_000;
export const DEFAULT_SOURCE: SourceSettings = { kind: 'texts', sample: false, samplePairs: DEFAULT_SAMPLE_PAIRS, seed: 1 };

/** What a run measures: the texts its pairs use (only those are encoded) and the pairs. */
export interface PlannedSource {
  /** The texts the plan indexes. */
  texts: string[];
  /** Each text's number in the box: its place among the box's texts, or among the pair list's distinct texts (as `poolscope corpus` numbers rows). */
  inputIndex: Uint32Array;
  plan: PairPlan;
  /** Texts in the box that the plan was drawn from (after "use at most"). */
  given: number;
  /** The box's texts or pairs before "use at most". */
  available: number;
  /** The seed of the bootstrap intervals (and of the sample). */
  seed: number;
}

/** The pairs, or a one-line reason there are none and what it is about (the box, or the sample's size). */
export type SourceResult = { ok: true; source: PlannedSource } | { ok: false; message: string; about: 'texts' | 'pairs' | 'sample' };

/** The pairs a run of the box would measure, or a one-line reason there are none. */
export function planSource(box: string, limit: number, settings: SourceSettings): SourceResult {
  if (settings.kind === 'pairs') {
    let parsed: ReturnType<typeof parsePairList>;
    try {
      parsed = parsePairList(box);
    } catch (error) {
      return { ok: false, message: `The pair list: ${(error as Error).message}.`, about: 'pairs' };
    }
    const compact = compactPlan(limitPlan(parsed.plan, limit));
    if (compact.textIndex.length < 2) {
      return { ok: false, message: 'The pair list pairs one text with itself only (SOCM 0): give pairs of two different texts.', about: 'pairs' };
    }
    return {
      ok: true,
      source: { texts: Array.from(compact.textIndex, (k) => parsed.texts[k]), inputIndex: compact.textIndex, plan: compact.plan, given: parsed.texts.length, available: parsed.plan.count, seed: settings.seed },
    };
  }
  const all = corpusLines(box);
  const texts = all.slice(0, limit);
  if (texts.length < 2) return { ok: false, message: 'Give at least two texts, one per line.', about: 'texts' };
  if (!settings.sample) {
    return { ok: true, source: { texts, inputIndex: Uint32Array.from(texts, (_, k) => k), plan: allPairsPlan(texts.length), given: texts.length, available: all.length, seed: settings.seed } };
  }
  const population = allPairsCount(texts.length);
  if (!(Number.isInteger(settings.samplePairs) && settings.samplePairs >= 1)) return { ok: false, message: 'The sample needs a whole number of pairs, 1 or more.', about: 'sample' };
  if (settings.samplePairs >= population) {
    return { ok: false, message: `A sample of ${formatCount(settings.samplePairs)} pairs is not fewer than the ${formatCount(population)} pairs of ${formatCount(texts.length)} texts: run them all (untick “sample”).`, about: 'sample' };
  }
  const compact = compactPlan(samplePairs(texts.length, settings.samplePairs, seededRandom(settings.seed)));
  return {
    ok: true,
    source: { texts: Array.from(compact.textIndex, (k) => texts[k]), inputIndex: compact.textIndex, plan: compact.plan, given: texts.length, available: all.length, seed: settings.seed },
  };
}

/** The settings a kept run used, in the form planSource takes (older runs: all pairs, seed 1). */
export function settingsOf(batch: { pairs?: PairPlan['kind']; sample?: { pairs: number; seed: number }; seed?: number }): SourceSettings {
  const seed = batch.seed ?? 1;
  if (batch.pairs === 'list') return { ...DEFAULT_SOURCE, kind: 'pairs', seed };
  if (batch.pairs === 'sample' && batch.sample) return { kind: 'texts', sample: true, samplePairs: batch.sample.pairs, seed: batch.sample.seed };
  return { ...DEFAULT_SOURCE, seed };
}

/** How a kept run chose its pairs, in words: "all", "pair list", "sample of 4,950 (seed 7)". */
export function pairsFromLabel(batch: { pairs?: PairPlan['kind']; sample?: { population: number; seed: number } }): string {
  if (batch.pairs === 'list') return 'pair list';
  if (batch.pairs === 'sample' && batch.sample) return `sample of ${formatCount(batch.sample.population)} (seed ${batch.sample.seed})`;
  return 'all';
}

