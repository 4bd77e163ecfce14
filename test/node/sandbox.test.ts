/**
 * The sandbox's clouds and the paper's properties (a)–(e), measured by the engine's CPU route
 * on the clouds' real tokens and checked against closed forms and the independent d × d
 * reference (test/support/reference.ts).
 */
import { describe, expect, it } from 'vitest';
import { CpuSocmEngine } from '../../src/engine/cpu';
import type { PairStats, TokenMatrix } from '../../src/math';
import {
  applyScene, defaultSandbox, drawNoise, identicalMeansPreset, meansTogether, parseSandbox, placeCloud, planeCovariance,
  populationStats, sandboxClouds, socmFamily, STEPS, STORY, w2Split, writeSandbox, type CloudParams, type Observation, type SandboxParams,
} from '../../src/sandbox';
import { expectClose } from '../support/assert';
import { refSocm } from '../support/reference';

const engine = new CpuSocmEngine();
const measure = async (s: SandboxParams): Promise<PairStats> => {
  const { a, b } = sandboxClouds(s);
  return engine.pair(a, b);
};
const flat = (angle: number, var1: number, var2: number, axis: number, n = 20): CloudParams => ({ n, angle, var1, var2, axis, off: 0 });
const spec = (a: CloudParams, b: CloudParams, d = 16, seed = 7): SandboxParams => ({ ...defaultSandbox(), d, seed, a, b });
const rows = (m: TokenMatrix) => Array.from({ length: m.n }, (_, i) => Array.from(m.data.subarray(i * m.d, (i + 1) * m.d)));

describe('sandbox clouds', () => {
  it('exact moments: the tokens have exactly the mean, plane covariance and off-plane trace asked for', () => {
    for (const [n, d] of [[3, 2], [5, 3], [24, 64], [300, 40], [8, 768]]) {
      const c: CloudParams = { n, angle: 123, var1: 0.7, var2: 0.11, axis: 37, off: d > 2 ? 0.3 : 0 };
      const x = placeCloud(drawNoise(42, 0, n, d, 'exact'), c);
      const mean = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x.data[i * d + j] / n;
      expectClose(mean[0], Math.cos((123 * Math.PI) / 180), 0, 1e-14, 'mean x');
      expectClose(mean[1], Math.sin((123 * Math.PI) / 180), 0, 1e-14, 'mean y');
      for (let j = 2; j < d; j++) expectClose(mean[j], 0, 0, 1e-14, `mean ${j}`);
      const cov = (p: number, q: number) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += (x.data[i * d + p] - mean[p]) * (x.data[i * d + q] - mean[q]);
        return s / n;
      };
      const [s00, s01, s11] = planeCovariance(c);
      expectClose(cov(0, 0), s00, 1e-12, 1e-14, 'Σ00');
      expectClose(cov(0, 1), s01, 1e-12, 1e-14, 'Σ01');
      expectClose(cov(1, 1), s11, 1e-12, 1e-14, 'Σ11');
      let offTrace = 0;
      for (let j = 2; j < d; j++) {
        offTrace += cov(j, j);
        expectClose(cov(0, j), 0, 0, 1e-13, `cross ${j}`);
        expectClose(cov(1, j), 0, 0, 1e-13, `cross ${j}`);
      }
      expectClose(offTrace, c.off, 1e-12, 1e-15, 'off-plane trace');
    }
  });

  it('is reproducible from the seed; each cloud has its own stream; sampled moments only approximate', () => {
    const s = defaultSandbox();
    expect(sandboxClouds(s).a.data).toEqual(sandboxClouds(s).a.data);
    expect(sandboxClouds({ ...s, seed: 2 }).a.data).not.toEqual(sandboxClouds(s).a.data);
    expect(sandboxClouds({ ...s, b: { ...s.b, n: 100 } }).a.data).toEqual(sandboxClouds(s).a.data);
    const sampled = placeCloud(drawNoise(3, 0, 400, 2, 'sampled'), flat(0, 1, 1, 0, 400));
    let mx = 0;
    for (let i = 0; i < 400; i++) mx += sampled.data[2 * i] / 400;
    expect(Math.abs(mx - 1)).toBeGreaterThan(1e-6);
    expect(Math.abs(mx - 1)).toBeLessThan(0.2);
    expect(() => drawNoise(1, 0, 2, 4, 'exact')).toThrow(/at least 3 tokens/);
  });

  it('the engine on exact-moment clouds equals the closed form: d1 = (1 − cos Δφ)/2, 2 × 2 Bures–Wasserstein, SOCM = (1 − d1)·d2', async () => {
    const configs: [CloudParams, CloudParams, number][] = [
      [flat(0, 0.5, 0.2, 10), flat(33, 0.1, 0.4, 80), 2],
      [flat(200, 1.3, 0, 0, 3), flat(10, 0.02, 0.6, 170, 50), 3],
      [flat(45, 1.9, 0.02, 135), flat(45, 1.9, 0.02, 45), 64],
      [flat(90, 0.3, 0.3, 0, 200), flat(91, 0.31, 0.29, 5, 7), 768],
    ];
    for (const [a, b, d] of configs) {
      const s = spec(a, b, d);
      const got = await measure(s);
      const want = populationStats(s);
      expectClose(got.d1, want.d1, 1e-12, 1e-15, 'd1');
      expectClose(got.d2, want.d2, 1e-10, 1e-14, 'd2');
      expectClose(got.socm, want.socm, 1e-10, 1e-14, 'socm');
      expectClose(got.traceA, want.traceA, 1e-12, 1e-15, 'tr ΣA');
    }
  });

  it('with spread off the plane, the engine agrees with the independent d × d reference', async () => {
    for (const moments of ['exact', 'sampled'] as const) {
      const s: SandboxParams = { ...spec({ ...flat(20, 0.4, 0.1, 30, 9), off: 0.2 }, { ...flat(60, 0.2, 0.3, 100, 12), off: 0.5 }, 10, 3), moments };
      const { a, b } = sandboxClouds(s);
      const got = await engine.pair(a, b);
      const want = refSocm(rows(a), rows(b));
      for (const k of ['d1', 'd2', 'socm'] as const) expectClose(got[k], want[k], 1e-7, 1e-9, `${moments} ${k}`);
    }
  });
});

