import { useEffect, useMemo, useRef, useState, type Ref } from 'react';
import type { Data } from 'plotly.js';
import { catalogModels, CATALOG, FIXTURE_MODELS } from '../../encoders/catalog';
import type { Interval } from '../../corpus/bootstrap';
import { pairsCsv } from '../../corpus/run';
import { table1Row } from '../../corpus/table1';
import { download } from '../download';
import { formatCount, formatNumber } from '../format';
import { loadPlotly, plotTheme, untabModebar } from '../plotly';
import { splitModelSpec } from '../url-state';
import type { LayerSummary } from '../../corpus/layers';
import type { EncoderWorker } from '../../worker/client';
import { CorpusLayers } from './CorpusLayers';
import { CorrelationPanel } from './CorrelationPanel';
import { pairsFromLabel } from './plan';
import { batchOf, pairTexts, type CorpusBatch, type CorpusSession, type ModelRun } from './session';

const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea'];

function roleOf(model: string): { role: string; family: string } {
  if (model === 'glove') return { role: 'static vectors', family: '—' };
  if (FIXTURE_MODELS.includes(model)) return { role: 'test model', family: '—' };
  const entry = catalogModels().find((m) => m.id === model || m.onnx.id === model);
  if (!entry) return { role: 'custom', family: '—' };
  const family = CATALOG.find((f) => f.backbone.id === entry.id || f.children.some((c) => c.id === entry.id));
  return { role: entry.role, family: family ? family.backbone.id : '—' };
}

function Num({ value, className }: { value: number; className?: string }) {
  return <td data-value={String(value)} className={className}>{formatNumber(value)}</td>;
}

/** A mean with its bootstrap 95% interval under it (or a note while it is computed). */
function Mean({ value, ci, name }: { value: number; ci: Interval | null | undefined; name: string }) {
  return (
    <td data-value={String(value)} className="mean">
      {formatNumber(value)}
      {ci === undefined ? (
        <span className="ci muted" data-testid={`ci-${name}`} data-pending="true" title="the bootstrap interval is being computed">[…]</span>
      ) : ci === null || !Number.isFinite(ci[0]) ? null : (
        <span className="ci" data-testid={`ci-${name}`} data-lo={String(ci[0])} data-hi={String(ci[1])} title="bootstrap 95% confidence interval">
          [{formatNumber(ci[0])}, {formatNumber(ci[1])}]
        </span>
      )}
    </td>
  );
}

/** What the intervals resample, in words, for the runs shown. */
function intervalNote(batches: readonly CorpusBatch[]): string {
  const kinds = new Set(batches.map((b) => b.pairs ?? 'all'));
  const parts: string[] = [];
  if (kinds.has('all')) parts.push('for all pairs the texts are resampled (how the mean would move with another corpus of as many texts)');
  if (kinds.has('list')) parts.push('for a pair list the pairs are resampled');
  if (kinds.has('sample')) parts.push('for a sample the pairs are resampled (how close it is to the mean over all pairs)');
  return `Under each mean, its bootstrap 95% interval (BCa, 1,000 replicates): ${parts.join('; ')}.`;
}

/** One line for an export that failed: nothing downloads silently-not. */
function useExport(): [string | undefined, (what: string, save: () => void) => void] {
  const [error, setError] = useState<string>();
  return [error, (what, save) => {
    setError(undefined);
    try {
      save();
    } catch (e) {
      setError(`The ${what} export failed: ${(e as Error).message}`);
    }
  }];
}

