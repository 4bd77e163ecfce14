import { useState } from 'react';
import { ModelOptions } from '../components/ModelOptions';
import type { SocmEngine } from '../../engine/types';
import type { EncoderWorker } from '../../worker/client';
import type { ViewState } from '../url-state';
import { CorpusResults } from './CorpusResults';
import { CorpusSource } from './CorpusSource';
import { useCorpusRun, type CorpusProgress } from './useCorpusRun';

interface Props {
  state: ViewState;
  text: string;
  onText: (text: string) => void;
  onChange: (patch: Partial<ViewState>) => void;
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
        <label className="visually-hidden" htmlFor="corpus-custom">Custom model id</label>
        <input id="corpus-custom" value={custom} disabled={disabled} placeholder="org/name" onChange={(e) => setCustom(e.target.value)} />
        <button type="submit" disabled={disabled}>Add</button>
      </form>
    </div>
  );
}

function describeProgress(p: CorpusProgress): string {
  const which = `${p.model} (${p.modelIndex + 1} of ${p.models})`;
  const eta = p.eta !== undefined && p.done < p.total ? `, about ${Math.ceil(p.eta)} s left` : '';
  if (p.phase === 'loading') return `${which}: loading the model…`;
  if (p.phase === 'encoding') return `${which}: texts encoded ${p.done} / ${p.total}${eta}`;
  return `${which}: pairs done ${p.done} / ${p.total}${eta}`;
}

/** The paper's all-pairs experiment for any encoders and texts. */
export function CorpusView({ state, text, onText, onChange, worker, engine, dark, onOpen }: Props) {
  const { state: run, runs, start, cancel } = useCorpusRun(worker, engine);
  const texts = text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, state.corpusLimit);
  const running = run.phase === 'running';
  return (
    <>
      <CorpusSource text={text} limit={state.corpusLimit} onText={onText} onLimit={(corpusLimit) => onChange({ corpusLimit })} />
      <section className="card corpus-run" aria-label="Run">
        <ModelsEditor models={state.corpusModels} onChange={(corpusModels) => onChange({ corpusModels })} disabled={running} />
        <div className="row">
          <button type="button" data-testid="corpus-run" disabled={running || texts.length < 2 || !worker || !engine}
            onClick={() => void start(texts, state.corpusModels, { excludeSpecial: state.excludeSpecial, dtype: state.dtype })}>
            Run all {texts.length * (texts.length - 1) / 2} pairs
          </button>
          <button type="button" data-testid="corpus-cancel" disabled={!running} onClick={cancel}>Cancel</button>
          <label><input type="checkbox" checked={!state.excludeSpecial} disabled={running} onChange={(e) => onChange({ excludeSpecial: !e.target.checked })} /> include special tokens</label>
          {texts.length < 2 && <span className="notice">Give at least two texts, one per line.</span>}
        </div>
        <div data-testid="corpus-status" data-phase={run.phase} role="status" className="status">
          {run.phase === 'running' && (
            <>
              <span>{describeProgress(run.progress)}</span>
              <progress max={run.progress.total} value={run.progress.phase === 'loading' ? undefined : run.progress.done} aria-label="Corpus progress" />
            </>
          )}
          {run.phase === 'done' && <span>Done: {runs.length} model{runs.length === 1 ? '' : 's'}.</span>}
          {run.phase === 'cancelled' && <span className="notice">Cancelled. {runs.length ? `Results for ${runs.map((r) => r.model).join(', ')} are kept.` : ''}</span>}
          {run.phase === 'error' && <span className="error">Error: {run.message}</span>}
        </div>
      </section>
      {runs.length > 0 && (
        <CorpusResults runs={runs} texts={texts} dark={dark} onOpen={onOpen}
          settings={{ models: state.corpusModels, limit: state.corpusLimit, excludeSpecial: state.excludeSpecial, dtype: state.dtype, engine: engine?.description }} />
      )}
    </>
  );
}
