import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { corpusLines } from '../corpus/parse';
import type { LayerStats } from '../engine/layers';
import type { PairStats } from '../math';
import { applyScene, STORY } from '../sandbox';
import { useClassroom } from './classroom';
import { CorpusView } from './corpus/CorpusView';
import { mergeStoredCorpus, packCorpus, runId, type CorpusSession, type StoredCorpus } from './corpus/session';
import { useCorpusRun } from './corpus/useCorpusRun';
import { EngineStatus } from './EngineStatus';
import { SandboxView } from './sandbox/SandboxView';
import { Landscape, type LandscapePoint } from './components/Landscape';
import { mergeRanges, stripRanges, type StripRanges } from './components/LayerStrip';
import { ModelPanel } from './components/ModelPanel';
import { Options } from './components/Options';
import { SessionControls } from './components/SessionControls';
import { TextInputs } from './components/TextInputs';
import { bootState, asViewState, type Boot } from './session';
import { clearSession, loadSession, useSessionSaver } from './session-store';
import { useEncoderWorker } from './useEncoderWorker';
import { useEngine } from './useEngine';

/** History calls made at once within a window (Safari throws past 100 in 10 s), then one per REPLACE_MS. */
const HISTORY_BURST = 60;
const HISTORY_WINDOW_MS = 10_000;
const REPLACE_MS = 350;
import { defaultState, MAX_PANELS, parseState, serializeWithTexts, type ViewState } from './url-state';

function usePrefersDark(): boolean {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    const update = () => setDark(Boolean(query?.matches));
    query?.addEventListener('change', update);
    return () => query?.removeEventListener('change', update);
  }, [query]);
  return dark;
}

/** Reads the saved session (IndexedDB) once, then shows the page. */
export function App() {
  const [boot, setBoot] = useState<Boot>();
  useEffect(() => {
    loadSession().then(
      (saved) => setBoot(bootState(saved, history.state, location.search)),
      (error: Error) => setBoot(bootState({}, history.state, location.search, error.message)),
    );
  }, []);
  if (!boot) return <main><p role="status" className="muted">Restoring your session…</p></main>;
  return <Workspace boot={boot} />;
}

/** A pair opened from the corpus: its model, and the playground it replaced (to restore). */
interface Opened { model: string; previous: Pick<ViewState, 'a' | 'b' | 'models'> }

let panelKeyCounter = 0;

