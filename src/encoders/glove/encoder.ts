import { onlyLastLayer, type EncodedText, type EncodeOptions, type Encoder, type EncoderInfo } from '../types';
import type { WordVectors } from './asset';

export const GLOVE_ID = 'glove';
/** Words kept per text: a 10,000-word paste stays interactive (and says it was cut). */
export const GLOVE_MAX_WORDS = 1024;

/**
 * The static encoder's tokeniser: NFKC, lower case, then runs of letters/marks/digits (with
 * inner apostrophes or hyphens: "don't", "well-known") as words, and every other visible
 * character as its own token ("," "(" "€"). Whitespace separates and is dropped.
 */
export function wordTokens(text: string): { token: string; start: number; end: number }[] {
  const out: { token: string; start: number; end: number }[] = [];
  const pattern = /[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
  for (const m of text.matchAll(pattern)) {
    out.push({ token: m[0].normalize('NFKC').toLowerCase().replace(/’/g, "'"), start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

/**
 * GloVe word vectors as an encoder: each known word is a token with its static vector (the
 * same word always gets the same vector, unlike a contextual encoder). Unknown words are left
 * out and listed in `unknown`. No special tokens; texts are cut at GLOVE_MAX_WORDS known words.
 */
export function gloveEncoder(table: WordVectors): Encoder {
  const { dims, vectors, index } = table;
  const info: EncoderInfo = { id: GLOVE_ID, kind: 'static', device: 'cpu', dtype: 'fp32', width: dims, maxTokens: GLOVE_MAX_WORDS };
  return {
    info,
    async encode(texts: string[], options?: EncodeOptions): Promise<EncodedText[]> {
      onlyLastLayer(info, options);
      return texts.map((text) => {
        const known: { token: string; id: number; start: number; end: number }[] = [];
        const unknown: string[] = [];
        for (const t of wordTokens(text)) {
          const id = index.get(t.token);
          if (id === undefined) unknown.push(t.token);
          else known.push({ ...t, id });
        }
        const fullLength = known.length;
        known.splice(GLOVE_MAX_WORDS);
        const n = known.length;
        const out = new Float32Array(n * dims);
        known.forEach((k, i) => out.set(vectors.subarray(k.id * dims, (k.id + 1) * dims), i * dims));
        return {
          text, tokens: known.map((k) => k.token), ids: known.map((k) => k.id), special: new Uint8Array(n),
          offsets: known.map((k) => [k.start, k.end] as [number, number]), vectors: out, n, d: dims,
          truncated: fullLength > n, fullLength, unknown,
        };
      });
    },
    async dispose() {},
  };
}
