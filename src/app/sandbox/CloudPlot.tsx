import { forwardRef, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { HANDLES, handlePosition, handleText, moveHandle, nudgeHandle, type CloudParams, type Handle, type SandboxParams } from '../../sandbox';
import type { Palette } from './palette';
import type { SandboxResult } from './useSandbox';

const SIZE = 560;
/** A legend band below the plot square (labels never sit on the data). */
const LEGEND = 46;

/** The shown square: the unit circle (so the origin), and each cloud's 2.2-σ reach around its mean. */
export interface Frame { x0: number; y0: number; span: number }

export function plotFrame(p: SandboxParams): Frame {
  let lo = [-1.15, -1.15], hi = [1.15, 1.15];
  for (const c of [p.a, p.b]) {
    const [mx, my] = handlePosition(c, 'mean', 0);
    const r = 2.2 * Math.sqrt(Math.max(c.var1, c.var2)) + 0.15;
    lo = [Math.min(lo[0], mx - r), Math.min(lo[1], my - r)];
    hi = [Math.max(hi[0], mx + r), Math.max(hi[1], my + r)];
  }
  // Quarter steps, so small drags do not rescale the picture.
  const span = Math.ceil(Math.max(hi[0] - lo[0], hi[1] - lo[1]) * 4) / 4;
  const centre = (k: number) => Math.round(((lo[k] + hi[k]) / 2) * 4) / 4;
  return { x0: centre(0) - span / 2, y0: centre(1) - span / 2, span };
}

function star(x: number, y: number, r: number): string {
  return Array.from({ length: 10 }, (_, k) => {
    const t = -Math.PI / 2 + (k * Math.PI) / 5;
    const rr = k % 2 ? r * 0.45 : r;
    return `${(x + rr * Math.cos(t)).toFixed(2)},${(y + rr * Math.sin(t)).toFixed(2)}`;
  }).join(' ');
}

interface Props {
  params: SandboxParams;
  result?: SandboxResult;
  palette: Palette;
  onChange: (params: SandboxParams) => void;
}

const NAMES = { mean: 'Mean', axis1: 'Ellipse axis 1', axis2: 'Ellipse axis 2' } as const;

/**
 * The view plane (uncentred: the origin is 0): both clouds' normalised tokens, their 1-σ
 * ellipses and means, the unit circle every normalised mean lies on, and six handles to drag
 * or to focus and move with the arrow keys. Plain SVG with literal colours, so it exports as is.
 */
export const CloudPlot = forwardRef<SVGSVGElement, Props>(function CloudPlot({ params, result, palette: c, onChange }, ref) {
  const [drag, setDrag] = useState<{ handle: Handle; frame: Frame }>();
  const svg = useRef<SVGSVGElement | null>(null);
  // The frame holds still during a drag: the handle stays under the pointer.
  const frame = drag?.frame ?? plotFrame(params);
  const { x0, y0, span } = frame;
  const gap = 0.045 * span;
  const px = (x: number) => ((x - x0) / span) * SIZE;
  const py = (y: number) => SIZE - ((y - y0) / span) * SIZE;
  const unit = SIZE / span;

  const toPlane = (e: PointerEvent): [number, number] | undefined => {
    const m = svg.current?.getScreenCTM();
    if (!m) return undefined;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    return [x0 + (p.x / SIZE) * span, y0 + ((SIZE - p.y) / SIZE) * span];
  };
  const down = (handle: Handle) => (e: PointerEvent<SVGGElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    (e.currentTarget as unknown as HTMLElement).focus();
    setDrag({ handle, frame });
  };
  const move = (e: PointerEvent) => {
    if (!drag) return;
    const p = toPlane(e);
    if (p) onChange(moveHandle(params, drag.handle, p[0], p[1], 0.045 * drag.frame.span));
  };
  const key = (handle: Handle) => (e: KeyboardEvent) => {
    const next = nudgeHandle(params, handle, e.key, e.shiftKey);
    if (!next) return;
    e.preventDefault();
    onChange(next);
  };

  const step = span > 5 ? 1 : 0.5;
  const ticks = (from: number) => Array.from({ length: Math.floor(span / step) + 2 }, (_, k) => (Math.ceil(from / step) + k) * step).filter((t) => t <= from + span);
  const xs = ticks(x0), ys = ticks(y0);
  const ellipse = (cl: CloudParams) => {
    const [mx, my] = handlePosition(cl, 'mean', 0);
    return (
      <ellipse
        cx={px(mx)} cy={py(my)} rx={Math.max(0.5, Math.sqrt(cl.var1) * unit)} ry={Math.max(0.5, Math.sqrt(cl.var2) * unit)}
        transform={`rotate(${-cl.axis} ${px(mx)} ${py(my)})`} fill="none" strokeWidth={2.5}
      />
    );
  };
  const sides = [['a', c.a], ['b', c.b]] as const;

  return (
    <svg
      ref={(el) => {
        svg.current = el;
        if (typeof ref === 'function') ref(el);
        else if (ref) ref.current = el;
      }}
      viewBox={`0 0 ${SIZE} ${SIZE + LEGEND}`} xmlns="http://www.w3.org/2000/svg" className="cloud-plot" data-testid="sandbox-plot"
      role="group" aria-label="Token clouds A and B in the view plane; drag the handles or focus one and use the arrow keys"
      onPointerMove={move} onPointerUp={() => setDrag(undefined)} onPointerCancel={() => setDrag(undefined)}
      fontFamily="system-ui, sans-serif"
    >
      <rect width={SIZE} height={SIZE + LEGEND} fill={c.bg} />
      <g stroke={c.grid} strokeWidth={1}>
        {xs.map((t) => <line key={`x${t}`} x1={px(t)} x2={px(t)} y1={0} y2={SIZE} />)}
        {ys.map((t) => <line key={`y${t}`} y1={py(t)} y2={py(t)} x1={0} x2={SIZE} />)}
      </g>
      <g stroke={c.muted} strokeWidth={1.5}>
        <line x1={px(0)} x2={px(0)} y1={0} y2={SIZE} />
        <line y1={py(0)} y2={py(0)} x1={0} x2={SIZE} />
      </g>
      <g fill={c.muted} fontSize={13}>
        {xs.filter((t) => t !== 0).map((t) => <text key={`x${t}`} x={px(t) + 3} y={SIZE - 6}>{t}</text>)}
        {ys.filter((t) => t !== 0).map((t) => <text key={`y${t}`} x={4} y={py(t) - 4}>{t}</text>)}
        <text x={px(0) + 4} y={py(0) + 15}>0</text>
      </g>
      <circle cx={px(0)} cy={py(0)} r={unit} fill="none" stroke={c.muted} strokeWidth={1.5} strokeDasharray="6 5" />
      {result && sides.map(([side, color]) => {
        const pts = result.plane[side].points;
        return (
          <g key={`tokens-${side}`} fill={color} opacity={0.7}>
            {Array.from({ length: pts.length / 2 }, (_, i) => side === 'a'
              ? <circle key={i} cx={px(pts[2 * i])} cy={py(pts[2 * i + 1])} r={4} />
              : <rect key={i} x={px(pts[2 * i]) - 3.5} y={py(pts[2 * i + 1]) - 3.5} width={7} height={7} />)}
          </g>
        );
      })}
      {sides.map(([side, color]) => <g key={`ellipse-${side}`} stroke={color}>{ellipse(params[side])}</g>)}
      {result && sides.map(([side, color]) => {
        const [mx, my] = result.plane[side].mean;
        return <polygon key={`mean-${side}`} points={star(px(mx), py(my), 13)} fill={color} stroke={c.fg} strokeWidth={1.5} />;
      })}
      {HANDLES.map((h) => {
        const cl = params[h.side];
        const color = h.side === 'a' ? c.a : c.b;
        const [x, y] = handlePosition(cl, h.kind, gap);
        const [mx, my] = handlePosition(cl, 'mean', 0);
        const label = `${NAMES[h.kind]} of ${h.side.toUpperCase()}`;
        return (
          <g
            key={`${h.side}-${h.kind}`} className="handle" tabIndex={0} role="slider" aria-label={label}
            aria-valuetext={handleText(cl, h.kind)} data-testid={`handle-${h.kind}-${h.side}`}
            onPointerDown={down(h)} onKeyDown={key(h)} style={{ cursor: drag ? 'grabbing' : 'grab', touchAction: 'none' }}
          >
            {h.kind !== 'mean' && <line x1={px(mx)} y1={py(my)} x2={px(x)} y2={py(y)} stroke={color} strokeWidth={1.5} strokeDasharray="3 3" pointerEvents="none" />}
            <circle className="focus-ring" cx={px(x)} cy={py(y)} r={17} fill="none" stroke={c.accent} strokeWidth={3} visibility="hidden" />
            {h.kind === 'mean'
              ? <circle cx={px(x)} cy={py(y)} r={9} fill="none" stroke={c.fg} strokeWidth={3} />
              : <rect x={px(x) - 7} y={py(y) - 7} width={14} height={14} rx={3} fill={c.bg} stroke={color} strokeWidth={3} />}
            <circle cx={px(x)} cy={py(y)} r={16} fill="transparent" />
          </g>
        );
      })}
      <g transform={`translate(0 ${SIZE})`} fontSize={15} fill={c.fg}>
        <line x1={0} x2={SIZE} y1={0} y2={0} stroke={c.grid} />
        <circle cx={14} cy={26} r={5} fill={c.a} /><text x={24} y={31}>A tokens</text>
        <rect x={102} y={21} width={10} height={10} fill={c.b} /><text x={118} y={31}>B tokens</text>
        <polygon points={star(204, 26, 9)} fill={c.fg} /><text x={216} y={31}>means</text>
        <text x={280} y={31} fill={c.muted}>drag:</text>
        <circle cx={330} cy={26} r={6} fill="none" stroke={c.fg} strokeWidth={2.5} /><text x={341} y={31}>mean</text>
        <rect x={391} y={20} width={12} height={12} rx={2} fill="none" stroke={c.fg} strokeWidth={2.5} /><text x={409} y={31}>axis</text>
        <line x1={452} x2={478} y1={26} y2={26} stroke={c.muted} strokeWidth={1.5} strokeDasharray="6 5" /><text x={484} y={31}>‖μ‖ = 1</text>
      </g>
    </svg>
  );
});