function when(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/** Table 1 across models, distributions, and the most collapsed pairs, for every kept run. */
export function CorpusResults({ session, changed, dark, settings, onOpen, onClear, headingRef, worker, onLayers, onScores }: {
  session: CorpusSession;
  worker?: EncoderWorker;
  onLayers: (model: string, batch: string, layers: LayerSummary[]) => void;
  onScores: (scores: Record<string, number>) => void;
  /** The box's texts differ from some run's. */
  changed: boolean;
  dark: boolean;
  settings: Record<string, unknown>;
  onOpen: (a: string, b: string, model: string) => void;
  onClear: () => void;
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  const { runs, batches } = session;
  const [exportError, runExport] = useExport();
  const [asking, setAsking] = useState(false);
  const batchNumber = (id: string) => batches.findIndex((b) => b.id === id) + 1;
  const summaries = runs.map((r) => {
    const batch = batchOf(session, r);
    return {
      model: r.model, ...roleOf(splitModelSpec(r.model).model), layer: r.layer ?? null, depth: r.depth ?? null, ...r.result.summary, seconds: r.seconds,
      textsGiven: batch.texts.length, batch: batchNumber(r.batch), excludeSpecial: batch.excludeSpecial, finishedAt: new Date(r.finishedAt).toISOString(),
      pairs_from: batch.pairs ?? 'all', pairsFrom: pairsFromLabel(batch), ...(batch.sample ? { population_pairs: batch.sample.population, sample_seed: batch.sample.seed } : {}),
      intervals: r.intervals,
    };
  });
  // Table 1 as `poolscope table1 --format json` writes its rows (so `poolscope correlate` reads the summary JSON).
  const table1 = runs.map((r) => {
    const batch = batchOf(session, r);
    const { truncated: _truncated, ...row } = table1Row(r.model, r.result.summary, r.intervals, { skipped: batch.texts.length - r.result.summary.texts, truncated: 0 });
    return {
      ...row, pairs_from: batch.pairs ?? 'all', ...(batch.sample ? { population_pairs: batch.sample.population } : {}),
      ci_resampled: r.intervals?.ci_resampled ?? null, bootstrap_replicates: r.intervals?.bootstrap_replicates ?? 0, seed: batch.seed ?? 1, excludeSpecial: batch.excludeSpecial,
      ...(r.layer !== undefined ? { layer: r.layer } : {}),
    };
  });
  const mixed = batches.length > 1;
  // Which pairs each run took needs a column only when some run did not take all of them.
  const someNotAll = batches.some((b) => (b.pairs ?? 'all') !== 'all');
  return (
    <section className="card corpus-results" aria-labelledby="corpus-results-title">
      <h2 id="corpus-results-title" tabIndex={-1} ref={headingRef}>Results</h2>
      {changed && (
        <p className="flag" role="note" data-testid="corpus-changed">
          ⚑ The texts in the box have changed since {runs.length > 1 ? 'these runs' : 'this run'}: the numbers, the pairs below, Open and the exports all use the texts each run was computed on.
        </p>
      )}
      {mixed && (
        <p className="flag" role="note">⚑ These runs are on {batches.length} different sets of texts (see “texts”): compare models on the same texts.</p>
      )}
      <p className="muted" id="corpus-table-about">
        Average over each run's pairs (the paper's Table 1); within-text concentration (§6) on the right. {intervalNote(batches)}
      </p>
      <div className="table-scroll">
        <table data-testid="corpus-table" className="corpus-table" aria-describedby="corpus-table-about">
          <thead>
            <tr>
              <th scope="col">model</th><th scope="col" className="wide-only">family (backbone)</th><th scope="col" className="wide-only">role</th><th scope="col">texts</th><th scope="col">pairs</th>
              {someNotAll && <th scope="col">pairs from</th>}
              <th scope="col">mean <abbr title="Second-Order Collapse by Mean pooling">SOCM</abbr> <span className="ci-head">[95% CI]</span></th><th scope="col">median SOCM</th><th scope="col">mean d1</th><th scope="col">mean d2</th>
              <th scope="col">mean tr Σ</th><th scope="col">within-text cos</th><th scope="col">layer</th>
            </tr>
          </thead>
          <tbody>
            {summaries.map((s) => (
              <tr key={s.model} data-model={s.model}>
                <th scope="row">{s.model}</th><td className="wide-only">{s.family}</td><td className="wide-only">{s.role}</td>
                <td data-value={s.texts} title={`${formatCount(s.texts)} measured of ${formatCount(s.textsGiven)} given; run at ${when(Date.parse(s.finishedAt))}${mixed ? `, text set ${s.batch}` : ''}`}>{formatCount(s.texts)}{mixed ? ` (set ${s.batch})` : ''}</td>
                <td data-value={s.pairs}>{formatCount(s.pairs)}</td>
                {someNotAll && <td data-testid="pairs-from" data-kind={s.pairs_from}>{s.pairsFrom}</td>}
                <Mean value={s.mean_socm} ci={s.intervals && s.intervals.ci95} name="socm" /><Num value={s.median_socm} />
                <Mean value={s.mean_d1} ci={s.intervals && s.intervals.ci95_d1} name="d1" /><Mean value={s.mean_d2} ci={s.intervals && s.intervals.ci95_d2} name="d2" />
                <Mean value={s.mean_trace} ci={s.intervals && s.intervals.ci95_trace} name="trace" /><Mean value={s.mean_within_cosine} ci={s.intervals && s.intervals.ci95_within_cosine} name="within-cosine" />
                <td data-testid="run-layer" data-layer={s.layer ?? ''} title={s.depth === null ? 'no inner layers (static vectors or an ONNX export)' : `hidden state ${s.layer} of 0…${s.depth}`}>{s.layer === null ? '—' : `${s.layer} of ${s.depth}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="exports" role="group" aria-label="Export corpus results">
        <span className="muted">Export:</span>
        {runs.map((r) => (
          <button key={r.model} type="button" onClick={() => runExport(`pairs CSV (${r.model})`, () => {
            // i, j number the texts as poolscope corpus does: their place in the box (or among a pair list's texts).
            const { texts, inputIndex } = batchOf(session, r);
            const number = (k: number) => inputIndex?.[k] ?? k;
            const byNumber: string[] = [];
            texts.forEach((t, k) => { byNumber[number(k)] = t; });
            download(`poolscope-pairs-${r.model.replace(/\W+/g, '-')}.csv`, 'text/csv', pairsCsv(r.result.rows.map(([i, j, ...v]) => [number(r.kept[i]), number(r.kept[j]), ...v]), byNumber));
          })}>
            pairs CSV ({r.model})
          </button>
        ))}
        <button type="button" onClick={() => runExport('summary JSON', () => download('poolscope-corpus-summary.json', 'application/json', JSON.stringify({ settings, summaries, models: table1 }, null, 2)))}>summary JSON</button>
        <button type="button" onClick={() => runExport('whole session', () => download('poolscope-corpus-session.json', 'application/json', JSON.stringify({
          settings,
          batches: batches.map((b, k) => ({
            set: k + 1, texts: b.texts, pairs_from: b.pairs ?? 'all', ...(b.sample ? { sample: b.sample } : {}), seed: b.seed ?? 1,
            excludeSpecial: b.excludeSpecial, limit: b.limit, engine: b.engine, startedAt: new Date(b.startedAt).toISOString(),
          })),
          summaries,
        }, null, 2)))}>whole session (with texts)</button>
        {asking ? (
          <span role="group" aria-label="Clear the corpus results?">
            Clear all kept runs?{' '}
            <button type="button" data-testid="corpus-clear-confirm" onClick={() => { setAsking(false); onClear(); }}>Yes, clear</button>{' '}
            <button type="button" autoFocus onClick={() => setAsking(false)}>Keep</button>
          </span>
        ) : (
          <button type="button" data-testid="corpus-clear" onClick={() => setAsking(true)}>Clear results…</button>
        )}
        {exportError && <p role="alert" className="error" data-testid="corpus-export-error">{exportError}</p>}
      </div>
      <Distributions runs={runs} dark={dark} />
      <CorrelationPanel runs={runs} scores={session.scores ?? {}} onScores={onScores} dark={dark} textSets={batches.length} />
      <CorpusLayers session={session} worker={worker} dark={dark} onLayers={onLayers} />
      <CollapsedPairs session={session} onOpen={onOpen} />
    </section>
  );
}

const MAX_SCATTER = 20_000;

function Distributions({ runs, dark }: { runs: ModelRun[]; dark: boolean }) {
  const hist = useRef<HTMLDivElement>(null);
  const scatter = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    loadPlotly().then(async (Plotly) => {
      if (!live || !hist.current || !scatter.current) return;
      const c = plotTheme(dark);
      const base = { paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', font: { color: c.fg, size: 14 }, height: 340, legend: { orientation: 'h' as const, x: 0, xref: 'container' as const, y: 1, yref: 'container' as const, yanchor: 'top' as const } };
      await Plotly.react(hist.current, runs.map((r, k): Data => ({
        type: 'histogram', name: r.model, x: r.result.rows.map((row) => row[4]), opacity: 0.6, marker: { color: PALETTE[k % 4] }, ...{ nbinsx: 60 },
      })), { ...base, barmode: 'overlay', margin: { l: 60, r: 10, t: 40, b: 56 }, xaxis: { title: { text: 'SOCM' }, gridcolor: c.grid }, yaxis: { title: { text: 'pairs' }, gridcolor: c.grid } }, { responsive: true, displaylogo: false });
      await Plotly.react(scatter.current, runs.map((r, k): Data => {
        const x = r.result.rows.map((row) => row[2]);
        const y = r.result.rows.map((row) => row[3]);
        return x.length <= MAX_SCATTER
          ? { type: 'scattergl', mode: 'markers', name: r.model, x, y, marker: { size: 4, color: PALETTE[k % 4], opacity: 0.5 } }
          : { type: 'histogram2dcontour', name: `${r.model} (density)`, x, y, ncontours: 12, contours: { coloring: 'lines' }, line: { color: PALETTE[k % 4] }, showscale: false } as Data;
      }), { ...base, margin: { l: 60, r: 10, t: 40, b: 56 }, xaxis: { title: { text: 'd1 (means apart →)' }, gridcolor: c.grid }, yaxis: { title: { text: 'd2 (clouds differ →)' }, gridcolor: c.grid } }, { responsive: true, displaylogo: false });
      untabModebar(hist.current);
      untabModebar(scatter.current);
    });
    return () => {
      live = false;
    };
  }, [runs, dark]);
  return (
    <div className="corpus-plots">
      <figure>
        <figcaption>SOCM over each run's pairs</figcaption>
        <div ref={hist} data-testid="corpus-histogram" className="plot corpus-plot" role="img" aria-label="Histogram of SOCM over each run's pairs, per model" />
      </figure>
      <figure>
        <figcaption>d1 vs d2 for every pair{runs.some((r) => r.result.rows.length > MAX_SCATTER) ? ' (density contours above 20,000 pairs)' : ''}</figcaption>
        <div ref={scatter} data-testid="corpus-scatter" className="plot corpus-plot" role="img" aria-label="d1 against d2 for every pair, per model" />
      </figure>
    </div>
  );
}

type SortKey = 'socm' | 'd1' | 'd2';
const COLUMN: Record<SortKey, number> = { d1: 2, d2: 3, socm: 4 };

function CollapsedPairs({ session, onOpen }: { session: CorpusSession; onOpen: (a: string, b: string, model: string) => void }) {
  const { runs } = session;
  const [which, setWhich] = useState(0);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'socm', descending: true });
  const run = runs[Math.min(which, runs.length - 1)];
  const top = useMemo(() => {
    if (!run) return [];
    const col = COLUMN[sort.key];
    return [...run.result.rows].sort((p, q) => (sort.descending ? q[col] - p[col] : p[col] - q[col])).slice(0, 50);
  }, [run, sort]);
  if (!run) return null;
  const header = (key: SortKey, label: string, className?: string) => (
    <th scope="col" className={className} aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => setSort((s) => ({ key, descending: s.key === key ? !s.descending : true }))}>
        {label}{sort.key === key ? (sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  return (
    <div className="collapsed">
      <h3>Most collapsed pairs</h3>
      <p className="muted">The 50 pairs with the highest value in the sorted column. Open shows a pair in the two-text playground (Back returns here).</p>
      <label>model{' '}
        <select value={which} onChange={(e) => setWhich(Number(e.target.value))}>
          {runs.map((r, k) => <option key={r.model} value={k}>{r.model}</option>)}
        </select>
      </label>
      <div className="table-scroll">
        <table data-testid="collapsed-pairs" className="pairs">
          <thead><tr><th scope="col">text i</th><th scope="col">text j</th>{header('d1', 'd1', 'wide-only')}{header('d2', 'd2', 'wide-only')}{header('socm', 'SOCM')}<th scope="col"><span className="visually-hidden">open</span></th></tr></thead>
          <tbody>
            {top.map(([i, j, d1, d2, socm]) => {
              const [ti, tj] = pairTexts(session, run, i, j);
              return (
                <tr key={`${i}-${j}`}>
                  <td className="text-cell" title={ti}>{ti}</td><td className="text-cell" title={tj}>{tj}</td>
                  <Num value={d1} className="wide-only" /><Num value={d2} className="wide-only" /><Num value={socm} />
                  <td><button type="button" onClick={() => onOpen(ti, tj, run.model)}>Open</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
