/**
 * Guided steps through the paper's properties (a)–(e) of SOCM (§4.2.3). Each step puts the
 * clouds somewhere to start from, gives the student a task, and checks the student's result
 * against the property with the numbers the engine computed: a step is done when all its
 * goals have been met since it started.
 */
import type { CloudParams } from './clouds';
import type { SandboxParams, StepId } from './params';

export interface Snapshot {
  d1: number;
  d2: number;
  socm: number;
}

/** What a check sees: the pair now, and (for (e)) the same clouds with B's mean moved onto A's. */
export interface Observation extends Snapshot {
  together?: Snapshot;
}

export interface Goal {
  id: string;
  label: string;
  met: (start: Observation, now: Observation) => boolean;
}

export interface GuidedStep {
  id: StepId;
  /** The property, as the paper states it. */
  property: string;
  task: string;
  hint: string;
  start: (s: SandboxParams) => SandboxParams;
  /** Also measure B's cloud with its mean moved onto A's (same covariances). */
  needsTogether?: boolean;
  goals: Goal[];
  /** What the numbers say about the task right now. */
  explain: (start: Observation, now: Observation) => string;
}

/** "Exactly", allowing for float32 (the WebGPU route is good to ~1e-5 here). */
export const EXACT = 1e-3;
/** Rounding slack when comparing SOCM before and after a move. */
const SLACK = 1e-4;

/** Three decimals, never "-0.000" (float32 rounding just below zero). */
const f = (x: number) => (Math.abs(x) < 5e-4 ? 0 : x).toFixed(3);
const flat = (c: CloudParams, angle: number, var1: number, var2: number, axis: number): CloudParams => ({ ...c, angle, var1, var2, axis, off: 0 });
const place = (s: SandboxParams, a: [number, number, number, number], b: [number, number, number, number]): SandboxParams => ({
  ...s, moments: 'exact', a: flat(s.a, ...a), b: flat(s.b, ...b), step: s.step,
});

