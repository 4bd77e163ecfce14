import { useEffect, useMemo, useRef, useState } from 'react';
import { planDigest } from '../../corpus/pairs';
import { corpusLines, duplicates } from '../../corpus/parse';
import type { SocmEngine } from '../../engine/types';
import type { EncoderWorker } from '../../worker/client';
import { ModelOptions } from '../components/ModelOptions';
import { formatCount, formatDuration, plural } from '../format';
import type { ViewState } from '../url-state';
import { CorpusResults } from './CorpusResults';
import { CorpusSource } from './CorpusSource';
import { DEFAULT_SAMPLE_PAIRS, planSource, settingsOf, type PlannedSource, type SourceSettings } from './plan';
import { SampleOptions } from './SampleOptions';
import { estimateSeconds, type useCorpusRun, type CorpusProgress, type RunEstimate } from './useCorpusRun';
import './corpus.css';

/** Runs with at least this many pairs show their estimated time first and ask. */
export const LARGE_RUN_PAIRS = 100_000;

interface Props {
  state: ViewState;
  /** The box as typed. */
  text: string;
  /** The box's texts as App reads them (one per line, limited); the view plans its own pairs from `text` and its source settings. */
  texts?: string[];
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

/** "100 texts, 4,950 pairs", "1,000 sampled pairs of 5,000 texts", "300 listed pairs". */
function describePlan(source: PlannedSource): string {
  const { plan } = source;
  if (plan.kind === 'list') return `${plural(plan.count, 'listed pair')} (${plural(plan.texts, 'text')})`;
  if (plan.kind === 'sample') return `${plural(plan.count, 'sampled pair')} of ${plural(source.given, 'text')} (${formatCount(plan.texts)} to encode)`;
  return `${plural(plan.texts, 'text')}, ${plural(plan.count, 'pair')}`;
}

function describeProgress(p: CorpusProgress): string {
  const which = `${p.model} (${p.modelIndex + 1} of ${p.models})`;
  const eta = p.eta !== undefined && p.done < p.total ? `, about ${formatDuration(p.eta)} left` : '';
  if (p.phase === 'loading') return `${which}: loading the model…`;
  if (p.phase === 'encoding') return `${which}: texts encoded ${formatCount(p.done)} / ${formatCount(p.total)}${eta}`;
  return `${which}: pairs done ${formatCount(p.done)} / ${formatCount(p.total)}${eta}`;
}

/** What the large-run question offers: the run as asked, and a sample of its pairs instead. */
interface Confirm { source: PlannedSource; models: string[]; estimate: RunEstimate; sample?: { settings: SourceSettings; source: PlannedSource } }

function runLabel(planned: ReturnType<typeof planSource>, settings: SourceSettings): string {
  if (!planned.ok) return settings.kind === 'pairs' ? 'Run the listed pairs' : settings.sample ? 'Run sampled pairs' : 'Run all pairs';
  const { plan } = planned.source;
  if (plan.kind === 'list') return `Run ${plural(plan.count, 'listed pair')}`;
  if (plan.kind === 'sample') return `Run ${plural(plan.count, 'sampled pair')}`;
  return `Run all ${plural(plan.count, 'pair')}`;
}

/** The paper's all-pairs experiment for any encoders and texts; pair lists and samples of pairs too. */
export function CorpusView({ state, text, onText, onChange, run: corpus, worker, engine, dark, onOpen }: Props) {
  const { state: run, session, source: settings, intervalProblem, setSource, setScores, start, cancel, clearRuns, estimate, attachLayers } = corpus;
  const [confirm, setConfirm] = useState<Confirm>();
  const running = run.phase === 'running' || run.phase === 'estimating';
  const planned = useMemo(() => planSource(text, state.corpusLimit, settings), [text, state.corpusLimit, settings]);
  const all = useMemo(() => corpusLines(text), [text]);
  const dups = settings.kind === 'texts' ? duplicates(all) : { repeats: 0, unique: all };
  const options = { excludeSpecial: state.excludeSpecial, dtype: state.dtype, limit: state.corpusLimit, layer: state.corpusLayer };

  const onRun = async () => {
    setConfirm(undefined);
    if (!planned.ok) return;
    const source = planned.source;
    const models = state.corpusModels;
    if (source.plan.count >= LARGE_RUN_PAIRS) {
      const guess = await estimate(source.texts, models, options);
      if (!guess) return;
      // All pairs of many texts: a sample of them is the way out.
      const sampleSettings: SourceSettings = { ...settings, sample: true, samplePairs: DEFAULT_SAMPLE_PAIRS };
      const sample = source.plan.kind === 'all' ? planSource(text, state.corpusLimit, sampleSettings) : undefined;
      setConfirm({ source, models, estimate: guess, sample: sample?.ok ? { settings: sampleSettings, source: sample.source } : undefined });
      return;
    }
    void start(source, models, options);
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

  // Does the box still give each kept run's texts (read with that run's settings)?
  const changed = useMemo(() => session.batches.some((batch) => {
    const now = planSource(text, state.corpusLimit, settingsOf(batch));
    return !now.ok || now.source.texts.length !== batch.texts.length || now.source.texts.some((t, k) => t !== batch.texts[k])
      // The same texts paired otherwise (a pair list edited, or cut by "use at most").
      || (batch.pairsDigest !== undefined && planDigest(now.source.plan) !== batch.pairsDigest);
  }), [session.batches, text, state.corpusLimit]);

  return (
    <>
      <CorpusSource
        text={text} limit={state.corpusLimit} kind={settings.kind} planned={planned} onText={onText}
        onLimit={(corpusLimit) => onChange({ corpusLimit })} onKind={(kind) => kind !== settings.kind && setSource({ ...settings, kind })}
      />
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
          <button type="button" ref={runButton} data-testid="corpus-run" disabled={running || !planned.ok || !worker || !engine} onClick={() => void onRun()}>
            {runLabel(planned, settings)}
          </button>
          <button type="button" data-testid="corpus-cancel" disabled={run.phase !== 'running'} onClick={cancel}>Cancel</button>
          <label><input type="checkbox" checked={!state.excludeSpecial} disabled={running} onChange={(e) => onChange({ excludeSpecial: !e.target.checked })} /> include special tokens</label>
          <label title="Which hidden state to measure: the last (as the paper's Table 1), or layer K of models loaded from their own weights (0 = embeddings). Static vectors and ONNX exports have only one.">
            layer{' '}
            <select data-testid="corpus-layer" value={state.corpusLayer ?? ''} disabled={running} onChange={(e) => onChange({ corpusLayer: e.target.value === '' ? undefined : Number(e.target.value) })}>
              <option value="">last</option>
              {Array.from({ length: 25 }, (_, k) => <option key={k} value={k}>{k}{k === 0 ? ' (embeddings)' : ''}</option>)}
            </select>
          </label>
          {!planned.ok && planned.about === 'texts' && <span className="notice">{planned.message}</span>}
        </div>
        <SampleOptions settings={settings} planned={planned} disabled={running} onChange={setSource} />
        {confirm && (
          <div className="confirm" role="group" aria-label="Large run" data-testid="corpus-estimate">
            <p>
              {describePlan(confirm.source)} on {plural(confirm.models.length, 'model')}:
              about <strong>{formatDuration(estimateSeconds(confirm.estimate, confirm.source.texts.length, confirm.source.plan.count))}</strong> here
              (rough: from a trial on the first {confirm.estimate.trialTexts} texts with {confirm.models[0]}).
              {confirm.source.plan.kind === 'all' ? ' Fewer texts (“Use at most”) cut the time by the square.' : ''}
            </p>
            {confirm.sample && (
              <p data-testid="corpus-estimate-sample">
                Or measure a uniform sample of {plural(confirm.sample.source.plan.count, 'pair')} (seed {confirm.sample.settings.seed}): about{' '}
                <strong>{formatDuration(estimateSeconds(confirm.estimate, confirm.sample.source.texts.length, confirm.sample.source.plan.count))}</strong>,
                with a 95% interval beside each mean saying how close it is to the mean over all pairs.
              </p>
            )}
            <button type="button" ref={confirmButton} data-testid="corpus-run-anyway" onClick={() => { setConfirm(undefined); void start(confirm.source, confirm.models, options); }}>Run anyway</button>{' '}
            {confirm.sample && (
              <>
                <button type="button" data-testid="corpus-run-sample" onClick={() => {
                  const sample = confirm.sample!;
                  setConfirm(undefined);
                  setSource(sample.settings);
                  void start(sample.source, confirm.models, options);
                }}>Sample {plural(confirm.sample.source.plan.count, 'pair')} instead</button>{' '}
              </>
            )}
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
        {intervalProblem && <p className="error" role="alert" data-testid="corpus-interval-problem">{intervalProblem}</p>}
      </section>
      {session.runs.length > 0 && (
        <CorpusResults
          session={session} changed={changed} dark={dark} onOpen={onOpen} onClear={clearRuns} headingRef={resultsHeading} worker={worker} onLayers={attachLayers} onScores={setScores}
          settings={{ models: state.corpusModels, limit: state.corpusLimit, excludeSpecial: state.excludeSpecial, dtype: state.dtype, layer: state.corpusLayer ?? 'last', engine: engine?.description, source: settings }}
        />
      )}
    </>
  );
}
