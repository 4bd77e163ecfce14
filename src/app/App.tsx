import { EngineStatus } from './EngineStatus';
import { SelfCheck } from './SelfCheck';
import { useEngine } from './useEngine';

export function App() {
  const state = useEngine();
  return (
    <main>
      <header>
        <h1>Poolscope</h1>
        <p className="lead">
          What mean pooling keeps and what it collapses in text embeddings. SOCM = (1 − d1)·d2 compares two texts'
          token clouds: d1 their means, d2 their covariances (Hara et al. 2026, “Why Mean Pooling Works”).
        </p>
      </header>
      <EngineStatus state={state} />
      {state.status === 'ready' && <SelfCheck engine={state.engine} />}
      <footer>Texts never leave your browser; the only network traffic is model download.</footer>
    </main>
  );
}
