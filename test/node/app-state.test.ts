import { describe, expect, it } from 'vitest';
import { defaultState, droppedModels, MAX_PANELS, modelSpec, parseState, serializeState, serializeWithTexts, splitModelSpec, withLayer } from '../../src/app/url-state';
import { asViewState, bootState } from '../../src/app/session';
import { READING, readingProblems, THRESHOLDS_TEXT, tooLittle, verdict } from '../../src/app/reading';
import { labelSides } from '../../src/app/components/labels';
import { formatCount, formatDuration, formatNumber, plural } from '../../src/app/format';
import { EMPTY_CORPUS, packCorpus, packRows, pairTexts, unpackCorpus, unpackRows, withRun } from '../../src/app/corpus/session';
import type { CorpusResult } from '../../src/corpus/run';
import { cosine, pooledVector, type PairRow } from '../../src/math';

describe('URL state', () => {
  it('round-trips every field, including awkward text', () => {
    const state = { ...defaultState(), a: 'Café & “quotes” = 50%?\nline two 😀 中文', b: '', models: ['glove', 'poolscope/tiny-bert', 'Xenova/gte-small'], excludeSpecial: true, dtype: 'q8' as const, theme: 'dark' as const, view: 'corpus' as const, corpusModels: ['glove', 'poolscope/tiny-bert'], corpusLimit: 50 };
    expect(parseState(serializeState(state))).toEqual(state);
  });

  it('reads the documented contract and ignores junk', () => {
    const s = parseState('?a=hello&b=world&models=poolscope/tiny-bert,glove&special=exclude&dtype=bogus&theme=neon');
    expect(s).toMatchObject({ a: 'hello', b: 'world', models: ['poolscope/tiny-bert', 'glove'], excludeSpecial: true, dtype: 'fp32', theme: 'auto' });
    expect(parseState('?models=a,b,c,d,e,f').models).toHaveLength(4);
    expect(parseState('?models=').models).toEqual(defaultState().models);
    expect(parseState('').a).toBe(defaultState().a);
  });

  it('leaves texts out of the link when they are too long for one', () => {
    const long = { ...defaultState(), a: 'word '.repeat(5000) };
    const { query, textsInLink } = serializeWithTexts(long);
    expect(textsInLink).toBe(false);
    expect(query.length).toBeLessThan(500);
    expect(parseState(query).models).toEqual(long.models);
    expect(serializeWithTexts(defaultState()).textsInLink).toBe(true);
  });
});

describe('pooling', () => {
  const tokens = [1, 0, 3, 4, -1, 2]; // 3 tokens × 2 dims
  it('mean, CLS, max and last-token vectors', () => {
    expect(Array.from(pooledVector(tokens, 3, 2, 'mean'))).toEqual([1, 2]);
    expect(Array.from(pooledVector(tokens, 3, 2, 'cls'))).toEqual([1, 0]);
    expect(Array.from(pooledVector(tokens, 3, 2, 'max'))).toEqual([3, 4]);
    expect(Array.from(pooledVector(tokens, 3, 2, 'last'))).toEqual([-1, 2]);
  });
  it('cosine', () => {
    expect(cosine([1, 0], [0, 2])).toBe(0);
    expect(cosine([1, 1], [2, 2])).toBeCloseTo(1, 15);
    expect(cosine([0, 0], [1, 0])).toBeNaN();
  });
});

