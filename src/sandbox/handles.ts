/**
 * The six handles the student drags (mouse) or nudges (keyboard): each cloud's mean (on the
 * unit circle: only its direction matters after normalisation) and the two axes of its
 * covariance ellipse. An axis handle sits `gap` beyond the 1-σ ellipse on its axis, so it never
 * covers the mean even when that axis has no variance.
 */
import { cosSinDeg, type CloudParams } from './clouds';
import { normaliseCloud, type SandboxParams } from './params';

export type Side = 'a' | 'b';
export type HandleKind = 'mean' | 'axis1' | 'axis2';
export interface Handle { side: Side; kind: HandleKind }

export const HANDLES: Handle[] = (['a', 'b'] as const).flatMap((side) => (['mean', 'axis1', 'axis2'] as const).map((kind) => ({ side, kind })));

export function handlePosition(c: CloudParams, kind: HandleKind, gap: number): [number, number] {
  const [mx, my] = cosSinDeg(c.angle);
  if (kind === 'mean') return [mx, my];
  const [ct, st] = cosSinDeg(c.axis);
  const [ux, uy] = kind === 'axis1' ? [ct, st] : [-st, ct];
  const r = Math.sqrt(kind === 'axis1' ? c.var1 : c.var2) + gap;
  return [mx + r * ux, my + r * uy];
}

const degrees = (y: number, x: number) => (Math.atan2(y, x) * 180) / Math.PI;

function withCloud(s: SandboxParams, side: Side, c: CloudParams): SandboxParams {
  return { ...s, [side]: normaliseCloud(c) };
}

/** The parameters after dragging a handle to the point (x, y) of the view plane. */
export function moveHandle(s: SandboxParams, { side, kind }: Handle, x: number, y: number, gap: number): SandboxParams {
  const c = s[side];
  if (kind === 'mean') return x === 0 && y === 0 ? s : withCloud(s, side, { ...c, angle: degrees(y, x) });
  const [mx, my] = cosSinDeg(c.angle);
  const dx = x - mx, dy = y - my;
  const r = Math.hypot(dx, dy);
  if (r === 0) return s;
  const variance = Math.max(0, r - gap) ** 2;
  const direction = degrees(dy, dx) - (kind === 'axis2' ? 90 : 0);
  return withCloud(s, side, kind === 'axis1' ? { ...c, var1: variance, axis: direction } : { ...c, var2: variance, axis: direction });
}

/**
 * The parameters after a key press on a handle, or undefined when the key does nothing there.
 * Mean: ← ↓ / → ↑ turn it by 1° (Shift: 10°). Axis: ← → turn the ellipse by 1° (Shift: 10°),
 * ↑ ↓ change that axis's variance by 0.05 (Shift: 0.25).
 */
export function nudgeHandle(s: SandboxParams, { side, kind }: Handle, key: string, shift: boolean): SandboxParams | undefined {
  const c = s[side];
  const turn = shift ? 10 : 1;
  const grow = shift ? 0.25 : 0.05;
  const sign = key === 'ArrowRight' || key === 'ArrowUp' ? 1 : key === 'ArrowLeft' || key === 'ArrowDown' ? -1 : 0;
  if (!sign) return undefined;
  if (kind === 'mean') return withCloud(s, side, { ...c, angle: c.angle + sign * turn });
  if (key === 'ArrowLeft' || key === 'ArrowRight') return withCloud(s, side, { ...c, axis: c.axis + sign * turn });
  return withCloud(s, side, kind === 'axis1' ? { ...c, var1: c.var1 + sign * grow } : { ...c, var2: c.var2 + sign * grow });
}

/** What a screen reader says for a handle. */
export function handleText(c: CloudParams, kind: HandleKind): string {
  if (kind === 'mean') return `mean direction ${c.angle}°`;
  const v = kind === 'axis1' ? c.var1 : c.var2;
  return `variance ${v.toFixed(2)} along ${(kind === 'axis1' ? c.axis : (c.axis + 90) % 180)}°`;
}
