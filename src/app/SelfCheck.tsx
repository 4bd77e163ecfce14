import { useState } from 'react';
import { pcaOfTexts, socmOfTexts, type PairStats, type TokenMatrix } from '../math';
import type { SocmEngine } from '../engine/types';

/** Two small synthetic clouds that share a mean but not a spread: the paper's Figure 1 in miniature. */
function exampleClouds(): [TokenMatrix, TokenMatrix] {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const d = 32;
  const centre = Array.from({ length: d }, () => random() + 0.6);
  const cloud = (n: number, spread: number): TokenMatrix => {
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = centre[j] + spread * random();
    return { n, d, data };
  };
  return [cloud(12, 0.05), cloud(20, 1.6)];
}

/** Runs the active engine and the float64 reference on the example and shows both. */
export function SelfCheck({ engine }: { engine: SocmEngine }) {
  const [result, setResult] = useState<{ engine: PairStats; reference: PairStats; energy: number } | string>();
  const run = async () => {
    const [a, b] = exampleClouds();
    try {
      setResult({ engine: await engine.pair(a, b), reference: socmOfTexts(a, b), energy: pcaOfTexts(a, b).energyShare });
    } catch (error) {
      setResult((error as Error).message);
    }
  };
  return (
    <section aria-labelledby="check-title" className="card">
      <h2 id="check-title">Engine check</h2>
      <p>Two synthetic token clouds with nearly the same mean and very different spreads: mean pooling cannot tell them apart, SOCM can.</p>
      <button type="button" onClick={run}>Compute SOCM</button>
      {typeof result === 'string' && <p role="alert" className="error">{result}</p>}
      {result && typeof result !== 'string' && (
        <table data-testid="self-check">
          <thead><tr><th scope="col"></th><th scope="col">d1</th><th scope="col">d2</th><th scope="col">SOCM</th></tr></thead>
          <tbody>
            {(['engine', 'reference'] as const).map((k) => (
              <tr key={k}>
                <th scope="row">{k === 'reference' ? 'CPU float64 reference' : engine.backend === 'webgpu' ? 'WGSL on WebGPU (float32)' : 'CPU engine (float64)'}</th>
                <td data-value={result[k].d1}>{result[k].d1.toFixed(5)}</td>
                <td data-value={result[k].d2}>{result[k].d2.toFixed(5)}</td>
                <td data-value={result[k].socm}>{result[k].socm.toFixed(5)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
