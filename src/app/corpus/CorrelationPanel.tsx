import { useEffect, useMemo, useRef, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import { correlation, correlationSvg, matchScores, MIN_MODELS, parseScores, readScore, type Correlation } from '../../corpus/correlation';
import { decodeCorpusBytes } from '../../corpus/parse';
import { paddedRange } from '../../corpus/scatter-svg';
import { orderByFamily } from '../../corpus/table1';
import { download } from '../download';
import { formatNumber, plural } from '../format';
import { loadPlotly, plotTheme, untabModebar } from '../plotly';
import { splitModelSpec } from '../url-state';
import { placeLabels } from '../../corpus/point-labels';
import type { ModelRun } from './session';

/** A score as typed: a number, nothing (an empty field), or null (not a number). */
function typedScore(typed: string): number | undefined | null {
  return typed.trim() === '' ? undefined : readScore(typed) ?? null;
}

/** How long typing pauses before the scores are kept with the session. */
const KEEP_AFTER_MS = 400;

const PLOT_HEIGHT = 380;
const MARGIN = { l: 64, r: 20, t: 20, b: 56 };
const LABEL_FONT = { size: 12, family: '"Open Sans", verdana, arial, sans-serif' };

let measurer: CanvasRenderingContext2D | null | undefined;
/** A label's width in pixels at the plot's label font. */
function textWidth(text: string): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return text.length * LABEL_FONT.size * 0.6;
  measurer.font = `${LABEL_FONT.size}px ${LABEL_FONT.family}`;
  return measurer.measureText(text).width;
}

/**
 * The paper's Figure 5 for the kept runs: each run's mean SOCM against a downstream score the user
 * types (one field per model) or loads from a CSV (columns model,score, as `poolscope correlate`
 * reads it); Spearman's ρ with its bootstrap interval, a labelled scatter, JSON and SVG exports.
 * Scores are the user's: nothing is fetched.
 */
