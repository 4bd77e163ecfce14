/**
 * Keystroke-to-plot timings, read by the latency benchmark (window.__poolscopeTimings): waiting
 * (debounce, or a superseded run still busy), encoding (only texts not cached; `encodedTexts`
 * says how many), statistics and rendering.
 */
export interface Timing {
  panel: number;
  model: string;
  waitMs?: number;
  encodeMs: number;
  encodedTexts?: number;
  statsMs: number;
  renderMs: number;
  at: number;
}

export function recordTiming(t: Timing): void {
  const w = window as unknown as { __poolscopeTimings?: Timing[] };
  (w.__poolscopeTimings ??= []).push(t);
}