describe('properties (a)–(e) hold on sandbox clouds', () => {
  it('(a) SOCM = 1 exactly at identical means and perpendicular trace-2 lines, and below 1 anywhere near', async () => {
    const top = spec(flat(30, 2, 0, 0), flat(30, 2, 0, 90));
    const st = await measure(top);
    expectClose(st.socm, 1, 0, 1e-12, 'SOCM');
    expectClose(st.d1, 0, 0, 1e-15, 'd1');
    expectClose(st.d2, 1, 0, 1e-12, 'd2');
    for (const near of [spec(flat(30, 2, 0, 0), flat(31, 2, 0, 90)), spec(flat(30, 2, 0, 0), flat(30, 2, 0, 89)), spec(flat(30, 1.95, 0, 0), flat(30, 2, 0, 90)), spec(flat(30, 1.95, 0.05, 0), flat(30, 2, 0, 90))]) {
      const s = await measure(near);
      expect(s.socm).toBeLessThan(1 - 1e-5);
    }
  });

  it('(b) SOCM = 0 exactly when the means are opposite (d1 = 1) or the clouds alike (d2 = 0), and not otherwise', async () => {
    const apart = await measure(spec(flat(10, 0.8, 0.1, 0), flat(190, 0.1, 0.5, 60)));
    expectClose(apart.d1, 1, 0, 1e-15, 'd1');
    expectClose(apart.socm, 0, 0, 1e-15, 'socm');
    expect(apart.d2).toBeGreaterThan(0.02);
    const alike = await measure(spec(flat(10, 0.8, 0.1, 25, 15), flat(70, 0.8, 0.1, 25, 40)));
    expectClose(alike.d2, 0, 0, 1e-13, 'd2');
    expectClose(alike.socm, 0, 0, 1e-13, 'socm');
    expect(alike.d1).toBeGreaterThan(0.1);
    const neither = await measure(spec(flat(10, 0.8, 0.1, 25), flat(70, 0.8, 0.2, 25)));
    expect(neither.socm).toBeGreaterThan(1e-3);
  });

  it('(c) moving the means apart with the clouds fixed: d1 rises, d2 stays, SOCM never rises', async () => {
    let last: PairStats | undefined;
    for (let angle = 40; angle <= 220; angle += 12) {
      const st = await measure(spec(flat(40, 1.2, 0.05, 0), flat(angle, 1.2, 0.05, 90)));
      if (last) {
        expect(st.d1).toBeGreaterThan(last.d1);
        expectClose(st.d2, last.d2, 1e-12, 0, 'd2 kept');
        expect(st.socm).toBeLessThanOrEqual(last.socm + 1e-15);
      }
      last = st;
    }
  });

  it('(d) making the clouds differ more with the means fixed: d2 rises, d1 stays, SOCM never falls', async () => {
    let last: PairStats | undefined;
    for (let v = 0.2; v <= 1.8; v += 0.2) {
      const st = await measure(spec(flat(30, 0.2, 0.2, 0), flat(80, v, 0.2, 0)));
      if (last) {
        expect(st.d2).toBeGreaterThan(last.d2);
        expectClose(st.d1, last.d1, 1e-14, 0, 'd1 kept');
        expect(st.socm).toBeGreaterThanOrEqual(last.socm);
      }
      last = st;
    }
  });

  it('(e) the same change in d2 raises SOCM less when the means are apart; the mixed difference is exactly −Δd1·Δd2', async () => {
    const at = (angleB: number, varB: number) => measure(spec(flat(0, 0.2, 0.2, 0), flat(angleB, varB, 0.2, 0)));
    const [lo0, lo1, hi0, hi1] = await Promise.all([at(10, 0.2), at(10, 1.4), at(100, 0.2), at(100, 1.4)]);
    const gainTogether = lo1.socm - lo0.socm;
    const gainApart = hi1.socm - hi0.socm;
    expect(gainApart).toBeLessThan(gainTogether);
    // For SOCM = (1 − d1)·d2 the discrete mixed difference is −(d1hi − d1lo)(d2hi − d2lo) exactly.
    expectClose(gainApart - gainTogether, -(hi0.d1 - lo0.d1) * (lo1.d2 - lo0.d2), 1e-10, 1e-14, 'mixed difference');
  });

  it('the family (1 − d1^p)·d2^q keeps (a)–(e) for any p, q > 0 on the same clouds', async () => {
    const grid = await Promise.all([10, 60, 120].flatMap((angle) => [0.2, 0.9, 1.6].map((v) => measure(spec(flat(0, 0.2, 0.2, 0), flat(angle, v, 0.05, 90))))));
    for (const [p, q] of [[0.5, 0.5], [1, 1], [2, 0.7], [3, 4]]) {
      expect(socmFamily(0, 1, p, q)).toBe(1);
      expect(socmFamily(1, 0.4, p, q)).toBe(0);
      expect(socmFamily(0.3, 0, p, q)).toBe(0);
      for (const s of grid) {
        const f = socmFamily(s.d1, s.d2, p, q);
        for (const t of grid) {
          if (Math.abs(t.d2 - s.d2) < 1e-12 && t.d1 > s.d1) expect(socmFamily(t.d1, t.d2, p, q)).toBeLessThanOrEqual(f);
          if (Math.abs(t.d1 - s.d1) < 1e-12 && t.d2 > s.d2) expect(socmFamily(t.d1, t.d2, p, q)).toBeGreaterThanOrEqual(f);
        }
      }
      // (e): the rise from d2 = 0.2 to 0.6 shrinks as d1 grows.
      const rise = (d1: number) => socmFamily(d1, 0.6, p, q) - socmFamily(d1, 0.2, p, q);
      expect(rise(0.7)).toBeLessThan(rise(0.2));
    }
    expect(socmFamily(0.25, 0.5, 1, 1)).toBe(0.375);
  });

  it('the W2² split is 4·d1 + 4·d2', () => {
    expect(w2Split({ d1: 0.25, d2: 0.5, socm: 0.375 })).toEqual({ firstOrder: 1, secondOrder: 2, total: 3 });
  });
});

