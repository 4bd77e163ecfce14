import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PairStats } from '../math';
import { CorpusView } from './corpus/CorpusView';
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
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }, [dark]);

  const update = useCallback((patch: Partial<ViewState>) => setState((s) => ({ ...s, ...patch })), []);
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
      </nav>
      {state.view === 'corpus' ? (
        <CorpusView state={state} text={corpusText} onText={setCorpusText} onChange={update} worker={worker} engine={engine} dark={dark} onOpen={openPair} />
      ) : (
      <>
      <TextInputs a={state.a} b={state.b} onChange={update} />
      <Options
        state={state} showEllipses={showEllipses} onChange={update} onEllipses={setShowEllipses}
        onAddPanel={state.models.length < MAX_PANELS ? () => update({ models: [...state.models, 'glove'] }) : undefined}
      />
      {!textsInLink && (
        <p className="flag" role="note" data-testid="link-note">
          ⚑ These texts are too long for a link: the page address keeps the models and options, not the texts.
        </p>
      )}
      <div className={`panels panels-${state.models.length}`}>
        {state.models.map((model, i) => (
          <ModelPanel
            key={i} index={i} model={model} worker={worker} engine={engine} texts={texts}
            excludeSpecial={state.excludeSpecial} dtype={state.dtype} dark={dark} showEllipses={showEllipses}
            onModel={(m) => update({ models: state.models.map((x, k) => (k === i ? m : x)) })}
            onRemove={state.models.length > 1 ? () => update({ models: state.models.filter((_, k) => k !== i) }) : undefined}
            onGpuLost={fallBack} onStats={onStats}
          />
        ))}
      </div>
      <Landscape points={points} dark={dark} />
      </>
      )}
      <footer>
        <EngineStatus engine={engine} />
        <p>Texts never leave your browser; the only network traffic is model download. Hara et al. (2026), “Why Mean Pooling Works”.</p>
      </footer>
    </main>
  );
}