function Workspace({ boot }: { boot: Boot }) {
  const [state, setState] = useState<ViewState>(boot.state);
  const [corpusText, setCorpusText] = useState(boot.corpusText);
  const [notes, setNotes] = useState(boot.notes);
  const [opened, setOpened] = useState<Opened>();
  const worker = useEncoderWorker();
  const { engine, fallBack } = useEngine();
  const corpus = useCorpusRun(worker, engine, boot.corpus);
  const prefersDark = usePrefersDark();
  const dark = state.theme === 'dark' || (state.theme === 'auto' && prefersDark);

  // The address bar always holds the view, so a link reproduces it (texts too long for a link
  // stay out). Navigations (a view switch, "Open") add a history entry, so Back returns; edits
  // replace the current one. The entry keeps the whole state, long texts included.
  const pushNext = useRef(false);
  const [textsInLink, setTextsInLink] = useState(true);
  // Edits (a keystroke, a drag step) replace the entry at once, up to HISTORY_BURST calls in
  // HISTORY_WINDOW_MS; beyond that (a long drag) at most every REPLACE_MS, the last one always:
  // Safari refuses (throws) past 100 history calls in 10 s. A refused call never takes the page
  // down; a pending one is written when the page is hidden (a reload, a closed tab).
  const replacing = useRef<{ writes: number[]; timer?: ReturnType<typeof setTimeout>; entry?: [unknown, string] }>({ writes: [] });
  const writeEntry = useCallback((push: boolean, entry: unknown, query: string) => {
    const r = replacing.current;
    const now = performance.now();
    r.writes = r.writes.filter((t) => now - t < HISTORY_WINDOW_MS);
    r.writes.push(now);
    try {
      if (push) history.pushState(entry, '', query);
      else history.replaceState(entry, '', query);
    } catch {
      // The browser's rate limit: the next edit writes it.
    }
  }, []);
  const flushEntry = useCallback(() => {
    const r = replacing.current;
    clearTimeout(r.timer);
    r.timer = undefined;
    if (r.entry) writeEntry(false, ...r.entry);
    r.entry = undefined;
  }, [writeEntry]);
  useEffect(() => {
    const { query, textsInLink: fits } = serializeWithTexts(state);
    const entry = { poolscope: state };
    const r = replacing.current;
    if (pushNext.current) {
      // The entry left behind keeps its latest state (Back returns to it), then the new one.
      flushEntry();
      writeEntry(true, entry, query);
    } else {
      r.entry = [entry, query];
      const now = performance.now();
      const busy = r.writes.filter((t) => now - t < HISTORY_WINDOW_MS).length >= HISTORY_BURST;
      if (!busy && !r.timer) flushEntry();
      else r.timer ??= setTimeout(flushEntry, REPLACE_MS);
    }
    pushNext.current = false;
    setTextsInLink(fits);
  }, [state, writeEntry, flushEntry]);
  useEffect(() => {
    addEventListener('pagehide', flushEntry);
    return () => removeEventListener('pagehide', flushEntry);
  }, [flushEntry]);
  useEffect(() => {
    const onPop = (e: PopStateEvent) => {
      // A pending edit belonged to the entry just left: it must not land on this one.
      clearTimeout(replacing.current.timer);
      replacing.current = { writes: replacing.current.writes };
      pushNext.current = false;
      setOpened(undefined);
      setState(asViewState((e.state as { poolscope?: unknown } | null)?.poolscope) ?? parseState(location.search));
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = state.classroom ? 'projector' : dark ? 'dark' : 'light';
  }, [dark, state.classroom]);
  const plotsDark = dark || state.classroom;

  const update = useCallback((patch: Partial<ViewState>) => setState((s) => ({ ...s, ...patch })), []);
  const onStory = useCallback((delta: number) => setState((s) => ({
    ...s, sandbox: applyScene(s.sandbox, Math.min(STORY.length - 1, Math.max(0, (s.sandbox.story ?? -1) + delta))),
  })), []);
  const { controlsHidden, toggleControls } = useClassroom(state.classroom, state.view === 'sandbox' ? onStory : undefined);
  const navigate = useCallback((patch: Partial<ViewState>) => {
    pushNext.current = true;
    setState((s) => ({ ...s, ...patch }));
  }, []);

  // Both views stay mounted once shown, so switching keeps each one's work (and a running corpus
  // job); plots drawn while hidden are resized when their view shows again.
  const [visited, setVisited] = useState(() => new Set([state.view]));
  useEffect(() => {
    setVisited((v) => (v.has(state.view) ? v : new Set([...v, state.view])));
    const frame = requestAnimationFrame(() => dispatchEvent(new Event('resize')));
    return () => cancelAnimationFrame(frame);
  }, [state.view]);

  // Stable keys: removing a panel must not hand its model, custom id or plot to its neighbour.
  const keys = useRef<number[]>([]);
  if (keys.current.length !== state.models.length) keys.current = state.models.map(() => ++panelKeyCounter);
  const [focusPanel, setFocusPanel] = useState<number>();
  const removePanel = useCallback((i: number) => {
    keys.current = keys.current.filter((_, k) => k !== i);
    setState((s) => ({ ...s, models: s.models.filter((_, k) => k !== i) }));
    setFocusPanel(Math.max(0, i - 1));
  }, []);
  const addPanel = useCallback(() => {
    keys.current = [...keys.current, ++panelKeyCounter];
    setState((s) => ({ ...s, models: [...s.models, 'glove'] }));
  }, []);
  useEffect(() => {
    if (focusPanel === undefined) return;
    document.querySelector<HTMLElement>(`[data-testid="panel-${focusPanel}"] h2`)?.focus();
    setFocusPanel(undefined);
  }, [focusPanel]);

  const stats = useRef<({ stats: PairStats; readable: boolean } | undefined)[]>([]);
  const [points, setPoints] = useState<LandscapePoint[]>([]);
  const onStats = useCallback((index: number, s: PairStats | undefined, readable: boolean) => {
    const now = stats.current[index];
    if (now?.stats === s && now?.readable === readable) return;
    stats.current[index] = s && { stats: s, readable };
    setPoints(stats.current.flatMap((p, i) => (p && i < state.models.length ? [{ label: state.models[i], ...p }] : [])));
  }, [state.models]);
  const texts = useMemo(() => ({ a: state.a, b: state.b }), [state.a, state.b]);
  // Panels of one depth (a backbone and its fine-tuned child) share their layer strips' axes.
  const [panelLayers, setPanelLayers] = useState<Record<number, LayerStats[] | undefined>>({});
  const onLayers = useCallback((index: number, layers: LayerStats[] | undefined) => {
    setPanelLayers((all) => (all[index] === layers ? all : { ...all, [index]: layers }));
  }, []);
  const sharedRanges = useMemo(() => {
    const byDepth = new Map<number, StripRanges[]>();
    state.models.forEach((_, i) => {
      const layers = panelLayers[i];
      if (layers) byDepth.set(layers.length - 1, [...(byDepth.get(layers.length - 1) ?? []), stripRanges(layers)]);
    });
    return (depth: number) => mergeRanges(byDepth.get(depth) ?? []);
  }, [panelLayers, state.models]);
  const openPair = useCallback((a: string, b: string, model: string) => {
    setOpened({ model, previous: { a: state.a, b: state.b, models: state.models } });
    navigate({ view: 'pair', a, b, models: [model] });
    window.scrollTo({ top: 0 });
  }, [navigate, state.a, state.b, state.models]);

  // Runs this tab has had (restored or made): stored runs it has never had came from another tab
  // and are kept when this tab saves (mergeStoredCorpus), not overwritten.
  const seenRuns = useRef(new Set<string>());
  for (const r of corpus.session.runs) seenRuns.current.add(runId(r));
  const saveStatus = useSessionSaver(
    { view: state, corpusText, corpus: corpus.session }, true, { corpus: (c) => packCorpus(c as CorpusSession) }, boot.unsaved,
    { corpus: (stored, ours) => mergeStoredCorpus(stored, ours as StoredCorpus, seenRuns.current) },
  );
  const clearAll = useCallback(async () => {
    corpus.cancel();
    corpus.clear();
    setCorpusText('');
    keys.current = [];
    setState(defaultState());
    setNotes([]);
    await clearSession();
  }, [corpus]);

  const corpusTexts = useMemo(() => corpusLines(corpusText).slice(0, state.corpusLimit), [corpusText, state.corpusLimit]);

  return (
    <main>
      <header className="page-head">
        <h1>Poolscope</h1>
        <p className="lead">
          What mean pooling keeps and what it collapses. <abbr title="Second-Order Collapse by Mean pooling">SOCM</abbr>, the
          degree of <strong>Second-Order Collapse by Mean pooling</strong>, is (1 − d1)·d2: d1 compares the two texts' mean token
          vectors (what mean pooling keeps), d2 their token clouds' covariances (what it throws away).
        </p>
      </header>
      {notes.map((n) => (
        <p key={n} className="flag" role="note" data-testid="page-note">⚑ {n} <button type="button" className="link-button" onClick={() => setNotes((all) => all.filter((x) => x !== n))}>Dismiss</button></p>
      ))}
      <nav className="tabs" aria-label="Views">
        <button type="button" aria-pressed={state.view === 'pair'} data-testid="view-pair" onClick={() => state.view !== 'pair' && navigate({ view: 'pair' })}>Two texts</button>
        <button type="button" aria-pressed={state.view === 'corpus'} data-testid="view-corpus" onClick={() => state.view !== 'corpus' && navigate({ view: 'corpus' })}>Corpus (many pairs)</button>
        <button type="button" aria-pressed={state.view === 'sandbox'} data-testid="view-sandbox" onClick={() => state.view !== 'sandbox' && navigate({ view: 'sandbox' })}>Sandbox (clouds to drag)</button>
        <button
          type="button" aria-pressed={state.classroom} data-testid="classroom"
          onClick={() => navigate(state.classroom ? { classroom: false } : { classroom: true, view: 'sandbox', sandbox: applyScene(state.sandbox, state.sandbox.story ?? 0) })}
        >{state.classroom ? 'Leave classroom mode' : 'Classroom mode'}</button>
      </nav>
      {state.classroom && (
        <p className="classroom-hint" data-testid="classroom-hint">
          {/* A button too: a touch screen or a whiteboard has no C key. */}
          <button type="button" className="link" data-testid="classroom-controls" aria-pressed={!controlsHidden} onClick={toggleControls}>
            C: {controlsHidden ? 'show' : 'hide'} controls
          </button>
          {state.view === 'sandbox' ? ' · ← →: story' : ''}
        </p>
      )}
      {state.view === 'sandbox' && (
        <SandboxView
          params={state.sandbox} onChange={(sandbox) => update({ sandbox })} engine={engine} onGpuLost={fallBack}
          theme={state.classroom ? 'projector' : dark ? 'dark' : 'light'}
        />
      )}
      {visited.has('corpus') && (
        <div hidden={state.view !== 'corpus'} data-testid="corpus-view">
          <CorpusView
            state={state} text={corpusText} texts={corpusTexts} onText={setCorpusText} onChange={update}
            run={corpus} worker={worker} engine={engine} dark={plotsDark} onOpen={openPair}
          />
        </div>
      )}
      {visited.has('pair') && (
        <div hidden={state.view !== 'pair'} data-testid="pair-view">
          {opened && (
            <p className="banner" role="status" data-testid="opened-banner">
              Opened a pair from the corpus run on {opened.model}.{' '}
              <button type="button" onClick={() => history.back()}>← Back to the corpus results</button>{' '}
              <button type="button" data-testid="restore-playground" onClick={() => { const { previous } = opened; setOpened(undefined); navigate(previous); }}>
                Restore my earlier texts and panels
              </button>{' '}
              <button type="button" className="link-button" onClick={() => setOpened(undefined)}>Dismiss</button>
            </p>
          )}
          <div className="controls">
            <TextInputs a={state.a} b={state.b} onChange={update} />
            <Options
              state={state} onChange={update}
              onAddPanel={state.models.length < MAX_PANELS ? addPanel : undefined}
            />
          </div>
          {!textsInLink && (
            <p className="flag" role="note" data-testid="link-note">
              ⚑ These texts are too long for a link: the page address keeps the models and options, not the texts (this browser keeps them).
            </p>
          )}
          <div className={`panels panels-${state.models.length}`}>
            {state.models.map((model, i) => (
              <ModelPanel
                key={keys.current[i]} index={i} model={model} worker={worker} engine={engine} texts={texts}
                excludeSpecial={state.excludeSpecial} defaultDtype={state.dtype} dark={plotsDark} showEllipses={state.ellipses}
                onModel={(m) => update({ models: state.models.map((x, k) => (k === i ? m : x)) })}
                onRemove={state.models.length > 1 ? () => removePanel(i) : undefined}
                onGpuLost={fallBack} onStats={onStats} onLayers={onLayers} stripRanges={sharedRanges}
              />
            ))}
          </div>
          <Landscape points={points} dark={plotsDark} />
        </div>
      )}
      <footer>
        <EngineStatus engine={engine} />
        <SessionControls status={saveStatus} onClear={clearAll} />
        <p>Texts never leave your browser; the only network traffic is model download. Hara et al. (2026), “Why Mean Pooling Works”.</p>
      </footer>
    </main>
  );
}
