import { describe, expect, it } from 'vitest';
import { defaultState, parseState, serializeState, serializeWithTexts } from '../../src/app/url-state';
import { cosine, pooledVector } from '../../src/math';

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