describe('URL state: per-panel dtype, ellipses, ids that do not fit', () => {
  it('round-trips the ellipses setting and per-panel dtypes', () => {
    const state = { ...defaultState(), models: ['glove', 'poolscope/tiny-bert:q8', 'Xenova/gte-small'], ellipses: true };
    const query = serializeState(state);
    expect(new URLSearchParams(query).get('ellipses')).toBe('1');
    expect(new URLSearchParams(query).get('models')).toBe('glove,poolscope/tiny-bert:q8,Xenova/gte-small');
    expect(parseState(query)).toEqual(state);
    expect(parseState('?models=glove').ellipses).toBe(false);
  });

  it('splits a model spec into model, build and layer, and writes each suffix only where it differs from the default', () => {
    expect(splitModelSpec('poolscope/tiny-bert:q8')).toEqual({ model: 'poolscope/tiny-bert', dtype: 'q8', route: 'onnx' });
    expect(splitModelSpec('poolscope/tiny-bert', 'q8')).toEqual({ model: 'poolscope/tiny-bert', dtype: 'q8', route: 'onnx' });
    expect(splitModelSpec('poolscope/tiny-bert:fp32', 'q8')).toEqual({ model: 'poolscope/tiny-bert', dtype: 'fp32', route: 'auto' });
    expect(splitModelSpec('org/name:bogus')).toEqual({ model: 'org/name:bogus', dtype: 'fp32', route: 'auto' });
    expect(splitModelSpec('poolscope/tiny-bert:onnx')).toEqual({ model: 'poolscope/tiny-bert', dtype: 'fp32', route: 'onnx' });
    expect(splitModelSpec('bert-base-uncased~3')).toEqual({ model: 'bert-base-uncased', dtype: 'fp32', route: 'auto', layer: 3 });
    expect(splitModelSpec('microsoft/MiniLM-L12-H384-uncased@refs/pr/1:onnx~-2')).toEqual({ model: 'microsoft/MiniLM-L12-H384-uncased@refs/pr/1', dtype: 'fp32', route: 'onnx', layer: -2 });
    expect(modelSpec('org/name', 'fp32')).toBe('org/name');
    expect(modelSpec('org/name', 'q8')).toBe('org/name:q8');
    expect(modelSpec('org/name', 'fp32', 'q8')).toBe('org/name:fp32');
    expect(modelSpec('org/name', 'onnx', 'fp32', 1)).toBe('org/name:onnx~1');
    expect(withLayer('org/name:q8~2', 5)).toBe('org/name:q8~5');
    expect(withLayer('org/name~2', undefined)).toBe('org/name');
  });

  it('names the ids of a long ?models= list that did not fit', () => {
    const ids = Array.from({ length: 7 }, (_, i) => `org/m${i}`);
    expect(parseState(`?models=${ids.join(',')}`).models).toEqual(ids.slice(0, MAX_PANELS));
    expect(droppedModels(`?models=${ids.join(',')}`)).toEqual(ids.slice(MAX_PANELS));
    expect(droppedModels('?models=glove')).toEqual([]);
  });
});

describe('where the page starts', () => {
  const saved = { view: { ...defaultState(), a: 'saved A', b: 'saved B', models: ['poolscope/tiny-bert'] }, corpusText: 'one\ntwo' };
  it('history entry first (reload, Back), then the link, then the saved session, then the defaults', () => {
    const entry = { poolscope: { ...defaultState(), a: 'history A' } };
    expect(bootState(saved, entry, '?a=link').state.a).toBe('history A');
    expect(bootState(saved, null, '?a=link').state.a).toBe('link');
    expect(bootState(saved, null, '').state.a).toBe('saved A');
    expect(bootState({}, null, '').state).toEqual(defaultState());
    // Corpus texts are never in a link: they come from the saved session whatever the address.
    expect(bootState(saved, null, '?a=link').corpusText).toBe('one\ntwo');
  });
  it('says which link ids were left out, and ignores a saved view that is not one', () => {
    const boot = bootState({}, null, `?models=${Array.from({ length: 20 }, (_, i) => `org/m${i}`).join(',')}`);
    expect(boot.notes[0]).toMatch(/^The link names 20 models; only 4 panels fit, so 16 were left out: org\/m4, org\/m5, org\/m6, org\/m7, org\/m8, org\/m9, …\.$/);
    expect(bootState({ view: { a: 1 } }, null, '').state).toEqual(defaultState());
    expect(asViewState({ ...defaultState(), models: [] })).toBeUndefined();
    // A view saved before a field existed gets that field's default.
    const { ellipses: _, ...old } = defaultState();
    expect(asViewState({ ...old, a: 'old' })).toEqual({ ...defaultState(), a: 'old' });
  });
});

