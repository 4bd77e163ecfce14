import { useEffect, useRef, useState } from 'react';
import { corpusLines, duplicates } from '../../corpus/parse';
import type { SocmEngine } from '../../engine/types';
import type { EncoderWorker } from '../../worker/client';
import { ModelOptions } from '../components/ModelOptions';
import { formatCount, formatDuration, plural } from '../format';
import type { ViewState } from '../url-state';
import { CorpusResults } from './CorpusResults';
import { CorpusSource } from './CorpusSource';
import type { useCorpusRun, CorpusProgress, RunEstimate } from './useCorpusRun';

/** Runs with at least this many pairs show their estimated time first and ask. */
export const LARGE_RUN_PAIRS = 100_000;

interface Props {
  state: ViewState;
  /** The box as typed. */
  text: string;
  /** Its texts, one per line, cut to the "use at most" limit. */
  texts: string[];
  onText: (text: string) => void;
  onChange: (patch: Partial<ViewState>) => void;
  run: ReturnType<typeof useCorpusRun>;
  worker?: EncoderWorker;
  engine?: SocmEngine;
  dark: boolean;
  onOpen: (a: string, b: string, model: string) => void;
}

function ModelsEditor({ models, onChange, disabled }: { models: string[]; onChange: (m: string[]) => void; disabled: boolean }) {
  const [custom, setCustom] = useState('');
  const add = (m: string) => m && !models.includes(m) && onChange([...models, m]);
  return (
    <div className="models-editor" data-testid="corpus-models">
      <span className="muted">Models:</span>
      {models.map((m) => (
        <span key={m} className="chip">{m}{models.length > 1 && <button type="button" disabled={disabled} aria-label={`Remove ${m}`} onClick={() => onChange(models.filter((x) => x !== m))}>✕</button>}</span>
      ))}
      <label className="visually-hidden" htmlFor="corpus-add-model">Add a model</label>
      <select id="corpus-add-model" value="" disabled={disabled} onChange={(e) => add(e.target.value)}>
        <option value="">add a model…</option>
        <ModelOptions />
      </select>
      <form onSubmit={(e) => { e.preventDefault(); add(custom.trim()); setCustom(''); }}>
        <label className="visually-hidden" htmlFor="corpus-custom">Custom model id (org/name, or org/name:q8 for its quantised build)</label>
        <input id="corpus-custom" value={custom} disabled={disabled} placeholder="org/name[:q8]" onChange={(e) => setCustom(e.target.value)} />
        <button type="submit" disabled={disabled}>Add</button>
      </form>
    </div>
  );
}

function describeProgress(p: CorpusProgress): string {
  const which = `${p.model} (${p.modelIndex + 1} of ${p.models})`;
  const eta = p.eta !== undefined && p.done < p.total ? `, about ${formatDuration(p.eta)} left` : '';
  if (p.phase === 'loading') return `${which}: loading the model…`;
  if (p.phase === 'encoding') return `${which}: texts encoded ${formatCount(p.done)} / ${formatCount(p.total)}${eta}`;
  return `${which}: pairs done ${formatCount(p.done)} / ${formatCount(p.total)}${eta}`;
}

