import type * as PlotlyTypes from 'plotly.js';

export type PlotlyModule = typeof PlotlyTypes;
let loading: Promise<PlotlyModule> | undefined;

/** Plotly is large: load it once, on first use. */
export function loadPlotly(): Promise<PlotlyModule> {
  loading ??= import('plotly.js-dist-min').then((m) => ((m as unknown as { default?: PlotlyModule }).default ?? m) as PlotlyModule);
  return loading;
}

export interface PlotTheme {
  fg: string; muted: string; grid: string; a: string; b: string;
  /** d1 and d2 where both are drawn: hues of their own, not text A's and B's. */
  d1: string; d2: string;
}

/** Colours that read on a projector in both themes (A blue, B orange, d1 teal, d2 magenta: distinguishable in colour-blindness). */
export function plotTheme(dark: boolean): PlotTheme {
  return dark
    ? { fg: '#f3f4f6', muted: '#9ca3af', grid: '#374151', a: '#60a5fa', b: '#fb923c', d1: '#2dd4bf', d2: '#e879f9' }
    : { fg: '#111827', muted: '#4b5563', grid: '#e5e7eb', a: '#1d4ed8', b: '#c2410c', d1: '#0f766e', d2: '#a21caf' };
}

/** The page background of a theme: exported images are opaque on it. */
export function pageBackground(dark: boolean): string {
  return dark ? '#111827' : '#ffffff';
}

/**
 * Plotly's toolbar buttons are links, each a tab stop (nine per plot): keep them clickable but out
 * of the tab order; every export has a button of its own, and zoom resets by double click.
 */
export function untabModebar(plot: HTMLElement | null): void {
  plot?.querySelectorAll('.modebar-btn, .modebar a').forEach((b) => b.setAttribute('tabindex', '-1'));
}

/** "text" → "“text”", cut to `max` characters. */
export function quoteText(text: string, max = 110): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}”`;
}

/**
 * Saves a plot as PNG or SVG on an opaque background with a caption under it (what it shows: the
 * model, texts and numbers), so the image still says what it is when it leaves the page.
 */
export async function downloadPlot(plot: HTMLElement, options: { format: 'png' | 'svg'; filename: string; dark: boolean; caption: string[] }): Promise<void> {
  const Plotly = await loadPlotly();
  const figure = plot as unknown as { data: PlotlyTypes.Data[]; layout: Partial<PlotlyTypes.Layout> };
  const theme = plotTheme(options.dark);
  const bg = pageBackground(options.dark);
  const width = 1200;
  const lineHeight = 22;
  const captionHeight = options.caption.length * lineHeight + 16;
  const margin = { l: 60, r: 20, t: 40, b: 56, ...figure.layout.margin };
  const height = 800 + captionHeight;
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const layout: Partial<PlotlyTypes.Layout> = {
    ...figure.layout, width, height, autosize: false, paper_bgcolor: bg, plot_bgcolor: bg,
    margin: { ...margin, b: (margin.b ?? 56) + captionHeight + 40 },
    legend: { ...figure.layout.legend, bgcolor: bg },
    annotations: [
      ...(figure.layout.annotations ?? []),
      {
        text: options.caption.map(escape).join('<br>'), showarrow: false, xref: 'paper', yref: 'paper', x: 0, y: 0,
        xanchor: 'left', yanchor: 'top', align: 'left', yshift: -((margin.b ?? 56) + 34), font: { size: 14, color: theme.fg },
      },
    ],
  };
  await Plotly.downloadImage({ data: figure.data, layout } as unknown as HTMLElement, { format: options.format, filename: options.filename, width, height });
}
