import { useEffect, useRef, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { LayerSummary } from '../../corpus/layers';
import { csvField } from '../../corpus/parse';
import { catalogModels } from '../../encoders/catalog';
import type { EncoderWorker } from '../../worker/client';
import { Comlink } from '../../worker/client';
import { download } from '../download';
import { formatCount, formatNumber } from '../format';
import { loadPlotly, plotTheme, untabModebar } from '../plotly';
import { splitModelSpec } from '../url-state';
import { batchOf, type CorpusSession, type ModelRun } from './session';

const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#0891b2', '#be123c'];
const CHARTS = [
  { key: 'mean_socm', title: 'mean SOCM over all pairs' },
  { key: 'mean_spread', title: 'mean spread ‖C‖F/√n' },
  { key: 'mean_trace', title: 'mean tr Σ' },
  { key: 'mean_within_cosine', title: 'mean within-text token cosine' },
] as const;
const COLUMNS = ['model', 'layer', 'mean_socm', 'median_socm', 'mean_d1', 'mean_d2', 'mean_trace', 'mean_spread', 'mean_within_cosine', 'flagged'] as const;

/** Backbones solid, fine-tuned models dashed, anything else dotted: the paper's comparison at a glance. */
function dashOf(model: string): 'solid' | 'dash' | 'dot' {
  const entry = catalogModels().find((m) => m.id === splitModelSpec(model).model);
  return entry ? (entry.role === 'backbone' ? 'solid' : 'dash') : 'dot';
}

interface Progress { model: string; phase: string; done: number; total: number }

/**
 * The paper's §6 over the corpus (Figure 4(d), Figures 11–16): for each kept run of a model with
 * layers, the averages over texts of spread, tr Σ and within-text cosine, and the mean SOCM over
 * all pairs, at every layer, computed in the encoder worker on the run's own texts; drawn with
 * backbone and fine-tuned models overlaid; numbers in a table; CSV and JSON exports.
 */
export function CorpusLayers({ session, worker, dark, onLayers }: {
  session: CorpusSession;
  worker?: EncoderWorker;
  dark: boolean;
  onLayers: (model: string, batch: string, layers: LayerSummary[]) => void;
}) {
  // Every layer is measured over all pairs of a run's texts: pair lists and samples are left out (see below).
  const allPairs = (r: ModelRun) => (batchOf(session, r).pairs ?? 'all') === 'all';
  const layered = session.runs.filter((r) => r.depth !== undefined && allPairs(r));
  const leftOut = session.runs.filter((r) => r.depth !== undefined && !allPairs(r));
  const withLayers = layered.filter((r) => r.layers);
  const missing = layered.filter((r) => !r.layers);
  const [progress, setProgress] = useState<Progress>();
  const [error, setError] = useState<string>();
  const job = useRef<string | undefined>(undefined);
  const plot = useRef<HTMLDivElement>(null);

  const compute = async () => {
    if (!worker) return;
    setError(undefined);
    for (const run of missing) {
      const batch = batchOf(session, run);
      const { model, dtype, route } = splitModelSpec(run.model);
      const id = `${run.model}#${Date.now()}`;
      job.current = id;
      try {
        const texts = run.kept.map((k) => batch.texts[k]);
        const out = await worker.corpusLayers({ model, dtype, route }, texts, batch.excludeSpecial, id, Comlink.proxy((p: Omit<Progress, 'model'>) => setProgress({ model: run.model, ...p })));
        onLayers(run.model, run.batch, out.layers);
      } catch (e) {
        setError((e as Error).name === 'AbortError' || /cancelled/.test((e as Error).message) ? 'Cancelled: the layers computed before are kept.' : `${run.model}: ${(e as Error).message}`);
        break;
      } finally {
        job.current = undefined;
      }
    }
    setProgress(undefined);
  };

  useEffect(() => {
    if (!withLayers.length) return;
    let live = true;
    loadPlotly().then(async (Plotly) => {
      if (!live || !plot.current) return;
      const c = plotTheme(dark);
      const data: Data[] = [];
      withLayers.forEach((run, m) => {
        CHARTS.forEach((chart, k) => data.push({
          type: 'scatter', mode: 'lines+markers', name: run.model, legendgroup: run.model, showlegend: k === 0,
          x: run.layers!.map((l) => l.layer), y: run.layers!.map((l) => l[chart.key]),
          xaxis: `x${k ? k + 1 : ''}`, yaxis: `y${k ? k + 1 : ''}`,
          line: { color: PALETTE[m % PALETTE.length], width: 2, dash: dashOf(run.model) }, marker: { size: 5 },
          hovertemplate: `${run.model}<br>layer %{x}: %{y:.4f}<extra>${chart.title}</extra>`,
        } as Data));
      });
      const depth = Math.max(...withLayers.map((r) => r.layers!.length - 1));
      const axes: Record<string, unknown> = {};
      CHARTS.forEach((_, k) => {
        const col = k % 2;
        const row = k < 2 ? 1 : 0;
        axes[`xaxis${k ? k + 1 : ''}`] = { domain: col ? [0.56, 1] : [0, 0.44], anchor: `y${k ? k + 1 : ''}`, gridcolor: c.grid, zeroline: false, title: row ? undefined : { text: 'layer' }, dtick: depth > 12 ? 2 : 1, range: [-0.3, depth + 0.3] };
        axes[`yaxis${k ? k + 1 : ''}`] = { domain: row ? [0.6, 0.95] : [0, 0.38], anchor: `x${k ? k + 1 : ''}`, gridcolor: c.grid, zeroline: false, nticks: 5 };
      });
      const layout: Partial<Layout> = {
        height: 520, margin: { l: 56, r: 12, t: 70, b: 50 }, paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
        font: { color: c.fg, size: 13 }, ...axes,
        legend: { orientation: 'h', x: 0, xref: 'container', y: 1, yref: 'container', yanchor: 'top' },
        annotations: CHARTS.map((chart, k) => ({
          text: chart.title, xref: 'paper', yref: 'paper', x: k % 2 ? 0.56 : 0, xanchor: 'left', y: k < 2 ? 0.96 : 0.41, yanchor: 'bottom', showarrow: false, font: { size: 12, color: c.muted },
        })) as Layout['annotations'],
      };
      await Plotly.react(plot.current, data, layout, { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['toImage'] });
      untabModebar(plot.current);
    });
    return () => {
      live = false;
    };
  }, [withLayers, dark]);

  if (!layered.length) {
    return leftOut.length ? (
      <p className="muted corpus-layers" data-testid="corpus-layers-left-out">
        Layer by layer (the paper's §6) measures all pairs of a run's texts; {leftOut.map((r) => r.model).join(', ')} ran on a pair list or a sample, so {leftOut.length === 1 ? 'it is' : 'they are'} left out (poolscope corpus --layer all --pairs … does it in a terminal).
      </p>
    ) : null;
  }
  const rows = withLayers.flatMap((r) => r.layers!.map((l) => ({ model: r.model, ...l })));
  return (
    <section className="corpus-layers" aria-labelledby="corpus-layers-title" data-testid="corpus-layers">
      <h3 id="corpus-layers-title">Layer by layer (the paper's §6)</h3>
      <p className="muted">
        Within-text concentration and collapse at every layer: a fine-tuned encoder's tokens concentrate within each text in the
        later layers (spread and tr Σ fall, within-text cosine rises), which bounds d2 and so SOCM. Backbones solid, fine-tuned dashed.
        {leftOut.length > 0 && ` Runs on a pair list or a sample (${leftOut.map((r) => r.model).join(', ')}) are left out: this measures all pairs of a run's texts.`}
      </p>
      {missing.length > 0 && (
        <div className="row">
          <button type="button" data-testid="corpus-layers-run" disabled={!worker || Boolean(progress)} onClick={() => void compute()}>
            Compute every layer for {missing.map((r) => r.model).join(', ')}
          </button>
          <button type="button" disabled={!progress} onClick={() => job.current && worker?.cancelJob(job.current)}>Cancel</button>
          {progress && (
            <span role="status" data-testid="corpus-layers-status">
              {progress.model}: {progress.phase === 'loading' ? 'loading…' : progress.phase === 'encoding' ? `texts encoded ${formatCount(progress.done)} / ${formatCount(progress.total)}` : `layer ${progress.done} of ${progress.total} measured`}
              <progress max={progress.total} value={progress.done} aria-label="Every-layer progress" />
            </span>
          )}
        </div>
      )}
      {error && <p role="alert" className="error" data-testid="corpus-layers-error">{error}</p>}
      {withLayers.length > 0 && (
        <>
          <div ref={plot} data-testid="corpus-layers-plot" className="plot" role="img" aria-label="Mean SOCM, spread, tr Σ and within-text cosine at every layer, per model" />
          <details>
            <summary>The numbers</summary>
            <div className="table-scroll">
              <table data-testid="corpus-layers-table" className="corpus-table">
                <thead><tr>{COLUMNS.map((c) => <th key={c} scope="col">{c.replace(/_/g, ' ')}</th>)}</tr></thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={`${row.model}-${row.layer}`} data-model={row.model} data-layer={row.layer}>
                      <th scope="row">{row.model}</th><td>{row.layer}</td>
                      {COLUMNS.slice(2).map((c) => <td key={c} data-key={c} data-value={String(row[c])}>{c === 'flagged' ? formatCount(Number(row[c])) : formatNumber(Number(row[c]))}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          <div className="exports" role="group" aria-label="Export every-layer results">
            <span className="muted">Export:</span>
            <button type="button" onClick={() => download('poolscope-corpus-layers.csv', 'text/csv', `${[COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvField(String(r[c]))).join(','))].join('\n')}\n`)}>layers CSV</button>
            <button type="button" onClick={() => download('poolscope-corpus-layers.json', 'application/json', JSON.stringify({ models: withLayers.map((r: ModelRun) => ({ model: r.model, texts: r.result.summary.texts, excludeSpecial: batchOf(session, r).excludeSpecial, layers: r.layers })) }, null, 2))}>layers JSON</button>
          </div>
        </>
      )}
    </section>
  );
}