export const STEPS: GuidedStep[] = [
  {
    id: 'a',
    property: '(a) When collapse arises: SOCM = 1 if and only if d1 = 0 and d2 = 1.',
    task: 'Make SOCM exactly 1.',
    hint: 'SOCM = 1 needs identical means (d1 = 0) and clouds as different as they can be (d2 = 1): put the means together, then make each cloud a line holding all its variance (tr Σ = 2) and turn the lines to right angles.',
    start: (s) => place(s, [30, 0.5, 0.2, 0], [60, 0.3, 0.3, 0]),
    goals: [{ id: 'one', label: 'SOCM = 1', met: (_, now) => Math.abs(now.socm - 1) <= EXACT }],
    explain: (_, now) => {
      const missing = [
        now.d1 > EXACT && `the means still differ (d1 = ${f(now.d1)})`,
        now.d2 < 1 - EXACT && `the clouds are not yet as different as they can be (d2 = ${f(now.d2)})`,
      ].filter(Boolean);
      return missing.length ? `SOCM = (1 − d1)·d2 = ${f(now.socm)}: ${missing.join(' and ')}.` : `SOCM = ${f(now.socm)} with d1 = ${f(now.d1)} and d2 = ${f(now.d2)}: property (a).`;
    },
  },
  {
    id: 'b',
    property: '(b) When collapse does not arise: SOCM = 0 if and only if d1 = 1 or d2 = 0.',
    task: 'Make SOCM exactly 0, both ways: once with the means apart, once with the clouds alike.',
    hint: 'Put the means opposite each other (d1 = 1); then bring them closer and give both clouds the same ellipse (d2 = 0).',
    start: (s) => place(s, [30, 0.5, 0.2, 0], [60, 0.3, 0.3, 0]),
    goals: [
      { id: 'apart', label: 'SOCM = 0 because d1 = 1', met: (_, now) => now.socm <= EXACT && now.d1 >= 1 - EXACT },
      { id: 'alike', label: 'SOCM = 0 because d2 = 0', met: (_, now) => now.socm <= EXACT && now.d2 <= EXACT && now.d1 < 1 - EXACT },
    ],
    explain: (_, now) => `d1 = ${f(now.d1)}, d2 = ${f(now.d2)}, SOCM = ${f(now.socm)}${now.socm <= EXACT ? `: zero, because ${now.d1 >= 1 - EXACT ? 'd1 = 1' : 'd2 = 0'}` : ''}.`,
  },
  {
    id: 'c',
    property: '(c) Monotone in d1: SOCM does not increase as the means move apart.',
    task: 'Keep d2: push the means apart (raise d1 by 0.1 or more) without touching the ellipses.',
    hint: 'Drag a mean (or focus it and use ← →) along the circle; leave both ellipses as they are.',
    start: (s) => place(s, [40, 1.2, 0.05, 0], [50, 1.2, 0.05, 90]),
    goals: [{
      id: 'apart', label: 'd1 up by 0.1, d2 kept, SOCM not up',
      met: (start, now) => now.d1 - start.d1 >= 0.1 && Math.abs(now.d2 - start.d2) <= 0.01 && now.socm <= start.socm + SLACK,
    }],
    explain: (start, now) => {
      if (Math.abs(now.d2 - start.d2) > 0.01) return `d2 changed (${f(start.d2)} → ${f(now.d2)}): move only the means.`;
      if (now.d1 - start.d1 < 0.1) return `d1 is ${f(now.d1)} (from ${f(start.d1)}): push the means further apart.`;
      return `d1 ${f(start.d1)} → ${f(now.d1)}, d2 kept at ${f(now.d2)}: SOCM ${f(start.socm)} → ${f(now.socm)}${now.socm <= start.socm + SLACK ? ', not up: property (c).' : ', up: property (c) would be broken.'}`;
    },
  },
  {
    id: 'd',
    property: '(d) Monotone in d2: SOCM does not decrease as the clouds differ more.',
    task: 'Keep the means: make the clouds differ more (raise d2 by 0.1 or more).',
    hint: 'Drag an ellipse’s axis handle (or focus it: ↑ ↓ change its variance, ← → turn it); leave the means where they are.',
    start: (s) => place(s, [30, 0.2, 0.2, 0], [90, 0.2, 0.2, 0]),
    goals: [{
      id: 'differ', label: 'd2 up by 0.1, d1 kept, SOCM not down',
      met: (start, now) => Math.abs(now.d1 - start.d1) <= EXACT && now.d2 - start.d2 >= 0.1 && now.socm >= start.socm - SLACK,
    }],
    explain: (start, now) => {
      if (Math.abs(now.d1 - start.d1) > EXACT) return `d1 changed (${f(start.d1)} → ${f(now.d1)}): leave the means where they are.`;
      if (now.d2 - start.d2 < 0.1) return `d2 is ${f(now.d2)} (from ${f(start.d2)}): make the clouds differ more.`;
      return `d2 ${f(start.d2)} → ${f(now.d2)}, d1 kept at ${f(now.d1)}: SOCM ${f(start.socm)} → ${f(now.socm)}${now.socm >= start.socm - SLACK ? ', not down: property (d).' : ', down: property (d) would be broken.'}`;
    },
  },
  {
    id: 'e',
    property: '(e) Interaction: ∂²SOCM/∂d1∂d2 ≤ 0, so a change in d2 matters less when the means are apart.',
    task: 'With the means apart (d1 = 0.5), make the clouds differ (raise d2 by 0.1 or more). Compare SOCM’s rise with the rise the same clouds would give with the means together.',
    hint: 'Change only B’s ellipse. The step measures B’s cloud a second time with its mean moved onto A’s.',
    start: (s) => place(s, [0, 0.2, 0.2, 0], [90, 0.2, 0.2, 0]),
    needsTogether: true,
    goals: [{
      id: 'less', label: 'the same rise in d2 raises SOCM less with the means apart',
      met: (start, now) => Boolean(start.together && now.together) && Math.abs(now.d1 - start.d1) <= EXACT && now.d1 >= 0.2 &&
        now.d2 - start.d2 >= 0.1 && now.socm - start.socm < now.together!.socm - start.together!.socm - SLACK,
    }],
    explain: (start, now) => {
      if (!start.together || !now.together) return 'Measuring…';
      if (Math.abs(now.d1 - start.d1) > EXACT) return `d1 changed (${f(start.d1)} → ${f(now.d1)}): leave the means where they are.`;
      if (now.d2 - start.d2 < 0.1) return `d2 is ${f(now.d2)} (from ${f(start.d2)}): make B’s ellipse differ more from A’s.`;
      const apart = now.socm - start.socm, together = now.together.socm - start.together.socm;
      return `d2 ${f(start.d2)} → ${f(now.d2)}: SOCM rose by ${f(apart)} with the means apart (d1 = ${f(now.d1)}), by ${f(together)} with them together: ` +
        `the rise is scaled by (1 − d1) = ${f(1 - now.d1)}.`;
    },
  },
];

export function stepById(id: StepId): GuidedStep {
  return STEPS.find((s) => s.id === id)!;
}

/** B's cloud with its mean moved onto A's, everything else the same. */
export function meansTogether(s: SandboxParams): SandboxParams {
  return { ...s, b: { ...s.b, angle: s.a.angle } };
}

/** The paper's family (Appendix B.6): (1 − d1^p)·d2^q, p, q > 0; p = q = 1 is SOCM. */
export function socmFamily(d1: number, d2: number, p: number, q: number): number {
  return (1 - d1 ** p) * d2 ** q;
}

/** W2²(N(μA, ΣA), N(μB, ΣB)) = 4·d1 + 4·d2: the first-order part mean pooling keeps, the second-order part it drops. */
export function w2Split(s: Snapshot): { firstOrder: number; secondOrder: number; total: number } {
  return { firstOrder: 4 * s.d1, secondOrder: 4 * s.d2, total: 4 * s.d1 + 4 * s.d2 };
}
