import { defaultSandbox, parseSandbox, writeSandbox, type SandboxParams } from '../sandbox';
import { PRESETS } from './presets';

/** Everything a link reproduces. */
export interface ViewState {
  a: string;
  b: string;
  /** One to four model ids (catalog names, hub ids, org/name under /models/, or glove). */
  models: string[];
  excludeSpecial: boolean;
  dtype: 'fp32' | 'q8' | 'fp16';
  theme: 'auto' | 'light' | 'dark';
  /** 'pair': the two-text playground; 'corpus': all pairs of many texts; 'sandbox': clouds to drag. */
  view: 'pair' | 'corpus' | 'sandbox';
  /** Corpus settings (texts are never in the URL: they may be large). */
  corpusModels: string[];
  corpusLimit: number;
  /** The sandbox's clouds, steps and story (in the URL only when view=sandbox). */
  sandbox: SandboxParams;
  /** Classroom mode: projector theme, large type, controls behind the C key. */
  classroom: boolean;
}

export const DEFAULT_CORPUS_LIMIT = 100;

/**
 * glove (static, no download) vs gte-small (contextual, fine-tuned). No backbone in the paper's list
 * has a verified feature-extraction ONNX build on the hub (see the catalog), so a backbone default
 * would open on an error; pick one from a folder or the hub and the URL keeps it.
 */
export const DEFAULT_MODELS = ['glove', 'thenlper/gte-small'];
export const MAX_PANELS = 4;

export function defaultState(): ViewState {
  return {
    a: PRESETS[0].a, b: PRESETS[0].b, models: [...DEFAULT_MODELS], excludeSpecial: false, dtype: 'fp32', theme: 'auto',
    view: 'pair', corpusModels: [...DEFAULT_MODELS], corpusLimit: DEFAULT_CORPUS_LIMIT,
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
  if (state.theme !== 'auto') p.set('theme', state.theme);
  if (state.view === 'corpus') {
    p.set('view', 'corpus');
    p.set('cmodels', state.corpusModels.join(','));
    p.set('climit', String(state.corpusLimit));
  }
  if (state.view === 'sandbox') {
    p.set('view', 'sandbox');
    writeSandbox(p, state.sandbox);
  }
  if (state.classroom) p.set('classroom', '1');
  return `?${p.toString()}`;
}
