import type { ReactNode } from 'react';
import type { PanelResult } from '../analysis';
import { formatCount, formatNumber } from '../format';
import { THRESHOLDS_TEXT, verdict } from '../reading';

export { formatNumber };

export function Metric({ id, label, value, hint }: { id: string; label: ReactNode; value: number; hint: string }) {
  return (
    <div className="metric" title={hint}>
      <dt>{label}</dt>
      <dd data-testid={id} data-value={String(value)}>{formatNumber(value)}</dd>
    </div>
  );
}

/**
 * SOCM and its parts (full precision in data-value), with a plain-language reading, the
 * thresholds it uses, and flags. When a text's cloud is too small to say anything (`problems`),
 * the numbers are greyed and the reasons replace the verdict.
 */
export function Metrics({ result, problems }: { result: PanelResult; problems: string[] }) {
  const { stats, a, b } = result;
  const flags: string[] = [];
  if (stats.flags.includes('trace-over-2')) flags.push('tr Σ > 2 for a text: the paper assumes ≤ 2, so d2 and SOCM may exceed 1 (shown unclipped).');
  if (a.truncated) flags.push(`Text A was truncated: ${formatCount(a.fullLength)} tokens, the model takes ${formatCount(a.tokens.length)}.`);
  if (b.truncated) flags.push(`Text B was truncated: ${formatCount(b.fullLength)} tokens, the model takes ${formatCount(b.tokens.length)}.`);
  if (a.unknown.length || b.unknown.length) flags.push(`No vector for: ${[...new Set([...a.unknown, ...b.unknown])].slice(0, 12).join(', ')}${a.unknown.length + b.unknown.length > 12 ? ' …' : ''} (left out).`);
  const tooLittle = problems.length > 0;
  return (
    <div className={`metrics${tooLittle ? ' too-little' : ''}`} data-readable={String(!tooLittle)}>
      <dl>
        <Metric id="socm" label={<><abbr title="Second-Order Collapse by Mean pooling">SOCM</abbr><span className="metric-sub"> second-order collapse by mean pooling</span></>} value={stats.socm} hint="(1 − d1)·d2: high when the means are close but the clouds differ" />
        <Metric id="d1" label="d1" value={stats.d1} hint="||μA − μB||² / 4: how far apart the means (the mean-pooled embeddings) are" />
        <Metric id="d2" label="d2" value={stats.d2} hint="Bures–Wasserstein² / 4 between the covariances: how different the clouds' shapes are" />
        <Metric id="traceA" label="tr ΣA" value={stats.traceA} hint="spread of text A's cloud" />
        <Metric id="traceB" label="tr ΣB" value={stats.traceB} hint="spread of text B's cloud" />
      </dl>
      {tooLittle ? (
        <p className="reading too-little-reason" data-testid="too-little" role="note">
          Too little to read, so no verdict: {problems.join('; ')}. <span className="muted">({formatCount(stats.tokensA)} vs {formatCount(stats.tokensB)} tokens measured)</span>
        </p>
      ) : (
        <p className="reading" data-testid="reading">{verdict(stats)} <span className="muted">({formatCount(stats.tokensA)} vs {formatCount(stats.tokensB)} tokens)</span></p>
      )}
      <p className="thresholds muted" data-testid="thresholds">Reading: {THRESHOLDS_TEXT}.</p>
      {flags.map((f) => <p key={f} className="flag" role="note">⚑ {f}</p>)}
    </div>
  );
}
