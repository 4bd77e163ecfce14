import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncodingCache } from '../../src/app/encoding-cache';
import { LatestWins, liveSchedule, DEBOUNCED, LIVE, type RunContext } from '../../src/app/live';
import type { EncodedText } from '../../src/encoders/types';

/** A run that stays open until the test resolves it. */
function harness(debounceMs = 0) {
  const started: { request: string; context: RunContext; finish: () => void }[] = [];
  const runner = new LatestWins<string>((request, context) => new Promise<void>((finish) => started.push({ request, context, finish })), debounceMs);
  return { runner, started };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('latest wins', () => {
  afterEach(() => vi.useRealTimers());

  it('starts at once, runs one at a time, and starts only the latest of the requests made meanwhile', async () => {
    const { runner, started } = harness();
    runner.submit('T');
    expect(started.map((s) => s.request)).toEqual(['T']);
    runner.submit('Th');
    runner.submit('The');
    expect(started).toHaveLength(1);
    expect(started[0].context.superseded()).toBe(true);
    started[0].finish();
    await settle();
    expect(started.map((s) => s.request)).toEqual(['T', 'The']);
    expect(started[1].context.superseded()).toBe(false);
    started[1].finish();
    await settle();
    expect(runner.busy).toBe(false);
    runner.submit('Then');
    expect(started.map((s) => s.request)).toEqual(['T', 'The', 'Then']);
  });

  it('cancel drops the waiting request and marks the running one superseded; a failing run does not stop the next', async () => {
    const failing = new LatestWins<number>(async (n) => {
      if (n === 1) throw new Error('boom');
      seen.push(n);
    });
    const seen: number[] = [];
    failing.submit(1);
    failing.submit(2);
    await settle();
    await settle();
    expect(seen).toEqual([2]);
    const { runner, started } = harness();
    runner.submit('a');
    runner.submit('b');
    runner.cancel();
    expect(started[0].context.superseded()).toBe(true);
    started[0].finish();
    await settle();
    expect(started).toHaveLength(1);
  });

  it('with a debounce (the previous behaviour) waits for a pause and runs once', () => {
    vi.useFakeTimers();
    const { runner, started } = harness(250);
    runner.submit('a');
    vi.advanceTimersByTime(200);
    runner.submit('ab');
    vi.advanceTimersByTime(200);
    expect(started).toHaveLength(0);
    vi.advanceTimersByTime(60);
    expect(started.map((s) => s.request)).toEqual(['ab']);
    expect(started[0].context.waitMs).toBeGreaterThanOrEqual(250);
  });

  it('the page schedule is live unless the benchmark asks for the old one', () => {
    expect(liveSchedule()).toEqual(LIVE);
    (globalThis as { __poolscopeSchedule?: unknown }).__poolscopeSchedule = DEBOUNCED;
    try {
      expect(liveSchedule()).toEqual(DEBOUNCED);
    } finally {
      delete (globalThis as { __poolscopeSchedule?: unknown }).__poolscopeSchedule;
    }
  });
});

describe('encoding cache', () => {
  const enc = (text: string, floats: number): EncodedText => ({
    text, tokens: [], ids: [], special: new Uint8Array(), offsets: null, vectors: new Float32Array(floats), n: 0, d: 0, truncated: false, fullLength: 0,
  });

  it('returns what it holds, evicts the least recently used by count and by bytes', () => {
    const cache = new EncodingCache(3, 1000);
    cache.set('a', enc('a', 10));
    cache.set('b', enc('b', 10));
    cache.set('c', enc('c', 10));
    expect(cache.get('a')?.text).toBe('a');
    cache.set('d', enc('d', 10));
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')].map((e) => e?.text)).toEqual(['a', 'c', 'd']);
    cache.set('big', enc('big', 200));
    expect(cache.byteLength).toBeLessThanOrEqual(1000);
    expect(cache.get('big')?.text).toBe('big');
    const alone = new EncodingCache(3, 10);
    alone.set('huge', enc('huge', 100));
    expect(alone.get('huge')?.text).toBe('huge');
    expect(alone.size).toBe(1);
    alone.set('huge', enc('huge', 1));
    expect(alone.byteLength).toBe(4);
  });
});
