import { useEffect, useMemo, useState } from 'react';
import type { SocmEngine } from '../../engine/types';
import { euclideanNorm, pooledVector, type PairStats, type PcaView, type TokenMatrix } from '../../math';
import { drawNoise, placeCloud, type SandboxParams } from '../../sandbox';
import { LatestWins, type RunContext } from '../live';

/** One cloud as the plot shows it: normalised tokens (X / ||mean(X)||) in the view plane. */
export interface PlaneCloud {
  /** n × 2: the first two coordinates of the normalised tokens. */
  points: Float64Array;
  mean: [number, number];
}

export interface SandboxResult {
  /** The parameters these numbers belong to. */
  params: SandboxParams;
  /** The tokens the engine measured (exported as they are). */
  clouds: { a: TokenMatrix; b: TokenMatrix };
  stats: PairStats;
  view: PcaView;
  /** For step (e): the same clouds with B's mean moved onto A's. */
  together?: PairStats;
  plane: { a: PlaneCloud; b: PlaneCloud };
  /** Share of the normalised tokens' energy inside the view plane. */
  planeEnergy: number;
}

export type SandboxStatus = { phase: 'working' } | { phase: 'ready' } | { phase: 'error'; message: string };

function planeCloud(x: TokenMatrix): { cloud: PlaneCloud; inPlane: number; total: number } {
  const { n, d, data } = x;
  const scale = 1 / euclideanNorm(pooledVector(data, n, d, 'mean'));
  const points = new Float64Array(2 * n);
  let inPlane = 0, total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) total += (data[i * d + j] * scale) ** 2;
    points[2 * i] = data[i * d] * scale;
    points[2 * i + 1] = data[i * d + 1] * scale;
    inPlane += points[2 * i] ** 2 + points[2 * i + 1] ** 2;
  }
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += points[2 * i] / n;
    my += points[2 * i + 1] / n;
  }
  return { cloud: { points, mean: [mx, my] }, inPlane, total };
}

/** A draw that cannot be used (degenerate noise) becomes a message, never a broken page. */
function tryDraw(...args: Parameters<typeof drawNoise>): ReturnType<typeof drawNoise> | Error {
  try {
    return drawNoise(...args);
  } catch (error) {
    return error as Error;
  }
}

/**
 * The sandbox's numbers: clouds from the parameters (the random part cached per seed, size and
 * moments, so dragging only moves them), measured by the same SocmEngine as the playground,
 * latest request wins.
 */
export function useSandbox(engine: SocmEngine | undefined, params: SandboxParams, withTogether: boolean, onGpuLost: (reason: string) => void) {
  const [result, setResult] = useState<SandboxResult>();
  const [status, setStatus] = useState<SandboxStatus>({ phase: 'working' });
  const { seed, d, moments } = params;
  const noiseA = useMemo(() => tryDraw(seed, 0, params.a.n, d, moments), [seed, d, moments, params.a.n]);
  const noiseB = useMemo(() => tryDraw(seed, 1, params.b.n, d, moments), [seed, d, moments, params.b.n]);
  const [runner] = useState(() => new LatestWins<(context: RunContext) => Promise<void>>((run, context) => run(context)));
  useEffect(() => () => runner.cancel(), [runner]);

  useEffect(() => {
    if (!engine) return;
    if (noiseA instanceof Error || noiseB instanceof Error) {
      runner.cancel();
      setStatus({ phase: 'error', message: (noiseA instanceof Error ? noiseA : noiseB as Error).message });
      return;
    }
    setStatus({ phase: 'working' });
    const a = placeCloud(noiseA, params.a);
    const b = placeCloud(noiseB, params.b);
    runner.submit(async ({ superseded }) => {
      try {
        const { stats, view } = await engine.analyse(a, b);
        const together = withTogether ? await engine.pair(a, placeCloud(noiseB, { ...params.b, angle: params.a.angle })) : undefined;
        if (superseded()) return;
        const pa = planeCloud(a), pb = planeCloud(b);
        const next: SandboxResult = {
          params, clouds: { a, b }, stats, view, together, plane: { a: pa.cloud, b: pb.cloud },
          planeEnergy: (pa.inPlane + pb.inPlane) / (pa.total + pb.total),
        };
        setResult(next);
        setStatus({ phase: 'ready' });
      } catch (error) {
        if (superseded()) return;
        const e = error as Error;
        if (e.name === 'GpuUnavailableError') onGpuLost(e.message);
        else setStatus({ phase: 'error', message: e.message });
      }
    });
  }, [engine, noiseA, noiseB, params, withTogether, onGpuLost, runner]);

  return { result, status };
}
