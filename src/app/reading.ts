import type { PairStats } from '../math';
import { plural } from './format';

/**
 * What the page says about a pair, and when it says nothing. The thresholds are shown next to
 * every reading, so a reader can see where a verdict comes from.
 */
export const READING = {
  /** d1 below this: the means (the mean-pooled embeddings) are close. */
  meansClose: 0.1,
  /** d2 above this: the token clouds' covariances differ. */
  cloudsDiffer: 0.02,
  /** Fewer measured tokens than this in a text: no verdict (a covariance of 1 or 2 points is not a cloud). */
  minTokens: 3,
  /** More than this share of a text unknown to the encoder (no GloVe vector, or [UNK]): no verdict. */
  maxUnknownShare: 0.5,
} as const;

export const THRESHOLDS_TEXT = `means close when d1 < ${READING.meansClose}; clouds differ when d2 > ${READING.cloudsDiffer}; `
  + `read only with ≥ ${READING.minTokens} measured tokens per text and at most half of a text unknown to the model`;

/** A plain-language reading of a pair's numbers. */
export function verdict(stats: PairStats): string {
  const meansClose = stats.d1 < READING.meansClose;
  const cloudsDiffer = stats.d2 > READING.cloudsDiffer;
  if (meansClose && cloudsDiffer) return 'Means close, clouds differ: mean pooling hides this difference.';
  if (meansClose) return 'Means close and clouds alike: there is little for mean pooling to hide.';
  if (cloudsDiffer) return 'Means apart: mean pooling already tells these texts apart (the clouds differ too).';
  return 'Means apart, clouds alike: mean pooling tells these texts apart.';
}

/** What a panel knows about one text's cloud (see CloudSide in analysis.ts). */
export interface SideCounts {
  tokens: string[];
  special: Uint8Array;
  /** Rows measured (indices into tokens). */
  rows: number[];
  /** Words with no vector (static encoders), left out of `tokens`. */
  unknown: string[];
}

const UNKNOWN_TOKEN = /^(\[UNK\]|<unk>|<UNK>|<\|unk\|>)$/;

/**
 * Why a text's cloud is too small to read, or undefined when it is fine: fewer than
 * READING.minTokens measured tokens, or most of the text unknown to the model (words without a
 * GloVe vector; [UNK] tokens of a subword tokenizer).
 */
export function tooLittle(label: string, side: SideCounts, isStatic: boolean): string | undefined {
  const measured = side.rows.length;
  const words = side.unknown.length + side.rows.length;
  const unknownNote = isStatic && side.unknown.length
    ? ` (${formatShare(side.unknown.length, words)} words have no GloVe vector)`
    : '';
  if (measured < READING.minTokens) {
    return `text ${label} has only ${plural(measured, 'token')} with a vector${unknownNote}`;
  }
  if (isStatic) {
    if (side.unknown.length > READING.maxUnknownShare * words) return `most of text ${label} is unknown to GloVe${unknownNote}`;
    return undefined;
  }
  // Tokenizers count [UNK] among their special tokens; here it is part of the text's body.
  const body = side.rows.filter((r) => side.special[r] === 0 || UNKNOWN_TOKEN.test(side.tokens[r]));
  const unk = body.filter((r) => UNKNOWN_TOKEN.test(side.tokens[r])).length;
  if (body.length && unk > READING.maxUnknownShare * body.length) {
    return `most of text ${label} is unknown to the tokenizer (${formatShare(unk, body.length)} tokens are ${side.tokens[body.find((r) => UNKNOWN_TOKEN.test(side.tokens[r]))!]})`;
  }
  return undefined;
}

function formatShare(part: number, whole: number): string {
  return `${part.toLocaleString('en-US')} of ${whole.toLocaleString('en-US')}`;
}

/** Reasons (one per text) why the pair gets no verdict; empty when it can be read. */
export function readingProblems(a: SideCounts, b: SideCounts, isStatic: boolean): string[] {
  return [tooLittle('A', a, isStatic), tooLittle('B', b, isStatic)].filter((r): r is string => Boolean(r));
}
