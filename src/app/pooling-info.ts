import { SIF_A, type Pooling } from '../math';

/** How each pooling is named, drawn and explained in a panel. */
export const POOLING_INFO: Record<Pooling, { name: string; symbol: string; explain: string }> = {
  mean: {
    name: 'mean', symbol: 'star',
    explain: 'Averages the measured tokens: the first-order statistic μ that d1 compares, and what sentence-transformers use.',
  },
  cls: {
    name: 'CLS token', symbol: 'diamond',
    explain: 'Takes the [CLS] token alone: a sentence vector only after sentence-level fine-tuning; a raw backbone’s [CLS] is a poor one.',
  },
  max: {
    name: 'max', symbol: 'square',
    explain: 'Keeps, in each dimension, the largest value over the tokens: salient features survive, everything but the winners is lost.',
  },
  last: {
    name: 'last token', symbol: 'triangle-up',
    explain: 'Takes the last token: decoders use it because only that token has seen the whole text; on an encoder it is [SEP] or the last word.',
  },
  weighted: {
    name: 'SIF-weighted mean', symbol: 'hexagon',
    explain: `Averages the tokens weighted by a/(a + p(w)), a = ${SIF_A} (SIF): frequent words and special tokens count little; p(w) by Zipf’s law from GloVe’s frequency rank of the token’s word.`,
  },
};
