/**
 * The sandbox's whole state, and how it lives in the URL:
 *   d=64&seed=1&moments=sampled&ca=24,40,0.3,0.05,0,0.05&cb=…&p=1&q=1&step=a&story=2
 * `ca`, `cb`: tokens, mean direction (°), variance along axis 1, along axis 2, axis 1 direction (°),
 * variance off the view plane. Out-of-range values are clamped; junk falls back to the default.
 */
import type { CloudParams, CloudsSpec, Moments } from './clouds';
import { STORY } from './story';

export type StepId = 'a' | 'b' | 'c' | 'd' | 'e';
export const STEP_IDS: readonly StepId[] = ['a', 'b', 'c', 'd', 'e'];

export interface SandboxParams extends CloudsSpec {
  /** The family (1 − d1^p)·d2^q of Appendix B.6; p = q = 1 is SOCM. */
  p: number;
  q: number;
  /** The guided step in progress, if any. */
  step?: StepId;
  /** The story slide shown (0-based), if any. */
  story?: number;
}

export const LIMITS = {
  d: [2, 768], n: [3, 512], variance: [0, 2], exponent: [0.1, 5], seed: [0, 2 ** 31 - 1],
} as const;

export function defaultSandbox(): SandboxParams {
  return {
    d: 64, seed: 1, moments: 'exact',
    a: { n: 24, angle: 35, var1: 0.9, var2: 0.05, axis: 125, off: 0.05 },
    b: { n: 24, angle: 50, var1: 0.35, var2: 0.15, axis: 40, off: 0.05 },
    p: 1, q: 1,
  };
}

const clamp = (x: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, x));
/** Variances on a 0.01 grid, angles in whole degrees: what a link and the keyboard can reproduce exactly. */
export const roundVariance = (v: number) => Math.round(clamp(v, LIMITS.variance) * 100) / 100;
export const wrapDegrees = (deg: number, period = 360) => ((Math.round(deg) % period) + period) % period;

export function normaliseCloud(c: CloudParams): CloudParams {
  return {
    n: Math.round(clamp(c.n, LIMITS.n)), angle: wrapDegrees(c.angle), var1: roundVariance(c.var1), var2: roundVariance(c.var2),
    axis: wrapDegrees(c.axis, 180), off: roundVariance(c.off),
  };
}

export function normaliseSandbox(s: SandboxParams): SandboxParams {
  return {
    ...s, d: Math.round(clamp(s.d, LIMITS.d)), seed: Math.round(clamp(s.seed, LIMITS.seed)),
    a: normaliseCloud(s.a), b: normaliseCloud(s.b),
    p: Math.round(clamp(s.p, LIMITS.exponent) * 100) / 100, q: Math.round(clamp(s.q, LIMITS.exponent) * 100) / 100,
  };
}

function parseCloud(text: string | null, fallback: CloudParams): CloudParams {
  if (!text) return fallback;
  const v = text.split(',').map(Number);
  if (v.length !== 6 || v.some((x) => !Number.isFinite(x))) return fallback;
  const [n, angle, var1, var2, axis, off] = v;
  return normaliseCloud({ n, angle, var1, var2, axis, off });
}

const num = (text: string | null, fallback: number) => (text !== null && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : fallback);

export function parseSandbox(p: URLSearchParams): SandboxParams {
  const def = defaultSandbox();
  const step = p.get('step');
  const story = Number(p.get('story'));
  return normaliseSandbox({
    d: num(p.get('d'), def.d), seed: num(p.get('seed'), def.seed),
    moments: (p.get('moments') === 'sampled' ? 'sampled' : 'exact') as Moments,
    a: parseCloud(p.get('ca'), def.a), b: parseCloud(p.get('cb'), def.b),
    p: num(p.get('p'), def.p), q: num(p.get('q'), def.q),
    step: STEP_IDS.includes(step as StepId) ? (step as StepId) : undefined,
    // A scene number as a link writes it (story= or story=99 is no scene).
    story: /^\d+$/.test(p.get('story') ?? '') && story < STORY.length ? story : undefined,
  });
}

const cloudText = (c: CloudParams) => [c.n, c.angle, c.var1, c.var2, c.axis, c.off].join(',');

export function writeSandbox(p: URLSearchParams, s: SandboxParams): void {
  p.set('d', String(s.d));
  p.set('seed', String(s.seed));
  if (s.moments !== 'exact') p.set('moments', s.moments);
  p.set('ca', cloudText(s.a));
  p.set('cb', cloudText(s.b));
  if (s.p !== 1) p.set('p', String(s.p));
  if (s.q !== 1) p.set('q', String(s.q));
  if (s.step) p.set('step', s.step);
  if (s.story !== undefined) p.set('story', String(s.story));
}

/** Two different token sets with identical means: mean pooling maps them to one vector; SOCM is high. */
export function identicalMeansPreset(s: SandboxParams): SandboxParams {
  return {
    ...s,
    a: { ...s.a, angle: 45, var1: 1.9, var2: 0.02, axis: 135, off: 0 },
    b: { ...s.b, angle: 45, var1: 1.9, var2: 0.02, axis: 45, off: 0 },
  };
}
