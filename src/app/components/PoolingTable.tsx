import type { Pooling } from '../../math';
import type { PanelResult } from '../analysis';
import { POOLING_INFO } from '../pooling-info';
import './pooling.css';

interface Props {
  result: PanelResult;
  /** Poolings drawn in the PCA plot. */
  shown: ReadonlySet<Pooling>;
  onShown: (pooling: Pooling, show: boolean) => void;
  /** Draw the pooled vectors after L2 normalisation. */
  normalised: boolean;
  onNormalised: (normalised: boolean) => void;
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '—');

/**
 * What each pooling says about the pair, as a pipeline: pool the tokens into v, L2-normalise
 * (v / ||v||), then compare with a dot product: cos(A, B).
 */
export function PoolingTable({ result, shown, onShown, normalised, onNormalised }: Props) {
  return (
    <div className="pooling-block">
      <table className="pooling" data-testid="pooling">
        <caption>
          Each pooling: tokens → pooled vector v → L2 normalisation v/‖v‖ → cos(A, B) = v̂<sub>A</sub>·v̂<sub>B</sub>
        </caption>
        <thead>
          <tr>
            <th scope="col">pooling</th>
            <th scope="col">‖v<sub>A</sub>‖</th>
            <th scope="col">‖v<sub>B</sub>‖</th>
            <th scope="col">cos(A, B)</th>
            <th scope="col">in plot</th>
          </tr>
        </thead>
        <tbody>
          {result.pooled.map((p) => (
            <tr key={p.pooling} data-pooling={p.pooling}>
              <th scope="row">
                {POOLING_INFO[p.pooling].name}
                <span className="pooling-explain">{POOLING_INFO[p.pooling].explain}</span>
              </th>
              <td data-value={String(p.normA)}>{fmt(p.normA)}</td>
              <td data-value={String(p.normB)}>{fmt(p.normB)}</td>
              <td data-testid={`cosine-${p.pooling}`} data-value={String(p.cosine)}>{fmt(p.cosine)}</td>
              <td>
                <input
                  type="checkbox" checked={shown.has(p.pooling)} onChange={(e) => onShown(p.pooling, e.target.checked)}
                  aria-label={`draw ${POOLING_INFO[p.pooling].name} pooling in the plot`} data-testid={`show-${p.pooling}`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.sifProblem && <p className="flag" role="note">⚑ No SIF-weighted mean: {result.sifProblem}.</p>}
      <label className="pooling-step">
        <input type="checkbox" checked={normalised} onChange={(e) => onNormalised(e.target.checked)} data-testid="pooling-normalised" />{' '}
        draw the pooled vectors after L2 normalisation (the cosines do not change: they normalise anyway)
      </label>
    </div>
  );
}