describe('readings: verdict, thresholds, and when there is too little to read', () => {
  const stats = (d1: number, d2: number) => ({ d1, d2, socm: (1 - d1) * d2, traceA: 1, traceB: 1, tokensA: 5, tokensB: 5, flags: [] });
  it('reads d1 and d2 against the thresholds it shows', () => {
    expect(verdict(stats(0.05, 0.3))).toMatch(/^Means close, clouds differ/);
    expect(verdict(stats(0.05, 0.01))).toMatch(/^Means close and clouds alike/);
    expect(verdict(stats(0.5, 0.3))).toMatch(/^Means apart: mean pooling already/);
    expect(verdict(stats(0.5, 0.01))).toMatch(/^Means apart, clouds alike/);
    // At the thresholds themselves: d1 = 0.1 is not "close", d2 = 0.02 is not "differ".
    expect(verdict(stats(READING.meansClose, READING.cloudsDiffer))).toMatch(/^Means apart, clouds alike/);
    expect(THRESHOLDS_TEXT).toContain(`d1 < ${READING.meansClose}`);
    expect(THRESHOLDS_TEXT).toContain(`d2 > ${READING.cloudsDiffer}`);
  });

  const side = (tokens: string[], special: number[], unknown: string[] = []) => ({ tokens, special: Uint8Array.from(special), rows: tokens.map((_, i) => i), unknown });
  it('GloVe: fewer than 3 tokens with a vector, or most words unknown, is too little', () => {
    expect(tooLittle('A', side(['.'], [0], Array(21).fill('مرحبا')), true)).toBe('text A has only 1 token with a vector (21 of 22 words have no GloVe vector)');
    expect(tooLittle('B', side(['a', 'b'], [0, 0]), true)).toBe('text B has only 2 tokens with a vector');
    expect(tooLittle('A', side(['x', 'y', 'z'], [0, 0, 0], ['p', 'q', 'r', 's']), true)).toBe('most of text A is unknown to GloVe (4 of 7 words have no GloVe vector)');
    expect(tooLittle('A', side(['x', 'y', 'z'], [0, 0, 0], ['p', 'q', 'r']), true)).toBeUndefined();
  });
  it('subword models: [UNK] counts as the text (tokenizers list it as special), [CLS]/[SEP] do not', () => {
    expect(tooLittle('A', side(['[CLS]', '[UNK]', '[SEP]'], [1, 1, 1]), false)).toBe('most of text A is unknown to the tokenizer (1 of 1 tokens are [UNK])');
    expect(tooLittle('A', side(['<s>', '<unk>', '<unk>', 'hi', '</s>'], [1, 1, 1, 0, 1]), false)).toMatch(/2 of 3 tokens are <unk>/);
    expect(tooLittle('A', side(['[CLS]', 'the', 'city', '[UNK]', '[SEP]'], [1, 0, 0, 1, 1]), false)).toBeUndefined();
    expect(tooLittle('A', side(['[CLS]', '[SEP]'], [1, 1]), false)).toBe('text A has only 2 tokens with a vector');
    expect(readingProblems(side(['[CLS]', 'a', 'b', '[SEP]'], [1, 0, 0, 1]), side(['[CLS]', '[UNK]', '[SEP]'], [1, 1, 1]), false)).toEqual([
      'most of text B is unknown to the tokenizer (1 of 1 tokens are [UNK])',
    ]);
  });
});

describe('labels of two points never overlap', () => {
  it('puts them in opposite quadrants, each away from the other point', () => {
    expect(labelSides([0, 0], [0, 0])).toEqual(['top left', 'bottom right']);
    expect(labelSides([0, 0], [1, 1])).toEqual(['bottom left', 'top right']);
    expect(labelSides([0, 0], [-1, 1])).toEqual(['bottom right', 'top left']);
    expect(labelSides([0, 0], [1, -1])).toEqual(['top left', 'bottom right']);
    for (let k = 0; k < 200; k++) {
      const a = [Math.random() - 0.5, Math.random() - 0.5] as const;
      const b = [Math.random() - 0.5, Math.random() - 0.5] as const;
      const [pa, pb] = labelSides(a, b);
      // Label boxes grow from their point towards the named corner: A's box and B's box are
      // separated on at least one axis whenever the quadrants are opposite and point away.
      const [va, ha] = pa.split(' '), [vb, hb] = pb.split(' ');
      expect(va).not.toBe(vb);
      expect(ha).not.toBe(hb);
      expect(va === 'top' ? b[1] <= a[1] : b[1] > a[1]).toBe(true);
      expect(ha === 'left' ? b[0] >= a[0] : b[0] < a[0]).toBe(true);
    }
  });
});

