/**
 * Which pairs of a corpus to measure: every pair (the paper's Table 1), a list the user gives
 * (two texts per line, e.g. the paper's Appendix E query vs hard-negative pairs), or a uniform
 * sample of all pairs for corpora too large for all of them. DOM-free.
 */
import { splitLines } from './parse';
import { type Random } from './random';

export interface PairPlan {
  /** every pair; a user's list; a uniform sample of every pair. */
  kind: 'all' | 'list' | 'sample';
  /** Texts the pairs index, 0 … texts − 1. */
  texts: number;
  /** Pairs to measure. */
  count: number;
  /** The pairs, for 'list' and 'sample' ('all' is i < j in row order, never stored). */
  i?: Uint32Array;
  j?: Uint32Array;
  /** 'sample': how many pairs the whole corpus has, the population the sample estimates. */
  population?: number;
}

export function allPairsCount(texts: number): number {
  return (texts * (texts - 1)) / 2;
}

export function allPairsPlan(texts: number): PairPlan {
  return { kind: 'all', texts, count: allPairsCount(texts) };
}

/** Position of pair (i, j), i < j, in row order: (0,1), (0,2), …, (0,K−1), (1,2), … */
export function rankPair(i: number, j: number, texts: number): number {
  return i * texts - (i * (i + 1)) / 2 + (j - i - 1);
}

/** The pair at position p in row order (the inverse of rankPair). */
export function unrankPair(p: number, texts: number): [number, number] {
  const b = 2 * texts - 1;
  let i = Math.floor((b - Math.sqrt(b * b - 8 * p)) / 2);
  // The square root may round either way: step to the row that holds p.
  while (i > 0 && rankPair(i, i + 1, texts) > p) i--;
  while (i + 1 < texts - 1 && rankPair(i + 1, i + 2, texts) <= p) i++;
  return [i, p - rankPair(i, i + 1, texts) + i + 1];
}

/** Pairs start … end − 1 of a plan, in its order. */
export function* planPairs(plan: PairPlan, start = 0, end = plan.count): Generator<[number, number]> {
  if (plan.kind !== 'all') {
    for (let k = start; k < end; k++) yield [plan.i![k], plan.j![k]];
    return;
  }
  if (start >= end) return;
  let [i, j] = unrankPair(start, plan.texts);
  for (let k = start; k < end; k++) {
    yield [i, j];
    if (++j === plan.texts) j = ++i + 1;
  }
}

/** A uniform number in [0, 1) with 53 random bits (pair counts exceed 2³²). */
function random53(random: Random): number {
  return (Math.floor(random() * 2 ** 21) * 2 ** 32 + Math.floor(random() * 2 ** 32)) / 2 ** 53;
}

/**
 * `n` distinct pairs drawn uniformly from the texts' K(K−1)/2 (Floyd's algorithm), in row order.
 * Throws a RangeError when n is not below the number of pairs: then compute them all.
 */
export function samplePairs(texts: number, n: number, random: Random): PairPlan {
  const population = allPairsCount(texts);
  if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`a sample needs a whole number of pairs, not ${n}`);
  if (n >= population) throw new RangeError(`${n} sampled pairs is not fewer than the ${population} pairs of ${texts} texts`);
  const chosen = new Set<number>();
  for (let t = population - n; t < population; t++) {
    const r = Math.min(t, Math.floor(random53(random) * (t + 1)));
    chosen.add(chosen.has(r) ? t : r);
  }
  const ranks = Float64Array.from(chosen).sort();
  const i = new Uint32Array(n);
  const j = new Uint32Array(n);
  ranks.forEach((p, k) => {
    [i[k], j[k]] = unrankPair(p, texts);
  });
  return { kind: 'sample', texts, count: n, i, j, population };
}

/**
 * A pair list: two texts per line, separated by a tab (blank lines are skipped). A text that
 * appears on several lines is one text, encoded once. Throws with the line at fault.
 */
