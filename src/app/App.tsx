import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PairStats } from '../math';
import { applyScene, STORY } from '../sandbox';
import { useClassroom } from './classroom';
import { CorpusView } from './corpus/CorpusView';
import { SandboxView } from './sandbox/SandboxView';
import { EngineStatus } from './EngineStatus';
import { Landscape, type LandscapePoint } from './components/Landscape';
import { ModelPanel } from './components/ModelPanel';
import { Options } from './components/Options';
import { TextInputs } from './components/TextInputs';
import { useEncoderWorker } from './useEncoderWorker';
import { useEngine } from './useEngine';
import { MAX_PANELS, parseState, serializeWithTexts, type ViewState } from './url-state';

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

export function App() {
  const [state, setState] = useState<ViewState>(() => parseState(location.search));
  const [showEllipses, setShowEllipses] = useState(false);
  const worker = useEncoderWorker();
  const { engine, fallBack } = useEngine();
  const prefersDark = usePrefersDark();
  const dark = state.theme === 'dark' || (state.theme === 'auto' && prefersDark);

  // The URL always holds the view, so a link reproduces it (texts too long for a link stay out).
  const [textsInLink, setTextsInLink] = useState(true);
  useEffect(() => {
    const { query, textsInLink: fits } = serializeWithTexts(state);
    history.replaceState(null, '', query);
    setTextsInLink(fits);
  }, [state]);
  useEffect(() => {
    document.documentElement.dataset.theme = state.classroom ? 'projector' : dark ? 'dark' : 'light';
  }, [dark, state.classroom]);

  const update = useCallback((patch: Partial<ViewState>) => setState((s) => ({ ...s, ...patch })), []);
  const onStory = useCallback((delta: number) => setState((s) => ({
    ...s, sandbox: applyScene(s.sandbox, Math.min(STORY.length - 1, Math.max(0, (s.sandbox.story ?? -1) + delta))),
  })), []);
  const { controlsHidden } = useClassroom(state.classroom, state.view === 'sandbox' ? onStory : undefined);
  const stats = useRef<(PairStats | undefined)[]>([]);
  const [points, setPoints] = useState<LandscapePoint[]>([]);
  const onStats = useCallback((index: number, s: PairStats | undefined) => {
    if (stats.current[index] === s) return;
    stats.current[index] = s;
    setPoints(stats.current.flatMap((st, i) => (st && i < state.models.length ? [{ label: state.models[i], stats: st }] : [])));
  }, [state.models]);
  const texts = useMemo(() => ({ a: state.a, b: state.b }), [state.a, state.b]);
  // Kept here, not in the URL (it may be large), so switching views loses nothing.
  const [corpusText, setCorpusText] = useState('');
  const openPair = useCallback((a: string, b: string, model: string) => {
    update({ view: 'pair', a, b, models: [model] });
    window.scrollTo({ top: 0 });
  }, [update]);

  return (
    <main>
      <header className="page-head">
        <h1>Poolscope</h1>
        <p className="lead">
          What mean pooling keeps and what it collapses. SOCM = (1 − d1)·d2: d1 compares the two texts' mean token
          vectors (what mean pooling keeps), d2 their token clouds' covariances (what it throws away).
        </p>
      </header>
      <nav className="tabs" aria-label="Views">
        <button type="button" aria-pressed={state.view === 'pair'} data-testid="view-pair" onClick={() => update({ view: 'pair' })}>Two texts</button>
        <button type="button" aria-pressed={state.view === 'corpus'} data-testid="view-corpus" onClick={() => update({ view: 'corpus' })}>Corpus (all pairs)</button>
        <button type="button" aria-pressed={state.view === 'sandbox'} data-testid="view-sandbox" onClick={() => update({ view: 'sandbox' })}>Sandbox (clouds to drag)</button>
        <button
          type="button" aria-pressed={state.classroom} data-testid="classroom"
          onClick={() => update(state.classroom ? { classroom: false } : { classroom: true, view: 'sandbox', sandbox: applyScene(state.sandbox, state.sandbox.story ?? 0) })}
        >{state.classroom ? 'Leave classroom mode' : 'Classroom mode'}</button>
      </nav>
      {state.classroom && (
        <p className="classroom-hint" data-testid="classroom-hint">C: {controlsHidden ? 'show' : 'hide'} controls{state.view === 'sandbox' ? ' · ← →: story' : ''}</p>
      )}
      {state.view === 'sandbox' ? (
        <SandboxView
          params={state.sandbox} onChange={(sandbox) => update({ sandbox })} engine={engine} onGpuLost={fallBack}
          theme={state.classroom ? 'projector' : dark ? 'dark' : 'light'}
        />
      ) : state.view === 'corpus' ? (
        <CorpusView state={state} text={corpusText} onText={setCorpusText} onChange={update} worker={worker} engine={engine} dark={dark || state.classroom} onOpen={openPair} />
      ) : (
      <>
      <div className="controls">
      <TextInputs a={state.a} b={state.b} onChange={update} />
      <Options
        state={state} showEllipses={showEllipses} onChange={update} onEllipses={setShowEllipses}
        onAddPanel={state.models.length < MAX_PANELS ? () => update({ models: [...state.models, 'glove'] }) : undefined}
      />
      </div>
      {!textsInLink && (
        <p className="flag" role="note" data-testid="link-note">
          ⚑ These texts are too long for a link: the page address keeps the models and options, not the texts.
        </p>
      )}
      <div className={`panels panels-${state.models.length}`}>
        {state.models.map((model, i) => (
          <ModelPanel
            key={i} index={i} model={model} worker={worker} engine={engine} texts={texts}
            excludeSpecial={state.excludeSpecial} dtype={state.dtype} dark={dark || state.classroom} showEllipses={showEllipses}
            onModel={(m) => update({ models: state.models.map((x, k) => (k === i ? m : x)) })}
            onRemove={state.models.length > 1 ? () => update({ models: state.models.filter((_, k) => k !== i) }) : undefined}
            onGpuLost={fallBack} onStats={onStats}
          />
        ))}
      </div>
      <Landscape points={points} dark={dark || state.classroom} />
      </>
      )}
      <footer>
        <EngineStatus engine={engine} />
        <p>Texts never leave your browser; the only network traffic is model download. Hara et al. (2026), “Why Mean Pooling Works”.</p>
      </footer>
    </main>
  );
}
