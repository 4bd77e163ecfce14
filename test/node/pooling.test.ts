/**
 * Every pooling strategy against an independent NumPy float64 computation on the same token
 * matrices (test/fixtures/generate_pooling_reference.py), through the functions the panel uses.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analysePair, pooledVectors } from '../../src/app/analysis';
import { tokenProbabilities, tokenRanks, wordRanksFromList, wordsOfTokens } from '../../src/app/word-frequency';
import { CpuSocmEngine } from '../../src/engine/cpu';
import type { EncodedText, EncoderInfo } from '../../src/encoders/types';
import { harmonicNumber, pooledVector, SIF_A, sifWeights, zipfProbability, type Pooling } from '../../src/math';
import { expectClose } from '../support/assert';

interface RefText { tokens: string[]; special: number[]; vectors: number[][] }
interface RefSide {
  rows: number[]; ranks: number[]; probabilities: number[]; weights: number[];
  pooled: Record<string, number[]>; norms: Record<string, number>; unit: Record<string, number[]>;
}
interface RefVariant { excludeSpecial: boolean; poolings: Pooling[]; sides: { a: RefSide; b: RefSide }; cosines: Record<string, number> }
interface RefCase { name: string; a: RefText; b: RefText; variants: RefVariant[] }
interface Reference { a: number; vocabularySize: number; harmonic: number; rankedWords: string[]; cases: RefCase[] }

const here = dirname(fileURLToPath(import.meta.url));
const ref: Reference = JSON.parse(readFileSync(resolve(here, '../fixtures/pooling-reference.json'), 'utf8'));
const ranks = wordRanksFromList(ref.rankedWords, ref.vocabularySize);

function encoded(t: RefText): EncodedText {
  const n = t.tokens.length;
  const d = t.vectors[0].length;
  const vectors = new Float32Array(n * d);
  t.vectors.forEach((row, i) => vectors.set(row, i * d));
  return {
    text: t.tokens.join(' '), tokens: t.tokens, ids: t.tokens.map((_, i) => i), special: Uint8Array.from(t.special),
    offsets: null, vectors, n, d, truncated: false, fullLength: n,
  };
}

function expectVector(got: ArrayLike<number>, want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let j = 0; j < want.length; j++) expectClose(got[j], want[j], 1e-12, 1e-13, `${what}[${j}]`);
}

const info = (c: RefCase): EncoderInfo => ({
  id: c.name, kind: c.name.startsWith('static') ? 'static' : 'transformer', device: 'cpu', dtype: 'fp32', width: c.a.vectors[0].length, maxTokens: 512,
});

describe('SIF weights and word probabilities', () => {
  it('H_V and Zipf probabilities agree with NumPy; a is the authors\' default 1e-3', () => {
    expectClose(harmonicNumber(ref.vocabularySize), ref.harmonic, 1e-14, 0, 'H_V');
    expect(SIF_A).toBe(ref.a);
    expectClose(zipfProbability(1, ref.vocabularySize), 1 / ref.harmonic, 1e-14, 0, 'p(rank 1)');
    // Past 1e6 words the asymptotic series takes over: it must agree with the exact sum there.
    expectClose(harmonicNumber(2_000_000), harmonicNumber(1_000_000) + Array.from({ length: 1_000_000 }, (_, k) => 1 / (1_000_001 + k)).reduce((s, x) => s + x, 0), 1e-13, 0, 'H_2e6');
    expect(() => zipfProbability(0, 10)).toThrow(/rank starts at 1/);
  });

  it('each weight is a / (a + p(w)) of its token, with ranks from the word each token belongs to', () => {
    for (const c of ref.cases) {
      for (const [label, t] of [['a', c.a], ['b', c.b]] as const) {
        const side = c.variants[0].sides[label];
        const r = tokenRanks(t.tokens, t.special, ranks);
        expect(side.rows.map((i) => r[i]), `${c.name} ${label} ranks`).toEqual(side.ranks);
        const p = tokenProbabilities(t.tokens, t.special, ranks);
        const w = sifWeights(side.rows.map((i) => p[i]));
        side.rows.forEach((row, k) => {
          expectClose(p[row], side.probabilities[k], 1e-13, 0, `${c.name} p`);
          expectClose(w[k], side.weights[k], 1e-13, 0, `${c.name} w`);
          expectClose(w[k], SIF_A / (SIF_A + p[row]), 1e-15, 0, 'formula');
        });
      }
    }
  });

  it('joins WordPiece ## pieces and BPE Ġ-marked words; special tokens have no word', () => {
    expect(wordsOfTokens(['[CLS]', 'collapse', '##s', 'the', '[SEP]'], [1, 0, 0, 0, 1])).toEqual([null, 'collapses', 'collapses', 'the', null]);
    expect(wordsOfTokens(['<s>', 'The', 'Ġpaper', 's', 'Ġwere', '</s>'], [1, 0, 0, 0, 0, 1])).toEqual([null, 'the', 'papers', 'papers', 'were', null]);
    expect(wordsOfTokens(['▁Night', '▁and', '▁D', 'ay'], [0, 0, 0, 0])).toEqual(['night', 'and', 'day', 'day']);
    // A frequent word weighs less than a rare one; special tokens weigh as the most frequent word.
    const w = sifWeights(tokenProbabilities(['[CLS]', 'of', 'covariance', 'zzz', 'the'], [1, 0, 0, 0, 0], ranks));
    expect(w[0]).toBe(w[4]);
    expect(w[0]).toBeLessThan(w[1]);
    expect(w[1]).toBeLessThan(w[2]);
    expect(w[2]).toBeLessThan(w[3]);
    expect(() => sifWeights([0.1], 0)).toThrow(/positive/);
  });
});

describe('pooled vectors equal NumPy on the token matrix', () => {
  it('mean, CLS, max, last token and SIF-weighted mean, with and without special tokens', () => {
    let checked = 0;
    for (const c of ref.cases) {
      for (const v of c.variants) {
        for (const [label, t] of [['a', c.a], ['b', c.b]] as const) {
          const side = v.sides[label];
          const got = pooledVectors(encoded(t), side.rows, v.poolings, side.weights);
          for (const p of v.poolings) {
            expectVector(got.get(p)!, side.pooled[p], `${c.name} ${label} ${p} exclude=${v.excludeSpecial}`);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('the panel analysis: same vectors, norms, L2-normalised projections and cos(A, B) per strategy', async () => {
    const engine = new CpuSocmEngine();
    for (const c of ref.cases) {
      for (const v of c.variants) {
        const result = await analysePair(engine, encoded(c.a), encoded(c.b), info(c), v.excludeSpecial, 0, ranks);
        expect(result.pooled.map((p) => p.pooling), c.name).toEqual(v.poolings);
        for (const p of result.pooled) {
          const what = `${c.name} ${p.pooling} exclude=${v.excludeSpecial}`;
          expectVector(p.vectorA, v.sides.a.pooled[p.pooling], `${what} A`);
          expectVector(p.vectorB, v.sides.b.pooled[p.pooling], `${what} B`);
          expectClose(p.normA, v.sides.a.norms[p.pooling], 1e-12, 0, `${what} ||A||`);
          expectClose(p.normB, v.sides.b.norms[p.pooling], 1e-12, 0, `${what} ||B||`);
          expectClose(p.cosine, v.cosines[p.pooling], 1e-12, 1e-14, `${what} cos`);
          const [v1, v2] = result.view.axes;
          const unit = v.sides.a.unit[p.pooling];
          expectClose(p.unitA[0], unit.reduce((s, x, j) => s + x * v1[j], 0), 1e-12, 1e-14, `${what} unit A · v1`);
          expectClose(p.unitA[1], unit.reduce((s, x, j) => s + x * v2[j], 0), 1e-12, 1e-14, `${what} unit A · v2`);
        }
        expect(result.sif?.a).toHaveLength(v.sides.a.rows.length);
        result.sif!.a.forEach((w, k) => expectClose(w, v.sides.a.weights[k], 1e-13, 0, `${c.name} SIF weight`));
      }
    }
  });

  it('without word ranks there is no weighted pooling; a weighted pool needs one weight per token', async () => {
    const c = ref.cases[0];
    const result = await analysePair(new CpuSocmEngine(), encoded(c.a), encoded(c.b), info(c), false, 0);
    expect(result.pooled.map((p) => p.pooling)).toEqual(['mean', 'cls', 'max', 'last']);
    expect(() => pooledVector([1, 2, 3, 4], 2, 2, 'weighted', [1])).toThrow(/one weight per token/);
    expect(Array.from(pooledVector([1, 2, 3, 4], 2, 2, 'weighted', [1, 0]))).toEqual([0.5, 1]);
  });
});