describe('counts and durations as people read them', () => {
  it('thousands separators, and time left in s, min or h', () => {
    expect(formatCount(1999000)).toBe('1,999,000');
    expect(plural(1, 'text')).toBe('1 text');
    expect(plural(2000, 'text')).toBe('2,000 texts');
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(1308)).toBe('22 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatDuration(Number.NaN)).toBe('unknown time');
  });

  it('numbers: four decimals, exponents for the very small, and float32 rounding below zero shown as 0', () => {
    expect(formatNumber(0.25139)).toBe('0.2514');
    expect(formatNumber(9.08e-5)).toBe('9.08e-5');
    expect(formatNumber(-2.12e-9)).toBe('0');
    expect(formatNumber(-0.0123)).toBe('-0.0123');
    expect(formatNumber(-3e-5)).toBe('-3.00e-5');
  });
});

describe('corpus sessions', () => {
  const result = (rows: PairRow[]): CorpusResult => ({
    rows, traces: Float64Array.from([1, 2, 3]), withinCosine: Float64Array.from([0.5, 0.6, 0.7]),
    summary: { texts: 3, pairs: rows.length, mean_socm: 0.1, median_socm: 0.1, mean_d1: 0.2, mean_d2: 0.3, mean_trace: 2, mean_within_cosine: 0.6, flagged: 0 },
  });
  const batch = (id: string, texts: string[]) => ({ id, texts, excludeSpecial: false, limit: 100, startedAt: 1 });
  const run = (model: string, b: string, kept: number[], rows: PairRow[]) => ({ model, batch: b, kept, result: result(rows), seconds: 1, finishedAt: 2 });

  it('a finished run replaces only the same model\'s; unused batches go; rows open the texts they were computed on', () => {
    let s = withRun(EMPTY_CORPUS, batch('b1', ['t0', 't1', 't2']), run('glove', 'b1', [0, 1, 2], [[0, 1, 0.1, 0.2, 0.18]]));
    s = withRun(s, batch('b2', ['u0', 'u1', 'u2', 'u3']), run('poolscope/tiny-bert', 'b2', [1, 3], [[0, 1, 0.3, 0.4, 0.28]]));
    expect(s.runs.map((r) => r.model)).toEqual(['glove', 'poolscope/tiny-bert']);
    expect(pairTexts(s, s.runs[0], 0, 1)).toEqual(['t0', 't1']);
    // kept maps measured indices to the batch's texts (texts without tokens were left out).
    expect(pairTexts(s, s.runs[1], 0, 1)).toEqual(['u1', 'u3']);
    s = withRun(s, batch('b3', ['v0', 'v1']), run('glove', 'b3', [0, 1], [[0, 1, 0.5, 0.5, 0.25]]));
    expect(s.batches.map((b) => b.id)).toEqual(['b2', 'b3']);
    expect(pairTexts(s, s.runs.find((r) => r.model === 'glove')!, 0, 1)).toEqual(['v0', 'v1']);
  });

  it('packs rows into typed columns for IndexedDB and back, exactly', () => {
    const rows: PairRow[] = [[0, 1, 0.1, 0.2, 0.18], [0, 2, 1e-300, 3.5, 7 / 3], [1, 2, 0, 0, 0]];
    const s = withRun(EMPTY_CORPUS, batch('b1', ['a', 'b', 'c']), run('glove', 'b1', [0, 1, 2], rows));
    const packed = packCorpus(s);
    expect(packed.runs[0].rows.socm).toBeInstanceOf(Float64Array);
    expect(unpackRows(packRows(rows))).toEqual(rows);
    const back = unpackCorpus(structuredClone(packed));
    expect(back).toEqual(s);
    expect(unpackCorpus({ version: 2 })).toEqual(EMPTY_CORPUS);
    expect(unpackCorpus(undefined)).toEqual(EMPTY_CORPUS);
  });
});
