/** Keystroke-to-plot timings, read by the latency benchmark (window.__poolscopeTimings). */
export interface Timing { panel: number; model: string; encodeMs: number; statsMs: number; renderMs: number; at: number }

export function recordTiming(t: Timing): void {
  const w = window as unknown as { __poolscopeTimings?: Timing[] };
  (w.__poolscopeTimings ??= []).push(t);
}