describe('guided steps check the student’s result', () => {
  const observe = async (s: SandboxParams, withTogether: boolean): Promise<Observation> => {
    const st = await measure(s);
    return { ...st, together: withTogether ? await measure(meansTogether(s)) : undefined };
  };
  /** Runs a step from its start through the student's moves; returns the goals met. */
  const play = async (id: string, moves: ((s: SandboxParams) => SandboxParams)[]) => {
    const step = STEPS.find((x) => x.id === id)!;
    let s = step.start(defaultSandbox());
    const start = await observe(s, Boolean(step.needsTogether));
    const met = new Set<string>();
    for (const move of moves) {
      s = move(s);
      const now = await observe(s, Boolean(step.needsTogether));
      for (const g of step.goals) if (g.met(start, now)) met.add(g.id);
      expect(step.explain(start, now)).toMatch(/\d/);
    }
    return { met, done: step.goals.every((g) => met.has(g.id)) };
  };
  const cloud = (which: 'a' | 'b', patch: Partial<CloudParams>) => (s: SandboxParams) => ({ ...s, [which]: { ...s[which], ...patch } });

  it('(a) done only once SOCM is 1', async () => {
    expect((await play('a', [cloud('b', { angle: 30 }), cloud('a', { var1: 2, var2: 0 })])).done).toBe(false);
    expect((await play('a', [cloud('b', { angle: 30 }), cloud('a', { var1: 2, var2: 0, axis: 0 }), cloud('b', { var1: 2, var2: 0, axis: 90 })])).done).toBe(true);
  });
  it('(b) needs both ways to zero', async () => {
    expect((await play('b', [cloud('b', { angle: 210 })])).met).toEqual(new Set(['apart']));
    expect((await play('b', [cloud('b', { angle: 210 }), cloud('b', { angle: 60, var1: 0.5, var2: 0.2, axis: 0 })])).done).toBe(true);
  });
  it('(c) pushing the means apart passes; changing an ellipse does not', async () => {
    expect((await play('c', [cloud('b', { angle: 110 })])).done).toBe(true);
    expect((await play('c', [cloud('b', { angle: 110, var1: 0.3 })])).done).toBe(false);
  });
  it('(d) making the clouds differ passes; moving a mean does not', async () => {
    expect((await play('d', [cloud('b', { var1: 1.5, axis: 45 })])).done).toBe(true);
    expect((await play('d', [cloud('b', { var1: 1.5, angle: 100 })])).done).toBe(false);
  });
  it('(e) compares the rise apart with the rise together', async () => {
    expect((await play('e', [cloud('b', { var1: 1.2 })])).done).toBe(true);
    expect((await play('e', [cloud('b', { var1: 0.25 })])).done).toBe(false);
  });
});

