import type * as PlotlyTypes from 'plotly.js';

export type PlotlyModule = typeof PlotlyTypes;
let loading: Promise<PlotlyModule> | undefined;

/** Plotly is large: load it once, on first use. */
export function loadPlotly(): Promise<PlotlyModule> {
  loading ??= import('plotly.js-dist-min').then((m) => ((m as unknown as { default?: PlotlyModule }).default ?? m) as PlotlyModule);
  return loading;
}

export interface PlotTheme { fg: string; muted: string; grid: string; a: string; b: string }

/** Colours that read on a projector in both themes (A blue, B orange: distinguishable in colour-blindness). */
export function plotTheme(dark: boolean): PlotTheme {
  return dark
    ? { fg: '#f3f4f6', muted: '#9ca3af', grid: '#374151', a: '#60a5fa', b: '#fb923c' }
    : { fg: '#111827', muted: '#4b5563', grid: '#e5e7eb', a: '#1d4ed8', b: '#c2410c' };
}
