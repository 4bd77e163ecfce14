/** Numbers as the page shows them (full precision stays in data-value attributes). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  // A tiny negative is float32 rounding of a quantity that is ≥ 0 (SOCM at d1 = 1.0000002): 0, not "-2.12e-9".
  if (x === 0 || (x < 0 && x > -1e-6)) return '0';
  const abs = Math.abs(x);
  return abs >= 1e-3 && abs < 1e4 ? x.toFixed(4) : x.toExponential(2);
}

/** A count with thousands separators: 1999000 → "1,999,000". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A duration a person reads at a glance: "45 s", "22 min", "3 h 5 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown time';
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${formatCount(h)} h ${m} min` : `${formatCount(h)} h`;
}

/** "1 text", "2 texts". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : many}`;
}
