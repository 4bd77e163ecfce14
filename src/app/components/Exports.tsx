import { csvField } from '../../corpus/parse';
import type { PanelResult } from '../analysis';
import { download } from '../download';
import { loadPlotly } from '../plotly';


/** Token coordinates and the numbers, as CSV. */
export function toCsv(model: string, result: PanelResult): string {
  const lines = ['model,text,position,token,special,pc1,pc2'];
  for (const [name, side, points] of [['A', result.a, result.view.pointsA], ['B', result.b, result.view.pointsB]] as const) {
    side.rows.forEach((r, i) => lines.push([model, name, r, csvField(side.tokens[r]), side.special[r], points[2 * i], points[2 * i + 1]].join(',')));
  }
  return `${lines.join('\n')}\n`;
}

export function toJson(model: string, texts: { a: string; b: string }, result: PanelResult): string {
  const { stats, view, pooled } = result;
  return JSON.stringify({
    model, texts, stats, pooled,
    pca: { singularValues: view.singularValues, energyShare: view.energyShare, pointsA: Array.from(view.pointsA), pointsB: Array.from(view.pointsB), meanA: view.meanA, meanB: view.meanB },
    tokens: { a: result.a.rows.map((r) => result.a.tokens[r]), b: result.b.rows.map((r) => result.b.tokens[r]) },
  }, null, 2);
}

export function Exports({ model, texts, result, plot }: { model: string; texts: { a: string; b: string }; result: PanelResult; plot?: HTMLDivElement }) {
  const base = `poolscope-${model.replace(/\W+/g, '-')}`;
  const image = async (format: 'png' | 'svg') => {
    if (plot) await (await loadPlotly()).downloadImage(plot, { format, filename: base, width: 1200, height: 800 });
  };
  return (
    <div className="exports" role="group" aria-label="Export">
      <span className="muted">Export:</span>
      <button type="button" onClick={() => void image('png')} disabled={!plot}>PNG</button>
      <button type="button" onClick={() => void image('svg')} disabled={!plot}>SVG</button>
      <button type="button" onClick={() => download(`${base}.csv`, 'text/csv', toCsv(model, result))}>CSV</button>
      <button type="button" onClick={() => download(`${base}.json`, 'application/json', toJson(model, texts, result))}>JSON</button>
    </div>
  );
}
