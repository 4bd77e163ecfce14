import { useEffect, useRef } from 'react';
import type { Data } from 'plotly.js';
import type { PairStats } from '../../math';
import { LIMITS, socmFamily } from '../../sandbox';
import { formatNumber } from '../components/Metrics';
import { loadPlotly } from '../plotly';
import type { Palette } from './palette';

interface Props {
  stats: PairStats;
  p: number;
  q: number;
  onChange: (patch: { p?: number; q?: number }) => void;
  palette: Palette;
}

/**
 * The paper's family (1 − d1^p)·d2^q (Appendix B.6): every member keeps properties (a)–(e);
 * p = q = 1 is SOCM. The (d1, d2) square shaded by the chosen member, with this pair on it.
 */
export function FamilyPanel({ stats, p, q, onChange, palette: c }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const value = socmFamily(stats.d1, stats.d2, p, q);
  useEffect(() => {
    let live = true;
    void loadPlotly().then((Plotly) => {
      if (!live || !element.current) return;
      const top = Math.max(1, stats.d2);
      const grid = Array.from({ length: 51 }, (_, i) => i / 50);
      const d2s = grid.map((g) => g * top);
      const data: Data[] = [
        {
          type: 'heatmap', x: grid, y: d2s, z: d2s.map((d2) => grid.map((d1) => socmFamily(d1, d2, p, q))), zmin: 0, zmax: Math.max(1, socmFamily(0, top, p, q)),
          colorscale: 'Viridis', colorbar: { title: { text: p === 1 && q === 1 ? 'SOCM' : 'F' }, thickness: 14 },
          hovertemplate: 'd1 %{x:.2f}, d2 %{y:.2f}: %{z:.3f}<extra></extra>',
        },
        {
          type: 'scatter', mode: 'markers', x: [stats.d1], y: [stats.d2], name: 'this pair',
          marker: { size: 18, color: '#ffffff', line: { width: 4, color: '#000000' }, symbol: 'circle' },
          hovertemplate: 'this pair: d1 %{x:.4f}, d2 %{y:.4f}<extra></extra>',
        },
      ];
      void Plotly.react(element.current, data, {
        height: 320, margin: { l: 56, r: 10, t: 8, b: 46 }, paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', showlegend: false,
        font: { color: c.fg, size: 14 },
        xaxis: { title: { text: 'd1 (means apart →)' }, range: [-0.03, 1.03] },
        yaxis: { title: { text: 'd2 (clouds differ →)' }, range: [-0.03 * top, 1.03 * top] },
      }, { responsive: true, displaylogo: false });
    });
    return () => {
      live = false;
    };
  }, [stats.d1, stats.d2, p, q, c]);
  const slider = (name: 'p' | 'q', v: number) => (
    <label className="family-slider">
      {name} = <output>{v.toFixed(2)}</output>
      <input
        type="range" min={LIMITS.exponent[0]} max={LIMITS.exponent[1]} step={0.05} value={v} data-testid={`family-${name}`}
        onChange={(e) => onChange({ [name]: Number(e.target.value) })}
      />
    </label>
  );
  return (
    <section className="family" aria-labelledby="family-title">
      <h3 id="family-title">The family (1 − d1<sup>p</sup>)·d2<sup>q</sup></h3>
      <p className="muted small">Appendix B.6: any p, q &gt; 0 keeps properties (a)–(e); the paper uses p = q = 1, which is SOCM.</p>
      <div className="family-sliders">{slider('p', p)}{slider('q', q)}</div>
      <p>
        For this pair: (1 − d1<sup>{p}</sup>)·d2<sup>{q}</sup> = <strong data-testid="family" data-value={String(value)}>{formatNumber(value)}</strong>
        {(p !== 1 || q !== 1) && <span className="muted"> (SOCM {formatNumber(stats.socm)})</span>}
      </p>
      <div ref={element} className="family-plot" data-testid="family-landscape" role="img" aria-label="The chosen member of the family over the (d1, d2) square, with this pair marked" />
    </section>
  );
}
