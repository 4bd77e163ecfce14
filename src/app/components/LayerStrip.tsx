import { useEffect, useId, useRef } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { LayerStats } from '../../engine/layers';
import { formatNumber } from '../format';
import { loadPlotly, plotTheme, untabModebar, type PlotTheme } from '../plotly';

/** y-ranges of the strip's four charts, shared by panels of the same depth so they compare at a glance. */
export interface StripRanges {
  socm: [number, number];
  parts: [number, number];
  trace: [number, number];
  cosine: [number, number];
}

const CHARTS = ['socm', 'parts', 'trace', 'cosine'] as const;

/** Chart titles that double as legends (A and B, d1 and d2, in their plot colours); shorter on a narrow strip. */
function titles(c: PlotTheme, narrow: boolean): Record<(typeof CHARTS)[number], string> {
  const ab = `<span style="color:${c.a}">A</span> · <span style="color:${c.b}">B</span>`;
  const [d1, d2] = [`<span style="color:${c.d1}">d1</span>`, `<span style="color:${c.d2}">d2</span>`];
  return {
    socm: 'SOCM',
    parts: narrow ? `${d1} · ${d2}` : `${d1} means · ${d2} covariances`,
    trace: narrow ? `tr Σ of ${ab}` : `tr Σ (spread²) of ${ab}`,
    cosine: narrow ? `cosine in ${ab}` : `token cosine within ${ab}`,
  };
}

function span(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return [0, 1];
  const lo = Math.min(0, ...finite);
  const hi = Math.max(...finite);
  return [lo, hi > lo ? hi + (hi - lo) * 0.08 : lo + 1];
}

/** The y-range each chart needs for these layers (merge several panels' with mergeRanges). */
export function stripRanges(layers: readonly LayerStats[]): StripRanges {
  return {
    socm: span(layers.map((l) => l.socm)),
    parts: span(layers.flatMap((l) => [l.d1, l.d2])),
    trace: span(layers.flatMap((l) => [l.traceA, l.traceB])),
    cosine: span(layers.flatMap((l) => [l.withinCosA, l.withinCosB])),
  };
}

export function mergeRanges(all: readonly StripRanges[]): StripRanges | undefined {
  if (!all.length) return undefined;
  const merge = (key: keyof StripRanges): [number, number] => [Math.min(...all.map((r) => r[key][0])), Math.max(...all.map((r) => r[key][1]))];
  return { socm: merge('socm'), parts: merge('parts'), trace: merge('trace'), cosine: merge('cosine') };
}

interface Props {
  layers: LayerStats[];
  layer: number;
  onLayer: (layer: number) => void;
  dark: boolean;
  /** Shared y-ranges (panels of the same depth), else this panel's own. */
  ranges?: StripRanges;
  label: string;
}

/**
 * The paper's §6 for one panel: SOCM, d1 and d2, tr Σ and the within-text token cosine of A and B
 * at every layer 0…L, with a slider (arrow keys step it) that switches the panel's plot, numbers and
 * pooling table to that layer. Clicking a point in a chart picks its layer too.
 */
