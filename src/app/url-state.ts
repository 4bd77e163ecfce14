import { defaultSandbox, parseSandbox, writeSandbox, type SandboxParams } from '../sandbox';
import { PRESETS } from './presets';

/** Everything a link reproduces. */
export interface ViewState {
  a: string;
  b: string;
  /**
   * One to four panels' models (catalog names, hub ids, org/name under /models/, or glove), each
   * with an optional `:dtype` of its own (`poolscope/tiny-bert:q8`); see splitModelSpec.
   */
  models: string[];
  excludeSpecial: boolean;
  /** The dtype of panels (and corpus models) that do not name their own. */
  dtype: 'fp32' | 'q8' | 'fp16';
  /** 1-σ ellipses on the PCA plots. */
  ellipses: boolean;
  theme: 'auto' | 'light' | 'dark';
  /** 'pair': the two-text playground; 'corpus': all pairs of many texts; 'sandbox': clouds to drag. */
  view: 'pair' | 'corpus' | 'sandbox';
  /** Corpus settings (texts are never in the URL: they may be large). */
  corpusModels: string[];
  corpusLimit: number;
  /** The layer corpus runs measure (models with layers); absent: the last. */
  corpusLayer?: number;
  /** The sandbox's clouds, steps and story (in the URL only when view=sandbox). */
  sandbox: SandboxParams;
  /** Classroom mode: projector theme, large type, controls behind the C key. */
  classroom: boolean;
}

export const DEFAULT_CORPUS_LIMIT = 100;

/**
 * The paper's Figure 1 pair: the backbone bert-base-uncased next to its contrastively fine-tuned
 * child thenlper/gte-base, both from their own weights (every layer). They download once (the page
 * says how much and asks first); without network each panel says so and offers GloVe.
 */
export const DEFAULT_MODELS = ['bert-base-uncased', 'thenlper/gte-base'];
/** The corpus view's default models: light ones (all pairs of many texts under each). */
export const DEFAULT_CORPUS_MODELS = ['glove', 'thenlper/gte-small'];
export const MAX_PANELS = 4;

export function defaultState(): ViewState {
  return {
    a: PRESETS[0].a, b: PRESETS[0].b, models: [...DEFAULT_MODELS], excludeSpecial: false, dtype: 'fp32', ellipses: false, theme: 'auto',
    view: 'pair', corpusModels: [...DEFAULT_CORPUS_MODELS], corpusLimit: DEFAULT_CORPUS_LIMIT,
    sandbox: defaultSandbox(), classroom: false,
  };
}

/** `?a=<text>&b=<text>&models=<id1>,<id2>[&special=exclude][&dtype=q8][&theme=dark]` */
export function parseState(search: string): ViewState {
  const p = new URLSearchParams(search);
  const state = defaultState();
  if (p.has('a')) state.a = p.get('a') ?? '';
  if (p.has('b')) state.b = p.get('b') ?? '';
  if (p.has('models')) {
    const models = (p.get('models') ?? '').split(',').map((m) => m.trim()).filter(Boolean).slice(0, MAX_PANELS);
    if (models.length) state.models = models;
  }
  state.excludeSpecial = p.get('special') === 'exclude';
  const dtype = p.get('dtype');
  if (dtype === 'q8' || dtype === 'fp16') state.dtype = dtype;
  state.ellipses = p.get('ellipses') === '1';
  const theme = p.get('theme');
  if (theme === 'light' || theme === 'dark') state.theme = theme;
  if (p.get('view') === 'corpus') state.view = 'corpus';
  if (p.get('view') === 'sandbox') {
    state.view = 'sandbox';
    state.sandbox = parseSandbox(p);
  }
  state.classroom = p.get('classroom') === '1';
  const corpusModels = (p.get('cmodels') ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  if (corpusModels.length) state.corpusModels = corpusModels;
  const limit = Number(p.get('climit'));
  if (Number.isInteger(limit) && limit >= 2) state.corpusLimit = limit;
  const layer = p.get('clayer');
  if (layer !== null && /^-?\d+$/.test(layer)) state.corpusLayer = Number(layer);
  return state;
}

/** Links longer than this break servers and chat apps; longer texts stay out of the URL. */
export const MAX_LINK_TEXT = 6000;

/** The query string for a state; `textsInLink` is false when the texts were too long to include. */
export function serializeWithTexts(state: ViewState): { query: string; textsInLink: boolean } {
  const full = serializeState(state);
  if (full.length <= MAX_LINK_TEXT) return { query: full, textsInLink: true };
  return { query: serializeState(state, false), textsInLink: false };
}

export function serializeState(state: ViewState, withTexts = true): string {
  const p = new URLSearchParams();
  // The sandbox's links carry its own state, not the playground's texts.
  if (withTexts && state.view !== 'sandbox') {
    p.set('a', state.a);
    p.set('b', state.b);
  }
  p.set('models', state.models.join(','));
  if (state.excludeSpecial) p.set('special', 'exclude');
  if (state.dtype !== 'fp32') p.set('dtype', state.dtype);
  if (state.ellipses) p.set('ellipses', '1');
  if (state.theme !== 'auto') p.set('theme', state.theme);
  if (state.view === 'corpus') {
    p.set('view', 'corpus');
    p.set('cmodels', state.corpusModels.join(','));
    p.set('climit', String(state.corpusLimit));
    if (state.corpusLayer !== undefined) p.set('clayer', String(state.corpusLayer));
  }
  if (state.view === 'sandbox') {
    p.set('view', 'sandbox');
    writeSandbox(p, state.sandbox);
  }
  if (state.classroom) p.set('classroom', '1');
  return `?${p.toString()}`;
}

/** Ids in `?models=` beyond the panels that fit (MAX_PANELS), so the page can say they were left out. */
export function droppedModels(search: string): string[] {
  const p = new URLSearchParams(search);
  return (p.get('models') ?? '').split(',').map((m) => m.trim()).filter(Boolean).slice(MAX_PANELS);
}

export { modelSpec, splitModelSpec, withLayer, type PanelSpec } from '../encoders/model-spec';
