import type { PanelResult } from '../analysis';
import { reading } from '../analysis';

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  return abs >= 1e-3 && abs < 1e4 ? x.toFixed(4) : x.toExponential(2);
}

export function Metric({ id, label, value, hint }: { id: string; label: string; value: number; hint: string }) {
  return (
    <div className="metric" title={hint}>
      <dt>{label}</dt>
      <dd data-testid={id} data-value={String(value)}>{formatNumber(value)}</dd>
    </div>
  );
}

/** SOCM and its parts, full precision in data-value, with a plain-language reading and flags. */
export function Metrics({ result }: { result: PanelResult }) {
  const { stats, a, b } = result;
  const flags: string[] = [];
  if (stats.flags.includes('trace-over-2')) flags.push('tr Σ > 2 for a text: the paper assumes ≤ 2, so d2 and SOCM may exceed 1 (shown unclipped).');
  if (a.truncated) flags.push(`Text A was truncated: ${a.fullLength} tokens, the model takes ${a.tokens.length}.`);
  if (b.truncated) flags.push(`Text B was truncated: ${b.fullLength} tokens, the model takes ${b.tokens.length}.`);
  if (a.unknown.length || b.unknown.length) flags.push(`No vector for: ${[...new Set([...a.unknown, ...b.unknown])].slice(0, 12).join(', ')}${a.unknown.length + b.unknown.length > 12 ? ' …' : ''} (left out).`);
  return (
    <div className="metrics">
      <dl>
        <Metric id="socm" label="SOCM" value={stats.socm} hint="(1 − d1)·d2: high when the means are close but the clouds differ" />
        <Metric id="d1" label="d1" value={stats.d1} hint="||μA − μB||² / 4: how far apart the means (the mean-pooled embeddings) are" />
        <Metric id="d2" label="d2" value={stats.d2} hint="Bures–Wasserstein² / 4 between the covariances: how different the clouds' shapes are" />
        <Metric id="traceA" label="tr ΣA" value={stats.traceA} hint="spread of text A's cloud" />
        <Metric id="traceB" label="tr ΣB" value={stats.traceB} hint="spread of text B's cloud" />
      </dl>
      <p className="reading" data-testid="reading">{reading(stats)} <span className="muted">({stats.tokensA} vs {stats.tokensB} tokens)</span></p>
      {flags.map((f) => <p key={f} className="flag" role="note">⚑ {f}</p>)}
    </div>
  );
}
