/** A labelled scatter plot as a standalone SVG document (the paper's Figure 5). DOM-free. */
import { placeLabels } from './point-labels';

/** Label font size (px) and a sans-serif's average character width in em, to size labels without a DOM. */
const LABEL_SIZE = 11;
const LABEL_EM = 0.5;

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
  // Labels clear of each other, the points and the axes.
  const area = { width: width - m.left - m.right, height: height - m.top - m.bottom };
  const at = points.map((p) => ({ x: sx(p.x) - m.left, y: sy(p.y) - m.top }));
  const sizes = points.map((p) => ({ width: p.label.length * LABEL_EM * LABEL_SIZE + 4, height: LABEL_SIZE + 6 }));
  const offsets = placeLabels(at, sizes, area, { radius: 5 });
  points.forEach((p, k) => {
    const label = escapeXml(p.label);
    const [cx, cy] = [sx(p.x), sy(p.y)];
    const [lx, ly] = [cx + offsets[k].dx, cy + offsets[k].dy];
    // A label not beside its point gets a line from the point to the label's nearest edge.
    const [w, h] = [sizes[k].width / 2, sizes[k].height / 2];
    const [ex, ey] = [Math.min(Math.max(cx, lx - w), lx + w), Math.min(Math.max(cy, ly - h), ly + h)];
    const leader = Math.hypot(ex - cx, ey - cy) > 9 ? `<line x1="${f(cx)}" y1="${f(cy)}" x2="${f(ex)}" y2="${f(ey)}" stroke="#999" stroke-width="0.8"/>` : '';
    parts.push(`<g><title>${label}: ${p.x}, ${p.y}</title>${leader}<circle cx="${f(cx)}" cy="${f(cy)}" r="5" fill="#3b6fb6"/><text x="${f(lx)}" y="${f(ly + LABEL_SIZE * 0.35)}" text-anchor="middle" font-size="${LABEL_SIZE}" paint-order="stroke" stroke="white" stroke-width="3">${label}</text></g>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