export function parsePairList(content: string): { texts: string[]; plan: PairPlan } {
  const index = new Map<string, number>();
  const texts: string[] = [];
  const is: number[] = [];
  const js: number[] = [];
  const id = (text: string) => {
    let k = index.get(text);
    if (k === undefined) {
      k = texts.push(text) - 1;
      index.set(text, k);
    }
    return k;
  };
  splitLines(content).forEach((line, k) => {
    if (line.trim() === '') return;
    const fields = line.split('\t');
    if (fields.length !== 2) {
      throw new Error(`line ${k + 1} has ${fields.length === 1 ? 'no tab' : `${fields.length} tab-separated fields`}: a pair list needs two texts per line, separated by one tab`);
    }
    const [a, b] = fields.map((f) => f.trim());
    if (!a || !b) throw new Error(`line ${k + 1}: the ${a ? 'second' : 'first'} text is empty`);
    is.push(id(a));
    js.push(id(b));
  });
  if (!is.length) throw new Error('the pair list has no pairs: give two texts per line, separated by a tab');
  return { texts, plan: { kind: 'list', texts: texts.length, count: is.length, i: Uint32Array.from(is), j: Uint32Array.from(js) } };
}

/** The first `limit` pairs of a list or sample (all pairs: the caller limits the texts instead). */
/**
 * A short fingerprint of which pairs a plan measures (FNV-1a over its kind, size and pairs), so a
 * kept run can tell whether the same input still plans the same pairs.
 */
export function planDigest(plan: PairPlan): string {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    for (let b = 0; b < 4; b++) {
      h ^= (v >>> (8 * b)) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  };
  mix(plan.kind === 'all' ? 0 : plan.kind === 'list' ? 1 : 2);
  mix(plan.texts);
  mix(plan.count);
  for (let k = 0; k < (plan.i?.length ?? 0); k++) {
    mix(plan.i![k]);
    mix(plan.j![k]);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function limitPlan(plan: PairPlan, limit: number): PairPlan {
  if (plan.kind === 'all' || limit >= plan.count) return plan;
  return { ...plan, count: limit, i: plan.i!.slice(0, limit), j: plan.j!.slice(0, limit) };
}

/**
 * The plan over only the texts it uses (a sample of a large corpus touches few of them), with
 * the original index of each kept text. 'all' uses every text.
 */
export function compactPlan(plan: PairPlan): { plan: PairPlan; textIndex: Uint32Array } {
  if (plan.kind === 'all') return { plan, textIndex: Uint32Array.from({ length: plan.texts }, (_, k) => k) };
  const used = new Uint8Array(plan.texts);
  for (let k = 0; k < plan.count; k++) used[plan.i![k]] = used[plan.j![k]] = 1;
  return remap(plan, used);
}

/**
 * The plan without some texts (e.g. texts with no tokens under a model): 'all' becomes all
 * pairs of the rest; a list or sample loses the pairs that touch a dropped text.
 */
export function dropTexts(plan: PairPlan, keep: ArrayLike<boolean | number>): { plan: PairPlan; textIndex: Uint32Array; droppedPairs: number } {
  if (plan.kind === 'all') {
    const textIndex = Uint32Array.from(Array.from({ length: plan.texts }, (_, k) => k).filter((k) => keep[k]));
    const kept = allPairsPlan(textIndex.length);
    return { plan: kept, textIndex, droppedPairs: plan.count - kept.count };
  }
  const { plan: kept, textIndex } = remap(plan, keep);
  return { plan: kept, textIndex, droppedPairs: plan.count - kept.count };
}

function remap(plan: PairPlan, keep: ArrayLike<boolean | number>): { plan: PairPlan; textIndex: Uint32Array } {
  const newIndex = new Int32Array(plan.texts).fill(-1);
  const textIndex: number[] = [];
  for (let k = 0; k < plan.texts; k++) if (keep[k]) newIndex[k] = textIndex.push(k) - 1;
  const is: number[] = [];
  const js: number[] = [];
  for (let k = 0; k < plan.count; k++) {
    const a = newIndex[plan.i![k]];
    const b = newIndex[plan.j![k]];
    if (a >= 0 && b >= 0) {
      is.push(a);
      js.push(b);
    }
  }
  return {
    plan: { ...plan, texts: textIndex.length, count: is.length, i: Uint32Array.from(is), j: Uint32Array.from(js) },
    textIndex: Uint32Array.from(textIndex),
  };
}
