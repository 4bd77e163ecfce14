import { EMPTY_CORPUS, unpackCorpus, type CorpusSession } from './corpus/session';
import { defaultState, droppedModels, parseState, type ViewState } from './url-state';

/** What the page starts from. */
export interface Boot {
  state: ViewState;
  corpusText: string;
  corpus: CorpusSession;
  /** Said once on the page: ids left out of the link, a session that could not be read. */
  notes: string[];
  /** Parts the last visit had not finished saving (to save now). */
  unsaved: ('view' | 'corpusText' | 'corpus')[];
}

/** A ViewState from storage or history, completed with defaults; undefined when it is not one. */
export function asViewState(value: unknown): ViewState | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Partial<ViewState>;
  if (typeof v.a !== 'string' || typeof v.b !== 'string' || !Array.isArray(v.models) || !v.models.length) return undefined;
  return { ...defaultState(), ...v };
}

/**
 * Where the page starts: this tab's history entry (a reload, Back), else the link's query, else
 * the session saved in this browser, else the defaults. Corpus texts and runs are never in a
 * link, so they always come from the saved session.
 */
export function bootState(saved: Partial<Record<'view' | 'corpusText' | 'corpus', unknown>> & { unsaved?: Boot['unsaved'] }, historyState: unknown, search: string, loadError?: string): Boot {
  const notes: string[] = [];
  let state = asViewState((historyState as { poolscope?: unknown } | null)?.poolscope);
  if (!state && search.replace(/^\?/, '')) {
    state = parseState(search);
    const dropped = droppedModels(search);
    if (dropped.length) {
      notes.push(`The link names ${dropped.length + state.models.length} models; only ${state.models.length} panels fit, so ${dropped.length} were left out: ${dropped.slice(0, 6).join(', ')}${dropped.length > 6 ? ', …' : ''}.`);
    }
  }
  state ??= asViewState(saved.view) ?? defaultState();
  if (loadError) notes.push(`The saved session could not be read (${loadError}); starting afresh.`);
  return {
    state,
    corpusText: typeof saved.corpusText === 'string' ? saved.corpusText : '',
    corpus: saved.corpus ? unpackCorpus(saved.corpus) : EMPTY_CORPUS,
    notes,
    unsaved: saved.unsaved ?? [],
  };
}
