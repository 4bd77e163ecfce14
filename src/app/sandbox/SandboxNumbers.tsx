import type { PairStats } from '../../math';
import { populationStats, w2Split, type SandboxParams } from '../../sandbox';
import { formatNumber, Metric } from '../components/Metrics';

/** W2² = 4·d1 + 4·d2 as one bar: the part mean pooling keeps and the part it drops. */
export function SplitBar({ stats }: { stats: PairStats }) {
  const { firstOrder, secondOrder, total } = w2Split(stats);
  const scale = Math.max(8, total);
  return (
    <figure className="split" aria-label={`W2 squared ${total.toFixed(3)}: first order ${firstOrder.toFixed(3)}, second order ${secondOrder.toFixed(3)}`}>
      <figcaption>
        W<sub>2</sub>² = 4·d1 + 4·d2 = <strong data-testid="w2" data-value={String(total)}>{formatNumber(total)}</strong>
        <span className="muted"> (of at most 8 when tr Σ ≤ 2)</span>
      </figcaption>
      <div className="split-bar">
        <span className="split-first" style={{ width: `${(100 * firstOrder) / scale}%` }} />
        <span className="split-second" style={{ width: `${(100 * secondOrder) / scale}%` }} />
      </div>
      <div className="split-legend">
        <span><span className="key split-first" /> 4·d1 = {formatNumber(firstOrder)}: the means, what mean pooling keeps</span>
        <span><span className="key split-second" /> 4·d2 = {formatNumber(secondOrder)}: the covariances, what it throws away</span>
      </div>
    </figure>
  );
}

/** The engine's numbers for the clouds' tokens, and the Gaussians' own values beside them. */
export function SandboxNumbers({ stats, params, backend }: { stats: PairStats; params: SandboxParams; backend: string }) {
  const pop = populationStats(params);
  const exact = params.moments === 'exact' && (params.d === 2 || (params.a.off === 0 && params.b.off === 0));
  return (
    <div className="sandbox-numbers">
      <dl>
        <Metric id="socm" label="SOCM" value={stats.socm} hint="(1 − d1)·d2 of the two clouds" />
        <Metric id="d1" label="d1" value={stats.d1} hint="(1 − cos of the angle between the means) / 2" />
        <Metric id="d2" label="d2" value={stats.d2} hint="how different the ellipses (covariances) are" />
        <Metric id="traceA" label="tr ΣA" value={stats.traceA} hint="total variance of cloud A" />
        <Metric id="traceB" label="tr ΣB" value={stats.traceB} hint="total variance of cloud B" />
      </dl>
      {stats.flags.includes('trace-over-2') && <p className="flag" role="note">⚑ tr Σ &gt; 2 for a cloud: the paper assumes ≤ 2, so d2 and SOCM may exceed 1 (shown unclipped).</p>}
      <p className="muted small">
        Measured on the {stats.tokensA} + {stats.tokensB} tokens by {backend}. The Gaussians themselves: d1 {formatNumber(pop.d1)}, d2 {formatNumber(pop.d2)},
        SOCM {formatNumber(pop.socm)}{exact ? ' (the same: exact moments, no spread off the plane)' : ' (the tokens differ by sampling)'}.
      </p>
      <SplitBar stats={stats} />
    </div>
  );
}
