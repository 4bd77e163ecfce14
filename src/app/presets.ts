/** Text pairs chosen to teach (the first is the paper's Figure 1 pair). */
export interface Preset {
  id: string;
  label: string;
  a: string;
  b: string;
  lesson: string;
}

export const PRESETS: Preset[] = [
  {
    id: 'figure1',
    label: 'Paper, Figure 1',
    a: 'Virginia Woolf set many scenes of her novel “Night and Day” (1919) in Russell Square',
    b: 'Ghiz was born in Charlottetown, Prince Edward Island, to Atallah Joseph Ghiz, a Lebanese corner store owner, and Marguerite F. Ghiz (née McKarris).',
    lesson: 'Unrelated sentences: a backbone often puts their means close (high SOCM); a fine-tuned encoder pulls them apart.',
  },
  {
    id: 'paraphrase',
    label: 'Paraphrase',
    a: 'The committee approved the new budget after a long debate.',
    b: 'After lengthy discussion, the panel passed the new budget.',
    lesson: 'Same meaning, different words: means should be close, and so should the clouds.',
  },
  {
    id: 'unrelated',
    label: 'Unrelated',
    a: 'The volcano erupted twice during the winter of 1783.',
    b: 'She prefers green tea with a little honey in the morning.',
    lesson: 'Different topics: a good encoder keeps the means apart (large d1, low SOCM).',
  },
  {
    id: 'word-order',
    label: 'Same words, new order',
    a: 'The dog bit the man in the park.',
    b: 'The man bit the dog in the park.',
    lesson: 'Identical bags of words: a static encoder gives identical means (d1 = 0); a contextual one need not.',
  },
  {
    id: 'long-short',
    label: 'Long vs short',
    a: 'Rain.',
    b: 'Heavy rain fell across the northern valleys through the night, flooding roads, closing two schools and cutting power to several villages before it eased at dawn.',
    lesson: 'Two tokens against thirty: a tiny cloud has little spread to compare.',
  },
];
