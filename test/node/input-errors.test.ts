import { describe, expect, it } from 'vitest';
import { pairwiseCpu, socmOfTexts, SocmInputError, tokenMatrixFromRows } from '../../src/math';
import { toMatrix } from '../support/random';

describe('bad input gets a one-line message naming the problem', () => {
  const cases: [string, unknown, RegExp][] = [
    ['empty list', [], /no tokens/],
    ['not a list', { a: 1 }, /expected a list/],
    ['ragged rows', [[1, 2], [1]], /ragged rows: token 1 has 1 values, token 0 has 2/],
    ['NaN', [[1, Number.NaN]], /token 0, dimension 1 is NaN/],
    ['null value', [[1, null]], /token 0, dimension 1 is null/],
    ['string value', [[1, '2']], /a string/],
    ['width 0', [[]], /width 0/],
  ];
  for (const [name, rows, message] of cases) {
    it(name, () => {
      expect(() => tokenMatrixFromRows(rows, 'text A')).toThrowError(message);
      try {
        tokenMatrixFromRows(rows, 'text A');
      } catch (e) {
        expect(e).toBeInstanceOf(SocmInputError);
        expect((e as Error).message).toMatch(/^text A: /);
        expect((e as Error).message).not.toContain('\n');
      }
    });
  }

  it('zero-norm mean', () => {
    expect(() => socmOfTexts(toMatrix([[1, 1], [-1, -1]]), toMatrix([[1, 0]]))).toThrowError(/text A: the mean of its token vectors has zero norm/);
  });

  it('mismatched widths', () => {
    expect(() => socmOfTexts(toMatrix([[1, 1]]), toMatrix([[1, 0, 2]]))).toThrowError(/text A has width 2 but text B has width 3/);
  });

  it('pairwise needs two texts of one width', async () => {
    await expect(pairwiseCpu([toMatrix([[1]])])).rejects.toThrowError(/at least 2 texts/);
    await expect(pairwiseCpu([toMatrix([[1]]), toMatrix([[1, 2]])])).rejects.toThrowError(/text 1 has width 2 but text 0 has width 1/);
  });
});
