/** A labelled scatter plot as a standalone SVG document (the paper's Figure 5). DOM-free. */

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** About `count` round tick values (steps of 1, 2 or 5 × 10^k) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** A padded axis range around values (`pad` of their span each side); a single value gets a range of its own. */
export function paddedRange(values: readonly number[], pad = 0.08): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    const half = Math.abs(lo) * 0.1 || 1;
    lo -= half;
    hi += half;
  }
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

export function scatterSvg(points: readonly ScatterPoint[], options: { title: string; xLabel: string; yLabel: string; width?: number; height?: number }): string {
  const width = options.width ?? 640;
  const height = options.height ?? 440;
  const m = { left: 70, right: 20, top: 40, bottom: 56 };
  const [x0, x1] = paddedRange(points.map((p) => p.x));
  const [y0, y1] = paddedRange(points.map((p) => p.y));
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * (width - m.left - m.right);
  const sy = (y: number) => height - m.bottom - ((y - y0) / (y1 - y0)) * (height - m.top - m.bottom);
  const f = (v: number) => v.toFixed(2);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
    `<g stroke="#999">`,
    `<line x1="${m.left}" y1="${height - m.bottom}" x2="${width - m.right}" y2="${height - m.bottom}"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${height - m.bottom}"/>`,
    '</g>',
  ];
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${f(sx(t))}" y1="${height - m.bottom}" x2="${f(sx(t))}" y2="${height - m.bottom + 5}" stroke="#999"/><text x="${f(sx(t))}" y="${height - m.bottom + 18}" text-anchor="middle">${t}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${m.left - 5}" y1="${f(sy(t))}" x2="${m.left}" y2="${f(sy(t))}" stroke="#999"/><text x="${m.left - 8}" y="${f(sy(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  parts.push(`<text x="${(m.left + width - m.right) / 2}" y="${height - 14}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  for (const p of points) {
    const label = escapeXml(p.label);
    parts.push(`<g><title>${label}: ${p.x}, ${p.y}</title><circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="5" fill="#3b6fb6"/><text x="${f(sx(p.x) + 8)}" y="${f(sy(p.y) - 6)}" font-size="11">${label}</text></g>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
