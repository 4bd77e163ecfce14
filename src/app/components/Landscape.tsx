import { useEffect, useRef } from 'react';
import type { Data } from 'plotly.js';
import type { PairStats } from '../../math';
import { loadPlotly, plotTheme, untabModebar } from '../plotly';

/** One panel's pair; `readable` is false when its clouds are too small to read (drawn hollow). */
export interface LandscapePoint { label: string; stats: PairStats; readable: boolean }

const MARKERS = ['circle', 'diamond', 'square', 'triangle-up'] as const;
const COLOURS = ['#ffffff', '#fde047', '#f472b6', '#67e8f9'];

/**
 * The (d1, d2) square shaded by (1 − d1)·d2, with each panel's current pair: how to read a
 * number. Panels are told apart by marker and a legend under the plot (text labels on the
 * points collide when pairs are close, and clip at the edges).
 */
export function Landscape({ points, dark }: { points: LandscapePoint[]; dark: boolean }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    loadPlotly().then(async (Plotly) => {
      if (!live || !element.current) return;
      const c = plotTheme(dark);
      const top = Math.max(1, ...points.map((p) => p.stats.d2));
      const grid = Array.from({ length: 41 }, (_, i) => i / 40);
      const d2s = grid.map((g) => g * top);
      const data: Data[] = [
        {
          type: 'heatmap', x: grid, y: d2s, z: d2s.map((d2) => grid.map((d1) => (1 - d1) * d2)), name: 'SOCM', showlegend: false,
          colorscale: 'Viridis', colorbar: { title: { text: 'SOCM' }, thickness: 14 }, hovertemplate: 'd1 %{x:.2f}, d2 %{y:.2f}: SOCM %{z:.3f}<extra></extra>',
        },
        ...points.map((p, k): Data => ({
          type: 'scatter', mode: 'markers', name: `${k + 1}. ${p.label}${p.readable ? '' : ' (too few tokens to read)'}`,
          x: [p.stats.d1], y: [p.stats.d2], cliponaxis: false,
          marker: { size: 16, symbol: `${MARKERS[k % 4]}${p.readable ? '' : '-open'}`, color: COLOURS[k % 4], line: { width: 3, color: '#111827' } },
          hovertemplate: `${k + 1}. ${p.label}: d1 %{x:.4f}, d2 %{y:.4f}<extra></extra>`,
        })),
      ];
      await Plotly.react(element.current, data, {
        height: 380, margin: { l: 60, r: 10, t: 10, b: 50 }, paper_bgcolor: 'rgba(0,0,0,0)',
        font: { color: c.fg, size: 14 },
        xaxis: { title: { text: 'd1 (means apart →)' }, range: [-0.02, 1.02] },
        yaxis: { title: { text: 'd2 (clouds differ →)' }, range: [-0.02 * top, 1.02 * top] },
        // Positioned in the container, not the plot area: Plotly then reserves room for it at any width.
        showlegend: true, legend: { orientation: 'h', x: 0, xref: 'container', y: 1, yref: 'container', yanchor: 'top' },
      }, { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['toImage'] });
      untabModebar(element.current);
    });
    return () => {
      live = false;
    };
  }, [points, dark]);
  return (
    <section className="landscape card" aria-labelledby="landscape-title">
      <h2 id="landscape-title">SOCM landscape</h2>
      <p className="muted">Top left is collapse: means close, clouds different. Each marker is one panel's pair (legend above the plot); a hollow one is too small to read.</p>
      <div ref={element} data-testid="landscape" className="plot landscape-plot" role="img" aria-label={`SOCM as a function of d1 and d2, with each panel's pair: ${points.map((p) => `${p.label} d1 ${p.stats.d1.toFixed(3)}, d2 ${p.stats.d2.toFixed(3)}`).join('; ')}`} />
    </section>
  );
}