/** The paper's all-pairs experiment for any encoders and texts. */
export function CorpusView({ state, text, texts, onText, onChange, run: corpus, worker, engine, dark, onOpen }: Props) {
  const { state: run, session, start, cancel, clear, estimate } = corpus;
  const [confirm, setConfirm] = useState<{ texts: string[]; models: string[]; estimate: RunEstimate }>();
  const running = run.phase === 'running' || run.phase === 'estimating';
  const pairs = (texts.length * (texts.length - 1)) / 2;
  const all = corpusLines(text);
  const dups = duplicates(all);
  const options = { excludeSpecial: state.excludeSpecial, dtype: state.dtype, limit: state.corpusLimit };

  const onRun = async () => {
    setConfirm(undefined);
    if (pairs >= LARGE_RUN_PAIRS) {
      const models = state.corpusModels;
      const guess = await estimate(texts, models, options);
      if (guess) setConfirm({ texts, models, estimate: guess });
      return;
    }
    void start(texts, state.corpusModels, options);
  };

  // When a run ends, focus goes somewhere useful (the Cancel button it was on is now disabled).
  const runButton = useRef<HTMLButtonElement>(null);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const previous = useRef(run.phase);
  useEffect(() => {
    const was = previous.current;
    previous.current = run.phase;
    if (was !== 'running') return;
    const focusInside = document.activeElement === document.body || document.activeElement?.closest('.corpus-run');
    if (!focusInside) return;
    if (run.phase === 'done') resultsHeading.current?.focus();
    else runButton.current?.focus();
  }, [run.phase]);
  useEffect(() => {
    if (confirm) confirmButton.current?.focus();
  }, [confirm]);

  const changed = session.runs.some((r) => {
    const batch = session.batches.find((b) => b.id === r.batch);
    return batch && (batch.texts.length !== texts.length || batch.texts.some((t, k) => t !== texts[k]));
  });

  return (
    <>
      <CorpusSource text={text} limit={state.corpusLimit} onText={onText} onLimit={(corpusLimit) => onChange({ corpusLimit })} />
      <section className="card corpus-run" aria-label="Run">
        <ModelsEditor models={state.corpusModels} onChange={(corpusModels) => onChange({ corpusModels })} disabled={running} />
        {dups.repeats > 0 && (
          <p className="flag" role="note" data-testid="corpus-duplicates">
            ⚑ {formatCount(dups.repeats)} of {plural(all.length, 'text')} repeat an earlier one ({formatCount(dups.unique.length)} distinct): identical
            texts give d1 = d2 = 0 for their pairs and pull the mean SOCM down.{' '}
            <button type="button" disabled={running} data-testid="drop-duplicates" onClick={() => onText(dups.unique.join('\n'))}>Drop the {plural(dups.repeats, 'repeat')}</button>
          </p>
        )}
        <div className="row">
          <button type="button" ref={runButton} data-testid="corpus-run" disabled={running || texts.length < 2 || !worker || !engine} onClick={() => void onRun()}>
            Run all {plural(pairs, 'pair')}
          </button>
          <button type="button" data-testid="corpus-cancel" disabled={run.phase !== 'running'} onClick={cancel}>Cancel</button>
          <label><input type="checkbox" checked={!state.excludeSpecial} disabled={running} onChange={(e) => onChange({ excludeSpecial: !e.target.checked })} /> include special tokens</label>
          {texts.length < 2 && <span className="notice">Give at least two texts, one per line.</span>}
        </div>
        {confirm && (
          <div className="confirm" role="group" aria-label="Large run" data-testid="corpus-estimate">
            <p>
              {plural(confirm.texts.length, 'text')}, {plural((confirm.texts.length * (confirm.texts.length - 1)) / 2, 'pair')} on {plural(confirm.models.length, 'model')}:
              about <strong>{formatDuration(confirm.estimate.seconds)}</strong> here (rough: from a trial on the first {confirm.estimate.trialTexts} texts with {confirm.models[0]}).
              Fewer texts (“Use at most”) cut the time by the square.
            </p>
            <button type="button" ref={confirmButton} data-testid="corpus-run-anyway" onClick={() => { setConfirm(undefined); void start(confirm.texts, confirm.models, options); }}>Run anyway</button>{' '}
            <button type="button" data-testid="corpus-run-dont" onClick={() => { setConfirm(undefined); runButton.current?.focus(); }}>Don't run</button>
          </div>
        )}
        <div data-testid="corpus-status" data-phase={run.phase} role="status" className="status">
          {run.phase === 'estimating' && <span><span className="spinner" aria-hidden="true" /> Estimating the time: a trial on the first texts…</span>}
          {run.phase === 'running' && (
            <>
              <span>{describeProgress(run.progress)}</span>
              <progress max={run.progress.total} value={run.progress.phase === 'loading' ? undefined : run.progress.done} aria-label="Corpus progress" />
            </>
          )}
          {run.phase === 'done' && <span>Done. Results below ({plural(session.runs.length, 'model')} kept).</span>}
          {run.phase === 'cancelled' && <span className="notice">Cancelled. {session.runs.length ? `The results kept before are still here (${session.runs.map((r) => r.model).join(', ')}).` : 'No results are kept.'}</span>}
          {run.phase === 'error' && <span className="error">Error: {run.message}{session.runs.length ? ' (the results kept before are still here)' : ''}</span>}
        </div>
      </section>
      {session.runs.length > 0 && (
        <CorpusResults
          session={session} changed={changed} dark={dark} onOpen={onOpen} onClear={clear} headingRef={resultsHeading}
          settings={{ models: state.corpusModels, limit: state.corpusLimit, excludeSpecial: state.excludeSpecial, dtype: state.dtype, engine: engine?.description }}
        />
      )}
    </>
  );
}
