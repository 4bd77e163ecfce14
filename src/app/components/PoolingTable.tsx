import type { PanelResult } from '../analysis';

const NAMES = { mean: 'mean', cls: 'CLS token', max: 'max', last: 'last token' } as const;

/** What each pooling says about the pair: cos(A, B) of the pooled vectors. */
export function PoolingTable({ result }: { result: PanelResult }) {
  return (
    <table className="pooling" data-testid="pooling">
      <caption>Cosine similarity of A and B under each pooling</caption>
      <thead><tr><th scope="col">pooling</th><th scope="col">cos(A, B)</th></tr></thead>
      <tbody>
        {result.pooled.map((p) => (
          <tr key={p.pooling}>
            <th scope="row">{NAMES[p.pooling]}</th>
            <td data-value={String(p.cosine)}>{Number.isFinite(p.cosine) ? p.cosine.toFixed(4) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
