import { useEffect, useId, useRef, useState } from 'react';
import type { AttentionMap } from '../../analysis/panel';
import { loadPlotly, plotTheme, untabModebar } from '../plotly';

interface Props {
  /** Fetches a layer's attention over one text (from the encoder worker). */
  load: (text: string, layer: number) => Promise<AttentionMap>;
  texts: { a: string; b: string };
  /** The panel's layer (0 = embeddings has no attention: layer 1 is shown then). */
  layer: number;
  heads: number;
  dark: boolean;
}

/** The mean of the heads' matrices, or one head's. */
function matrix(map: AttentionMap, head: number | 'mean'): number[][] {
  const { n, heads, data } = map;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    if (head !== 'mean') return data[(head * n + i) * n + j];
    let s = 0;
    for (let h = 0; h < heads; h++) s += data[(h * n + i) * n + j];
    return s / heads;
  }));
}

/**
 * Where each token of text A or B looks, at the panel's layer: the attention probabilities of one
 * head, or their mean over heads, as a heatmap (rows: queries, columns: keys; hover names both).
 * Fetched only while open.
 */
export function AttentionView({ load, texts, layer, heads, dark }: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [which, setWhich] = useState<'a' | 'b'>('a');
  const [head, setHead] = useState<number | 'mean'>('mean');
  const [map, setMap] = useState<AttentionMap>();
  const [problem, setProblem] = useState<string>();
  const element = useRef<HTMLDivElement>(null);
  const shown = Math.max(1, layer);
  const text = texts[which];

  useEffect(() => {
    if (!open || !text.trim()) return;
    let live = true;
    load(text, shown).then((m) => live && (setMap(m), setProblem(undefined)), (e: Error) => live && setProblem(e.message));
    return () => {
      live = false;
    };
  }, [open, load, text, shown]);

  useEffect(() => {
    if (!open || !map || !element.current) return;
    let live = true;
    loadPlotly().then(async (Plotly) => {
      if (!live || !element.current) return;
      const c = plotTheme(dark);
      // Up to 60 tokens every row and column is named; beyond, token positions on numbered axes.
      const named = map.n <= 60;
      const labels = named ? map.tokens.map((t, i) => `${i}: ${t}`) : map.tokens.map((_, i) => i);
      const z = matrix(map, head);
      const top = Math.max(1e-6, ...z.map((row) => Math.max(...row)));
      await Plotly.react(element.current, [{
        // The colours span 0 … the largest probability shown, so diffuse attention (1/n each) still shows its pattern.
        type: 'heatmap', z, x: labels, y: labels, zmin: 0, zmax: top,
        colorscale: dark ? 'Viridis' : 'Blues', reversescale: !dark, colorbar: { title: { text: top < 0.999 ? `p (max ${top.toFixed(2)})` : 'p' }, thickness: 12 },
        hovertemplate: 'query %{y}<br>key %{x}<br>attention %{z:.3f}<extra></extra>',
      }], {
        height: Math.min(560, 180 + 14 * map.n), margin: { l: named ? 100 : 50, r: 10, t: 10, b: named ? 100 : 50 },
        paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', font: { color: c.fg, size: 11 },
        xaxis: { title: { text: named ? 'key (attended to)' : 'key (token position)' }, tickangle: named ? -60 : 0, automargin: true },
        yaxis: { title: { text: named ? 'query' : 'query (token position)' }, autorange: 'reversed', automargin: true },
      }, { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['toImage'] });
      untabModebar(element.current);
    });
    return () => {
      live = false;
    };
  }, [open, map, head, dark]);

  return (
    <details className="attention" data-testid="attention" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Attention at layer {shown}{layer === 0 ? ' (layer 0 is the embeddings: the first layer\'s attention is shown)' : ''}</summary>
      <div className="row">
        <fieldset className="inline">
          <legend className="sr-only">Text</legend>
          <label><input type="radio" name={`${id}-text`} checked={which === 'a'} onChange={() => setWhich('a')} /> text A</label>
          <label><input type="radio" name={`${id}-text`} checked={which === 'b'} onChange={() => setWhich('b')} /> text B</label>
        </fieldset>
        <label htmlFor={`${id}-head`}>head{' '}
          <select id={`${id}-head`} data-testid="attention-head" value={String(head)} onChange={(e) => setHead(e.target.value === 'mean' ? 'mean' : Number(e.target.value))}>
            <option value="mean">mean of {heads} heads</option>
            {Array.from({ length: heads }, (_, h) => <option key={h} value={h}>{h + 1}</option>)}
          </select>
        </label>
      </div>
      {problem && <p role="alert" className="status error">Error: {problem}</p>}
      {open && !map && !problem && <p role="status" className="muted">Computing the attention…</p>}
      <div ref={element} data-testid="attention-plot" role="img" aria-label={`Attention probabilities at layer ${shown} over the tokens of text ${which.toUpperCase()}`} />
    </details>
  );
}
