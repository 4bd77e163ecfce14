import { useEffect, useRef } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { Pooling } from '../../math';
import type { PanelResult } from '../analysis';
import { loadPlotly, plotTheme, untabModebar } from '../plotly';
import { POOLING_INFO } from '../pooling-info';
import { labelSides } from './labels';

interface Props {
  result: PanelResult;
  dark: boolean;
  showEllipses: boolean;
  label: string;
  /** Poolings to draw (all when absent), and whether after L2 normalisation. */
  pooledShown?: ReadonlySet<Pooling>;
  pooledNormalised?: boolean;
  onRendered: (ms: number, element: HTMLDivElement) => void;
}

function ellipsePath(e: PanelResult['ellipses'][number]): { x: number[]; y: number[] } {
  const x: number[] = [], y: number[] = [];
  for (let k = 0; k <= 64; k++) {
    const t = (2 * Math.PI * k) / 64;
    const u = e.rx * Math.cos(t), v = e.ry * Math.sin(t);
    x.push(e.cx + u * Math.cos(e.angle) - v * Math.sin(e.angle));
    y.push(e.cy + u * Math.sin(e.angle) + v * Math.cos(e.angle));
  }
  return { x, y };
}

/** [min, max] of the traces' x or y, widened by a sixth of the span on each side (labels need room). */
function paddedRange(data: Data[], axis: 'x' | 'y'): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const trace of data) {
    for (const v of ((trace as Record<string, unknown>)[axis] as number[] | undefined) ?? []) {
      if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
  }
  if (!Number.isFinite(lo)) return undefined;
  const pad = Math.max((hi - lo) / 6, 1e-6);
  return [lo - pad, hi + pad];
}

/** Both texts' normalised tokens on the panel's two uncentred principal axes (paper Figure 1). */
export function PcaPlot({ result, dark, showEllipses, label, pooledShown, pooledNormalised = false, onRendered }: Props) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    const t = performance.now();
    loadPlotly().then(async (Plotly) => {
      if (!live || !element.current) return;
      const c = plotTheme(dark);
      const { view, a, b, pooled } = result;
      const cloud = (side: typeof a, points: Float64Array, name: string, color: string): Data => ({
        type: 'scatter', mode: 'markers', name: `${name} tokens`,
        x: Array.from({ length: points.length / 2 }, (_, i) => points[2 * i]),
        y: Array.from({ length: points.length / 2 }, (_, i) => points[2 * i + 1]),
        text: side.rows.map((r) => `${side.tokens[r]}  ·  ${name} position ${r}${side.special[r] ? ' (special)' : ''}`),
        hovertemplate: '%{text}<br>(%{x:.3f}, %{y:.3f})<extra></extra>',
        marker: { color, size: 10, opacity: 0.75, line: { width: 1, color: dark ? '#111827' : '#ffffff' } },
      });
      const data: Data[] = [cloud(a, view.pointsA, 'A', c.a), cloud(b, view.pointsB, 'B', c.b)];
      if (showEllipses) {
        result.ellipses.forEach((e, k) => data.push({
          type: 'scatter', mode: 'lines', ...ellipsePath(e), name: `1-σ ${k ? 'B' : 'A'}`, hoverinfo: 'skip',
          line: { color: k ? c.b : c.a, dash: 'dot', width: 2 },
        }));
      }
      for (const p of pooled) {
        if (pooledShown && !pooledShown.has(p.pooling)) continue;
        const isMean = p.pooling === 'mean';
        const [pa, pb] = pooledNormalised ? [p.unitA, p.unitB] : [p.a, p.b];
        const name = POOLING_INFO[p.pooling].name;
        data.push({
          type: 'scatter', mode: isMean ? 'text+markers' : 'markers', name: `${name} pooling${pooledNormalised ? ' ÷ ‖v‖' : ''}`,
          x: [pa[0], pb[0]], y: [pa[1], pb[1]], text: [`${name} A`, `${name} B`],
          // Opposite sides when the two points are close (the collapse case): labels never overlap.
          textposition: labelSides(pa, pb) as unknown as 'top center', textfont: { color: c.fg, size: 14 }, cliponaxis: false,
          hovertemplate: '%{text}<br>(%{x:.3f}, %{y:.3f})<extra></extra>',
          marker: { symbol: POOLING_INFO[p.pooling].symbol, size: isMean ? 22 : 13, color: [c.a, c.b], line: { width: 2, color: c.fg } },
        });
      }
      const layout: Partial<Layout> = {
        margin: { l: 60, r: 16, t: 16, b: 56 }, height: 420,
        paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
        font: { color: c.fg, size: 14 },
        // Ranges with room around every drawn point, so a pooled vector's label at the edge stays inside.
        xaxis: { title: { text: 'PC1' }, gridcolor: c.grid, zeroline: false, range: paddedRange(data, 'x') },
        yaxis: { title: { text: 'PC2' }, gridcolor: c.grid, zeroline: false, range: paddedRange(data, 'y') },
        // Above the plot, positioned in the container: Plotly then reserves room for it at any
        // width (a paper-positioned legend kept a stale place after a resize and covered points).
        legend: { orientation: 'h', x: 0, xref: 'container', y: 1, yref: 'container', yanchor: 'top' },
        hoverlabel: { font: { size: 14 } },
      };
      // The toolbar's own PNG button would save a transparent plot without its caption: the
      // panel's Export buttons do it properly.
      await Plotly.react(element.current, data, layout, { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['toImage'] });
      untabModebar(element.current);
      if (live) onRendered(performance.now() - t, element.current);
    });
    return () => {
      live = false;
    };
  }, [result, dark, showEllipses, label, pooledShown, pooledNormalised, onRendered]);
  return (
    <figure className="pca">
      {/* Above the plot, not a Plotly title: HTML wraps on a phone, a plot title is cut off. */}
      <figcaption className="muted">{energyCaption(result)}</figcaption>
      <div ref={element} data-testid="pca-plot" className="pca-plot" role="img" aria-label={`Token clouds of A and B under ${label}, projected on two principal axes`} />
    </figure>
  );
}

/** What the PCA plot shows, and how much of the tokens' energy its two axes keep. */
export function energyCaption(result: PanelResult): string {
  return `Uncentred PCA of both texts' normalised tokens · the two axes keep ${(100 * result.view.energyShare).toFixed(1)}% of the energy`;
}
