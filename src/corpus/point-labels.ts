/**
 * Where to put the labels of a labelled scatter so that no label covers another label or a point,
 * and none leaves the plot area (where it would run into the axes' tick labels). Greedy: each
 * point in turn takes the first free spot among sixteen directions around it, nearest first, then
 * further out; where none is free, the spot that overlaps least. Pixels, y downwards. DOM-free.
 */

export interface LabelSize { width: number; height: number }

/** Offset of a label's centre from its point, in pixels (y downwards); `far`: not next to its point (worth a leader line). */
export interface LabelOffset { dx: number; dy: number; far: boolean }

interface Box { left: number; right: number; top: number; bottom: number }

/** Right, left, above, below, then the diagonals and the directions between (unit steps in x and y). */
const DIRECTIONS: [number, number][] = [
  [1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1],
  [0.5, -1], [-0.5, -1], [0.5, 1], [-0.5, 1], [1, -0.5], [-1, -0.5], [1, 0.5], [-1, 0.5],
];

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Offsets for the labels of points at pixel positions `points` (inside an area `width` × `height`),
 * with markers of radius `radius` and labels `gap` pixels clear of their point.
 */
export function placeLabels(
  points: readonly { x: number; y: number }[],
  sizes: readonly LabelSize[],
  area: { width: number; height: number },
  options: { radius?: number; gap?: number; rings?: number } = {},
): LabelOffset[] {
  // Crowded points first (they have the fewest free spots); if some label still overlaps, the
  // other orders are tried and the arrangement that overlaps least is kept.
  const crowding = points.map((p) => points.reduce((s, q) => s + 1 / (1 + Math.hypot(p.x - q.x, p.y - q.y)), 0));
  const byCrowding = points.map((_, k) => k).sort((a, b) => crowding[b] - crowding[a]);
  const orders = [byCrowding, points.map((_, k) => k), [...byCrowding].reverse()];
  let best: { offsets: LabelOffset[]; cost: number } | undefined;
  for (const order of orders) {
    const tried = placeInOrder(points, sizes, area, options, order);
    if (!best || tried.cost < best.cost) best = tried;
    if (best.cost === 0) break;
  }
  return best!.offsets;
}

function placeInOrder(
  points: readonly { x: number; y: number }[],
  sizes: readonly LabelSize[],
  area: { width: number; height: number },
  options: { radius?: number; gap?: number; rings?: number },
  order: readonly number[],
): { offsets: LabelOffset[]; cost: number } {
  const radius = options.radius ?? 5;
  const gap = options.gap ?? 3;
  const rings = options.rings ?? 10;
  const markers: Box[] = points.map((p) => ({ left: p.x - radius, right: p.x + radius, top: p.y - radius, bottom: p.y + radius }));
  const placed: Box[] = [];
  const offsets: LabelOffset[] = new Array(points.length);
  let total = 0;
  for (const k of order) {
    const p = points[k];
    const { width, height } = sizes[k];
    let best: { offset: LabelOffset; box: Box; cost: number } | undefined;
    for (let ring = 0; ring < rings && !(best && best.cost === 0); ring++) {
      const out = radius + gap + ring * (height * 0.8);
      for (const [ux, uy] of DIRECTIONS) {
        const dx = ux * (out + width / 2);
        const dy = uy * (out + height / 2);
        const box = { left: p.x + dx - width / 2, right: p.x + dx + width / 2, top: p.y + dy - height / 2, bottom: p.y + dy + height / 2 };
        // Outside the area counts as covering that much of something.
        const outside = width * height - overlap(box, { left: 0, right: area.width, top: 0, bottom: area.height });
        let cost = outside * 4;
        for (const other of placed) cost += overlap(box, other);
        for (const m of markers) cost += overlap(box, m);
        // Nearer spots win ties; a spot further out must be strictly better.
        if (!best || cost < best.cost) best = { offset: { dx, dy, far: ring > 0 }, box, cost };
        if (cost === 0) break;
      }
    }
    placed.push(best!.box);
    offsets[k] = best!.offset;
    total += best!.cost;
  }
  return { offsets, cost: total };
}