describe('story scenes and presets tell the truth', () => {
  it('collapse scenes have high SOCM, the others low', async () => {
    const socm = await Promise.all(STORY.map((_, k) => measure(applyScene(defaultSandbox(), k)).then((s) => s.socm)));
    expect(socm[0]).toBeGreaterThan(0.5);
    expect(socm[1]).toBeGreaterThan(0.3);
    expect(socm[2]).toBeLessThan(0.05);
    expect(socm[3]).toBeLessThan(1e-9);
    expect(socm[4]).toBeGreaterThan(socm[5] * 20);
    expect(socm[5]).toBeLessThan(0.01);
    const same = await measure(identicalMeansPreset(defaultSandbox()));
    expectClose(same.d1, 0, 0, 1e-15, 'identical means');
    expect(same.socm).toBeGreaterThan(0.5);
  });
});

describe('sandbox URL parameters', () => {
  it('round-trip and clamp', () => {
    const s: SandboxParams = { ...defaultSandbox(), d: 768, seed: 99, moments: 'sampled', p: 2.5, q: 0.5, step: 'c', story: 3, a: { n: 512, angle: 359, var1: 2, var2: 0, axis: 179, off: 1.25 } };
    const p = new URLSearchParams();
    writeSandbox(p, s);
    expect(parseSandbox(new URLSearchParams(p.toString()))).toEqual(s);
    const junk = parseSandbox(new URLSearchParams('d=1&seed=-4&ca=1,400,9,-1,200,x&cb=1000,-30,0.333,0.5,-10,0&p=0&q=99&step=z&story=-1'));
    expect(junk.d).toBe(2);
    expect(junk.seed).toBe(0);
    expect(junk.a).toEqual(defaultSandbox().a);
    expect(junk.b).toEqual({ n: 512, angle: 330, var1: 0.33, var2: 0.5, axis: 170, off: 0 });
    expect([junk.p, junk.q, junk.step, junk.story]).toEqual([0.1, 5, undefined, undefined]);
    // Only a scene number there is: story= and story=99 are none (not scene 0, not a seventh of six).
    expect(['story=', 'story=99', 'story=1.5', 'story=2'].map((q) => parseSandbox(new URLSearchParams(q)).story)).toEqual([undefined, undefined, undefined, 2]);
  });
});

