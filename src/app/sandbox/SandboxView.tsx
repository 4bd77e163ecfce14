import { useEffect, useState } from 'react';
import type { SocmEngine } from '../../engine/types';
import { applyScene, normaliseSandbox, stepById, STEPS, type Observation, type SandboxParams, type StepId } from '../../sandbox';
import { CloudControls } from './CloudControls';
import { CloudPlot } from './CloudPlot';
import { FamilyPanel } from './FamilyPanel';
import { GuidedSteps } from './GuidedSteps';
import { sandboxPalette, type SandboxTheme } from './palette';
import { SandboxExports } from './SandboxExports';
import { SandboxNumbers } from './SandboxNumbers';
import { StoryPanel } from './StoryPanel';
import { useSandbox } from './useSandbox';
import './sandbox.css';

interface Props {
  params: SandboxParams;
  onChange: (params: SandboxParams) => void;
  engine?: SocmEngine;
  onGpuLost: (reason: string) => void;
  theme: SandboxTheme;
}

interface Track {
  step?: StepId;
  start?: Observation;
  met: ReadonlySet<string>;
}

/** Keeps the guided step's starting point and the goals met since, from results for the current parameters only. */
function useStepTrack(params: SandboxParams, result: ReturnType<typeof useSandbox>['result'], restarts: number): Track {
  const [track, setTrack] = useState<Track>({ step: params.step, met: new Set() });
  useEffect(() => setTrack({ step: params.step, met: new Set() }), [params.step, restarts]);
  useEffect(() => {
    const id = params.step;
    if (!result || !id || result.params !== params) return;
    const now: Observation = { ...result.stats, together: result.together };
    setTrack((t) => {
      if (t.step !== id) return t;
      const start = t.start ?? now;
      const met = new Set(t.met);
      for (const g of stepById(id).goals) if (g.met(start, now)) met.add(g.id);
      return { step: id, start, met };
    });
  }, [result, params]);
  return track;
}

/**
 * The sandbox: two Gaussian token clouds to drag, measured by the same SocmEngine as the
 * playground; the W2² split, the family (1 − d1^p)·d2^q on its landscape, guided steps for
 * properties (a)–(e), the Figure 1/2 story, exports. Everything lives in the URL.
 */
export function SandboxView({ params, onChange, engine, onGpuLost, theme }: Props) {
  const withTogether = Boolean(params.step && stepById(params.step).needsTogether);
  const { result, status } = useSandbox(engine, params, withTogether, onGpuLost);
  const [svg, setSvg] = useState<SVGSVGElement | null>(null);
  // Starting a step again (even the same one) starts its checks afresh.
  const [restarts, setRestarts] = useState(0);
  const track = useStepTrack(params, result, restarts);
  const palette = sandboxPalette(theme);
  const backend = engine?.description ?? 'the statistics engine (starting)';
  const shown = result;
  const onStep = (id: StepId | undefined) => {
    setRestarts((k) => k + 1);
    onChange(id ? { ...STEPS.find((s) => s.id === id)!.start(params), step: id, story: undefined } : { ...params, step: undefined });
  };
  const onScene = (k: number | undefined) => onChange(k === undefined ? { ...params, story: undefined } : applyScene(params, k));
  return (
    <div className="sandbox" data-testid="sandbox" data-backend={engine?.backend}>
      <p className="lead sandbox-intro">
        Two token clouds drawn from Gaussians in d = {params.d} dimensions. Drag the means and the ellipses’ axes and watch what mean
        pooling keeps (d1, the means) and what it throws away (d2, the covariances).
      </p>
      <StoryPanel params={params} scene={params.story} onScene={onScene} />
      <div className="sandbox-main">
        <figure className="sandbox-figure card">
          <CloudPlot ref={setSvg} params={params} result={shown} palette={palette} onChange={onChange} />
          <figcaption className="muted small">
            The plane both means and ellipses lie in, uncentred (the origin is 0; every normalised mean is on the dashed unit circle).
            Tokens are normalised as in the playground{shown ? `; this plane holds ${(100 * shown.planeEnergy).toFixed(1)}% of their energy, the playground’s uncentred PCA axes ${(100 * shown.view.energyShare).toFixed(1)}%` : ''}.
            Drag the ○ means and ▢ axis handles, or Tab to one and use the arrow keys (Shift: bigger steps; on an axis ← → turn it, ↑ ↓ change its variance).
          </figcaption>
          <SandboxExports result={shown} svg={svg} palette={palette} backend={backend} />
        </figure>
        <div className="sandbox-side">
          <div className="card">
            <div className={`status${status.phase === 'error' ? ' error' : ''}`} data-testid="sandbox-status" data-phase={status.phase} role="status">
              {status.phase === 'working' ? <><span className="spinner" aria-hidden="true" /> Measuring…</> : status.phase === 'error' ? `Error: ${status.message}` : 'Ready'}
            </div>
            {shown && <SandboxNumbers stats={shown.stats} params={shown.params} backend={backend} />}
          </div>
          {shown && (
            <div className="card">
              <FamilyPanel stats={shown.stats} p={params.p} q={params.q} onChange={(patch) => onChange(normaliseSandbox({ ...params, ...patch }))} palette={palette} />
            </div>
          )}
        </div>
      </div>
      <GuidedSteps step={params.step} start={track.start} now={shown && shown.params === params ? { ...shown.stats, together: shown.together } : undefined} met={track.met} onStep={onStep} />
      <div className="controls">
        <CloudControls params={params} onChange={onChange} />
      </div>
    </div>
  );
}
