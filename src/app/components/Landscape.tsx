import { useEffect, useRef } from 'react';
import type { Data } from 'plotly.js';
import type { PairStats } from '../../math';
import { loadPlotly, plotTheme } from '../plotly';

export interface LandscapePoint { label: string; stats: PairStats }

/** The (d1, d2) square shaded by (1 − d1)·d2, with each panel's current pair: how to read a number. */
export function Landscape({ points, dark }: { points: LandscapePoint[]; dark: boolean }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    loadPlotly().then((Plotly) => {
      if (!live || !element.current) return;
      const c = plotTheme(dark);
      const top = Math.max(1, ...points.map((p) => p.stats.d2));
      const grid = Array.from({ length: 41 }, (_, i) => i / 40);
      const d2s = grid.map((g) => g * top);
      const data: Data[] = [
        {
          type: 'heatmap', x: grid, y: d2s, z: d2s.map((d2) => grid.map((d1) => (1 - d1) * d2)),
          colorscale: 'Viridis', colorbar: { title: { text: 'SOCM' } }, hovertemplate: 'd1 %{x:.2f}, d2 %{y:.2f}: SOCM %{z:.3f}<extra></extra>',
        },
        {
          type: 'scatter', mode: 'text+markers', x: points.map((p) => p.stats.d1), y: points.map((p) => p.stats.d2),
          text: points.map((p) => p.label), textposition: points.map((p) => (p.stats.d1 < 0.3 ? 'top right' : p.stats.d1 > 0.7 ? 'top left' : 'top center')) as unknown as 'top center', textfont: { color: '#ffffff', size: 14 },
          marker: { size: 16, color: '#ffffff', line: { width: 3, color: '#111827' } }, hovertemplate: '%{text}: d1 %{x:.4f}, d2 %{y:.4f}<extra></extra>',
        },
      ];
      void Plotly.react(element.current, data, {
        height: 360, margin: { l: 60, r: 20, t: 10, b: 50 }, paper_bgcolor: 'rgba(0,0,0,0)',
        font: { color: c.fg, size: 14 },
        xaxis: { title: { text: 'd1 (means apart →)' }, range: [0, 1] },
        yaxis: { title: { text: 'd2 (clouds differ →)' }, range: [0, top] },
      }, { responsive: true, displaylogo: false });
    });
    return () => {
      live = false;
    };
  }, [points, dark]);
  return (
    <section className="landscape card" aria-labelledby="landscape-title">
      <h2 id="landscape-title">SOCM landscape</h2>
      <p className="muted">Top left is collapse: means close, clouds different. Each dot is one panel's pair.</p>
      <div ref={element} data-testid="landscape" role="img" aria-label="SOCM as a function of d1 and d2, with each panel's pair" />
    </section>
  );
}
