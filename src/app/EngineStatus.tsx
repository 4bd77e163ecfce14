import type { EngineState } from './useEngine';

export function EngineStatus({ state }: { state: EngineState }) {
  if (state.status === 'starting') return <p data-testid="engine-status" role="status">Starting the statistics engine…</p>;
  if (state.status === 'error') return <p data-testid="engine-status" role="alert" className="error">Statistics engine failed: {state.message}</p>;
  const { engine } = state;
  return (
    <p data-testid="engine-status" role="status" data-backend={engine.backend}>
      <strong>Statistics engine</strong> — {engine.description}
    </p>
  );
}