export function CorrelationPanel({ runs, scores, onScores, dark, textSets = 1 }: {
  runs: readonly ModelRun[];
  /** How many different sets of texts the runs measured (more than one: their means are not comparable as they stand). */
  textSets?: number;
  scores: Record<string, number>;
  onScores: (scores: Record<string, number>) => void;
  dark: boolean;
}) {
  const ordered = useMemo(() => orderByFamily(runs.map((r) => ({ model: splitModelSpec(r.model).model, run: r }))).map((x) => x.run), [runs]);
  const [drafts, setDrafts] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(scores).map(([m, v]) => [m, String(v)])));
  const [message, setMessage] = useState<{ kind: 'note' | 'error'; text: string }>();
  const plot = useRef<HTMLDivElement>(null);

  // Scores loaded or restored from elsewhere show in the fields.
  const kept = useRef(scores);
  useEffect(() => {
    if (kept.current === scores) return;
    kept.current = scores;
    setDrafts((d) => ({ ...d, ...Object.fromEntries(Object.entries(scores).map(([m, v]) => [m, typedScore(d[m] ?? '') === v ? d[m] : String(v)])) }));
  }, [scores]);

  // Typed scores are kept with the session once typing pauses (and on leaving the field).
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const keep = (next: Record<string, string>) => {
    clearTimeout(timer.current);
    const values: Record<string, number> = { ...scores };
    for (const [model, typed] of Object.entries(next)) {
      const v = typedScore(typed);
      if (v === undefined || v === null) delete values[model];
      else values[model] = v;
    }
    kept.current = values;
    onScores(values);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  const type = (model: string, typed: string) => {
    const next = { ...drafts, [model]: typed };
    setDrafts(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => keep(next), KEEP_AFTER_MS);
  };

  const loadCsv = async (file: File) => {
    setMessage(undefined);
    let parsed: Map<string, number>;
    try {
      parsed = parseScores(decodeCorpusBytes(new Uint8Array(await file.arrayBuffer()), file.name));
    } catch (error) {
      const text = (error as Error).message;
      setMessage({ kind: 'error', text: `${text.startsWith(file.name) ? text : `${file.name}: ${text}`}. The scores are unchanged.` });
      return;
    }
    const { matched, unmatched } = matchScores(ordered.map((r) => r.model), parsed);
    const next = { ...drafts, ...Object.fromEntries([...matched].map(([m, v]) => [m, String(v)])) };
    setDrafts(next);
    keep(next);
    const missing = ordered.filter((r) => !matched.has(r.model)).map((r) => r.model);
    setMessage({
      kind: 'note',
      text: `${plural(matched.size, 'score')} from ${file.name}${unmatched.length ? `; not among these runs: ${unmatched.join(', ')}` : ''}${missing.length ? `; no score there for ${missing.join(', ')}` : ''}`,
    });
  };

  const points = ordered.flatMap((r) => {
    const score = typedScore(drafts[r.model] ?? '');
    return typeof score === 'number' ? [{ model: r.model, mean_socm: r.result.summary.mean_socm, score }] : [];
  });
  const result: Correlation | undefined = useMemo(() => (points.length >= MIN_MODELS ? correlation(points) : undefined), [JSON.stringify(points)]);
  const bad = ordered.filter((r) => typedScore(drafts[r.model] ?? '') === null).map((r) => r.model);

  // The plot's width: labels are placed in pixels, again when it changes.
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const div = plot.current;
    if (!div) return;
    const observer = new ResizeObserver(() => setWidth(Math.round(div.clientWidth)));
    observer.observe(div);
    return () => observer.disconnect();
  }, [Boolean(result)]);

  useEffect(() => {
    if (!result || !width) return;
    let live = true;
    loadPlotly().then(async (Plotly) => {
      if (!live || !plot.current) return;
      const c = plotTheme(dark);
      const xs = result.points.map((p) => p.mean_socm);
      const ys = result.points.map((p) => p.score);
      const [x0, x1] = paddedRange(xs, 0.12);
      const [y0, y1] = paddedRange(ys, 0.15);
      const area = { width: Math.max(1, width - MARGIN.l - MARGIN.r), height: PLOT_HEIGHT - MARGIN.t - MARGIN.b };
      const pixels = result.points.map((p) => ({ x: ((p.mean_socm - x0) / (x1 - x0)) * area.width, y: ((y1 - p.score) / (y1 - y0)) * area.height }));
      // Every label clear of the others, of the points and of the axes.
      const offsets = placeLabels(pixels, result.points.map((p) => ({ width: textWidth(p.model) + 4, height: LABEL_FONT.size + 6 })), area, { radius: 6 });
      const data: Data[] = [{
        type: 'scatter', mode: 'markers', x: xs, y: ys, text: result.points.map((p) => p.model), marker: { size: 10, color: c.a },
        hovertemplate: '%{text}<br>mean SOCM %{x:.4f}<br>score %{y}<extra></extra>',
      }];
      const layout: Partial<Layout> = {
        height: PLOT_HEIGHT, margin: MARGIN, paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', font: { color: c.fg, size: 14 }, showlegend: false,
        xaxis: { title: { text: 'mean SOCM' }, range: [x0, x1], gridcolor: c.grid, zeroline: false, nticks: Math.max(3, Math.floor(area.width / 90)) },
        yaxis: { title: { text: 'score' }, range: [y0, y1], gridcolor: c.grid, zeroline: false },
        // A label that had to move away from its point gets a thin line to it.
        annotations: result.points.map((p, k) => (offsets[k].far
          ? { x: p.mean_socm, y: p.score, text: p.model, showarrow: true, ax: offsets[k].dx, ay: offsets[k].dy, arrowhead: 0, arrowwidth: 1, arrowcolor: c.muted, standoff: 6, font: { ...LABEL_FONT, color: c.fg } }
          : { x: p.mean_socm, y: p.score, text: p.model, showarrow: false, xshift: offsets[k].dx, yshift: -offsets[k].dy, font: { ...LABEL_FONT, color: c.fg }, xanchor: 'center', yanchor: 'middle' })) as Layout['annotations'],
      };
      await Plotly.react(plot.current, data, layout, { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['toImage'] });
      untabModebar(plot.current);
    });
    return () => {
      live = false;
    };
  }, [result, dark, width]);

  return (
    <section className="correlation" aria-labelledby="correlation-title" data-testid="correlation">
      <h3 id="correlation-title">Mean SOCM against a downstream score (the paper's Figure 5)</h3>
      <p className="muted">
        Type a score for each model (an MTEB average, say; note where it comes from) or load a CSV with the columns model and score.
        Spearman's ρ ranks the models both ways; its interval resamples the models (wide for a handful). The scores stay in this browser.
      </p>
      <div className="table-scroll">
        <table className="corpus-table score-table" data-testid="score-table">
          <thead><tr><th scope="col">model</th><th scope="col">mean SOCM</th><th scope="col">score</th></tr></thead>
          <tbody>
            {ordered.map((r) => (
              <tr key={r.model}>
                <th scope="row" className="score-model">{r.model.split('/').map((part, k) => (k ? <span key={k}>/<wbr />{part}</span> : part))}</th>
                <td data-value={String(r.result.summary.mean_socm)}>{formatNumber(r.result.summary.mean_socm)}</td>
                <td>
                  <input
                    type="text" inputMode="decimal" data-testid="score-input" data-model={r.model} value={drafts[r.model] ?? ''} placeholder="score"
                    aria-label={`Score of ${r.model}`} aria-invalid={bad.includes(r.model)} onChange={(e) => type(r.model, e.target.value)} onBlur={() => keep(drafts)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row">
        <label className="file">Scores CSV (model,score){' '}
          <input type="file" data-testid="scores-file" accept=".csv,text/csv" onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void loadCsv(f);
          }} />
        </label>
      </div>
      {textSets > 1 && (
        <p className="flag" role="note" data-testid="correlation-mixed">⚑ These runs measured {textSets} different sets of texts: rank models by mean SOCM on the same texts (run them again together).</p>
      )}
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} data-testid="scores-message" className={message.kind === 'error' ? 'error' : 'muted'}>{message.text}</p>}
      {bad.length > 0 && <p className="notice" role="note">Not a number, left out: the score of {bad.join(', ')}.</p>}
      {result ? (
        <>
          <p className="rho" data-testid="correlation-result">
            Spearman's ρ = <strong data-testid="spearman-rho" data-value={String(result.spearman_rho)}>{Number.isFinite(result.spearman_rho) ? result.spearman_rho.toFixed(3) : 'undefined (one side is constant)'}</strong>
            {result.ci95 && (
              <span data-testid="spearman-ci" data-lo={String(result.ci95[0])} data-hi={String(result.ci95[1])}>
                {' '}(95% interval {result.ci95[0].toFixed(2)} to {result.ci95[1].toFixed(2)})
              </span>
            )}
            , {plural(result.n, 'model')}
          </p>
          <div ref={plot} data-testid="correlation-plot" className="plot correlation-plot" role="img" aria-label={`Mean SOCM against score for ${plural(result.n, 'model')}`} />
          <div className="exports" role="group" aria-label="Export the correlation">
            <span className="muted">Export:</span>
            <button type="button" onClick={() => download('poolscope-correlation.json', 'application/json', `${JSON.stringify(result, null, 2)}\n`)}>correlation JSON</button>
            <button type="button" onClick={() => download('poolscope-correlation.svg', 'image/svg+xml', correlationSvg(result))}>scatter SVG</button>
          </div>
        </>
      ) : (
        <p className="notice" data-testid="correlation-why">
          No ρ yet: Spearman's ρ needs at least {MIN_MODELS} models with a score, and {points.length === 0 ? 'none has one' : `only ${points.map((p) => p.model).join(' and ')} ${points.length === 1 ? 'has' : 'have'} one`}
          {runs.length < MIN_MODELS ? ` (${plural(runs.length, 'model')} kept: run more models on the same texts)` : ''}.
        </p>
      )}
    </section>
  );
}
