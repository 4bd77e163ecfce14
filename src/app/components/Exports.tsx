import { useState } from 'react';
import { csvField } from '../../corpus/parse';
import type { PanelResult } from '../../analysis/pair';
import type { LayerStats } from '../../engine/layers';
import { download } from '../download';
import { formatNumber } from '../format';
import { downloadPlot, quoteText } from '../plotly';
import { energyCaption } from './PcaPlot';

/** Token coordinates and the numbers, as CSV. */
export function toCsv(model: string, result: PanelResult): string {
  const lines = ['model,text,position,token,special,pc1,pc2'];
  for (const [name, side, points] of [['A', result.a, result.view.pointsA], ['B', result.b, result.view.pointsB]] as const) {
    side.rows.forEach((r, i) => lines.push([model, name, r, csvField(side.tokens[r]), side.special[r], points[2 * i], points[2 * i + 1]].join(',')));
  }
  return `${lines.join('\n')}\n`;
}

/** The layer a panel shows and every layer's statistics (models built from their own weights). */
export interface ShownLayers { layer: number; layers: readonly LayerStats[] }

export function toJson(model: string, texts: { a: string; b: string }, result: PanelResult, shown?: ShownLayers): string {
  const { stats, view, pooled } = result;
  return JSON.stringify({
    model, texts, stats, pooled,
    ...(shown ? { layer: shown.layer, depth: shown.layers.length - 1, layers: shown.layers } : {}),
    pca: { singularValues: view.singularValues, energyShare: view.energyShare, pointsA: Array.from(view.pointsA), pointsB: Array.from(view.pointsB), meanA: view.meanA, meanB: view.meanB },
    tokens: { a: result.a.rows.map((r) => result.a.tokens[r]), b: result.b.rows.map((r) => result.b.tokens[r]) },
  }, null, 2);
}

/** The lines under an exported plot: what it shows. */
export function plotCaption(model: string, texts: { a: string; b: string }, result: PanelResult, readable: boolean, shown?: ShownLayers): string[] {
  const { stats } = result;
  const at = shown ? ` · layer ${shown.layer} of ${shown.layers.length - 1}${shown.layer === 0 ? ' (embeddings)' : ''}` : '';
  return [
    `Poolscope · ${model}${at} · SOCM (Second-Order Collapse by Mean pooling) ${formatNumber(stats.socm)} · d1 ${formatNumber(stats.d1)} · d2 ${formatNumber(stats.d2)} · ${stats.tokensA} vs ${stats.tokensB} tokens${readable ? '' : ' · too few tokens to read'}`,
    energyCaption(result),
    `A: ${quoteText(texts.a)}`,
    `B: ${quoteText(texts.b)}`,
  ];
}

interface Props {
  model: string;
  /** The layer shown, when the model has layers: in the JSON with every layer's numbers, and in the captions. */
  shown?: ShownLayers;
  texts: { a: string; b: string };
  result: PanelResult;
  plot?: HTMLDivElement;
  dark: boolean;
  readable: boolean;
}

export function Exports({ model, texts, result, plot, dark, readable, shown }: Props) {
  const [error, setError] = useState<string>();
  const base = `poolscope-${model.replace(/\W+/g, '-')}`;
  const run = async (what: string, save: () => void | Promise<void>) => {
    setError(undefined);
    try {
      await save();
    } catch (e) {
      setError(`The ${what} export failed: ${(e as Error).message}`);
    }
  };
  const image = (format: 'png' | 'svg') => run(format.toUpperCase(), async () => {
    if (plot) await downloadPlot(plot, { format, filename: base, dark, caption: plotCaption(model, texts, result, readable, shown) });
  });
  return (
    <div className="exports" role="group" aria-label="Export">
      <span className="muted">Export:</span>
      <button type="button" onClick={() => void image('png')} disabled={!plot}>PNG</button>
      <button type="button" onClick={() => void image('svg')} disabled={!plot}>SVG</button>
      <button type="button" onClick={() => void run('CSV', () => download(`${base}.csv`, 'text/csv', toCsv(model, result)))}>CSV</button>
      <button type="button" onClick={() => void run('JSON', () => download(`${base}.json`, 'application/json', toJson(model, texts, result, shown)))}>JSON</button>
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
