import type { SocmEngine } from '../engine/types';

/** Which engine computes the statistics, and why when it is the CPU. */
export function EngineStatus({ engine }: { engine?: SocmEngine }) {
  if (!engine) return <p data-testid="engine-status" role="status" className="muted">Starting the statistics engine…</p>;
  return (
    <p data-testid="engine-status" role="status" data-backend={engine.backend} className="muted">
      Statistics: {engine.description}
    </p>
  );
}