describe('handles and the page URL', () => {
  it('dragging and nudging handles sets exactly the parameters the handle shows', async () => {
    const { moveHandle, nudgeHandle, handlePosition } = await import('../../src/sandbox');
    const s = spec(flat(30, 0.5, 0.2, 10), flat(60, 0.3, 0.3, 0));
    // A mean dragged anywhere takes the direction of the point (radius does not matter after normalisation).
    expect(moveHandle(s, { side: 'a', kind: 'mean' }, -2, 2, 0.1).a.angle).toBe(135);
    // An axis handle dragged to a point: that axis points there, its 1-σ length is the distance minus the gap.
    const gap = 0.1;
    const [mx, my] = handlePosition(s.b, 'mean', 0);
    const moved = moveHandle(s, { side: 'b', kind: 'axis1' }, mx + 1.1 * Math.cos(Math.PI / 3), my + 1.1 * Math.sin(Math.PI / 3), gap);
    expect(moved.b).toMatchObject({ axis: 60, var1: 1 });
    const second = moveHandle(s, { side: 'b', kind: 'axis2' }, mx, my + 0.8, gap);
    expect(second.b).toMatchObject({ axis: 0, var2: 0.49 });
    // Where a handle is drawn is where dragging it to leaves it.
    const [hx, hy] = handlePosition(moved.b, 'axis1', gap);
    expect(moveHandle(moved, { side: 'b', kind: 'axis1' }, hx, hy, gap).b).toEqual(moved.b);
    expect(nudgeHandle(s, { side: 'a', kind: 'mean' }, 'ArrowRight', false)!.a.angle).toBe(31);
    expect(nudgeHandle(s, { side: 'a', kind: 'mean' }, 'ArrowDown', true)!.a.angle).toBe(20);
    expect(nudgeHandle(s, { side: 'a', kind: 'axis1' }, 'ArrowUp', false)!.a.var1).toBe(0.55);
    expect(nudgeHandle(s, { side: 'a', kind: 'axis2' }, 'ArrowDown', true)!.a.var2).toBe(0);
    expect(nudgeHandle(s, { side: 'a', kind: 'axis2' }, 'ArrowLeft', true)!.a.axis).toBe(0);
    expect(nudgeHandle(s, { side: 'a', kind: 'axis1' }, 'ArrowLeft', false)!.a.axis).toBe(9);
    expect(nudgeHandle(s, { side: 'a', kind: 'mean' }, 'Enter', false)).toBeUndefined();
  });

  it('view=sandbox and classroom=1 round-trip through the page URL, without the playground texts', async () => {
    const { defaultState, parseState, serializeState } = await import('../../src/app/url-state');
    const state = { ...defaultState(), view: 'sandbox' as const, classroom: true, sandbox: { ...defaultSandbox(), d: 300, step: 'e' as const } };
    const query = serializeState(state);
    expect(new URLSearchParams(query).has('a')).toBe(false);
    expect(parseState(query)).toEqual(state);
    expect(parseState('?view=pair&d=5').sandbox).toEqual(defaultSandbox());
    expect(parseState('?classroom=0').classroom).toBe(false);
  });
});