export function LayerStrip({ layers, layer, onLayer, dark, ranges, label }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const id = useId();
  const L = layers.length - 1;
  const current = layers[layer];
  const onLayerRef = useRef(onLayer);
  onLayerRef.current = onLayer;

  useEffect(() => {
    let live = true;
    loadPlotly().then(async (Plotly) => {
      if (!live || !element.current) return;
      const c = plotTheme(dark);
      const x = layers.map((l) => l.layer);
      const r = ranges ?? stripRanges(layers);
      const line = (y: number[], name: string, color: string, axis: number, dash?: string): Data => ({
        type: 'scatter', mode: 'lines+markers', name, x, y, xaxis: `x${axis === 1 ? '' : axis}`, yaxis: `y${axis === 1 ? '' : axis}`,
        line: { color, width: 2, dash }, marker: { size: 6, color }, showlegend: false,
        hovertemplate: `${name}, layer %{x}: %{y:.4f}<extra></extra>`,
      } as Data);
      const data: Data[] = [
        line(layers.map((l) => l.socm), 'SOCM', c.fg, 1),
        line(layers.map((l) => l.d1), 'd1', c.d1, 2), line(layers.map((l) => l.d2), 'd2', c.d2, 2),
        line(layers.map((l) => l.traceA), 'tr Σ A', c.a, 3), line(layers.map((l) => l.traceB), 'tr Σ B', c.b, 3),
        line(layers.map((l) => l.withinCosA), 'cos A', c.a, 4), line(layers.map((l) => l.withinCosB), 'cos B', c.b, 4),
      ];
      const axis = (k: number, range: [number, number]) => ({
        [`xaxis${k === 1 ? '' : k}`]: { domain: k % 2 ? [0, 0.44] : [0.56, 1], anchor: `y${k === 1 ? '' : k}`, range: [-0.3, L + 0.3], dtick: L > 12 ? 4 : 1, gridcolor: c.grid, zeroline: false, title: k > 2 ? { text: 'layer', standoff: 2 } : undefined, fixedrange: true },
        [`yaxis${k === 1 ? '' : k}`]: { domain: k <= 2 ? [0.62, 1] : [0, 0.38], anchor: `x${k === 1 ? '' : k}`, range, gridcolor: c.grid, zeroline: false, nticks: 4, fixedrange: true },
      });
      // Each chart is under half the strip wide: below about 520 px the long titles would be cut off.
      const text = titles(c, element.current.clientWidth < 520);
      const chartTitles = CHARTS.map((key, k) => ({
        text: text[key], xref: 'paper', yref: 'paper', x: k % 2 ? 0.56 : 0, xanchor: 'left', y: k < 2 ? 1.02 : 0.42, yanchor: 'bottom', showarrow: false,
        font: { size: 12, color: c.muted },
      }));
      const marks = CHARTS.map((_, k) => ({
        type: 'line', xref: `x${k === 0 ? '' : k + 1}`, yref: 'paper', x0: layer, x1: layer,
        y0: k < 2 ? 0.62 : 0, y1: k < 2 ? 1 : 0.38, line: { color: c.muted, width: 1.5, dash: 'dash' },
      }));
      const layout: Partial<Layout> = {
        height: 320, margin: { l: 44, r: 10, t: 30, b: 40 },
        paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', font: { color: c.fg, size: 12 },
        ...axis(1, r.socm), ...axis(2, r.parts), ...axis(3, r.trace), ...axis(4, r.cosine),
        annotations: chartTitles as Layout['annotations'], shapes: marks as Layout['shapes'], hoverlabel: { font: { size: 13 } },
      };
      await Plotly.react(element.current, data, layout, { responsive: true, displaylogo: false, displayModeBar: false });
      untabModebar(element.current);
      const plot = element.current as unknown as { removeAllListeners?: (e: string) => void; on?: (e: string, f: (ev: { points: { x: number }[] }) => void) => void };
      plot.removeAllListeners?.('plotly_click');
      plot.on?.('plotly_click', (ev) => ev.points[0] && onLayerRef.current(Number(ev.points[0].x)));
    });
    return () => {
      live = false;
    };
  }, [layers, layer, dark, ranges, L]);

  return (
    <figure className="layer-strip" data-testid="layer-strip">
      <figcaption className="layer-control">
        <label htmlFor={`${id}-layer`}>Layer <strong data-testid="layer" data-value={layer}>{layer}</strong> of {L}</label>{' '}
        <input
          id={`${id}-layer`} type="range" min={0} max={L} step={1} value={layer} data-testid="layer-slider"
          aria-valuetext={`layer ${layer} of ${L}${layer === 0 ? ' (embeddings)' : layer === L ? ' (last)' : ''}`}
          onChange={(e) => onLayer(Number(e.target.value))}
        />
        <span className="muted">
          {layer === 0 ? ' embeddings (after their LayerNorm)' : layer === L ? ' the last hidden state' : ''}
          {current ? ` · SOCM ${formatNumber(current.socm)}` : ''}
        </span>
      </figcaption>
      <div ref={element} className="layer-plot" role="img" aria-label={`${label}: SOCM, d1, d2, tr Σ and within-text cosine at every layer 0 to ${L}; layer ${layer} is shown`} />
    </figure>
  );
}
