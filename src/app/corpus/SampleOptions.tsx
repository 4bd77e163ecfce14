import { useEffect, useState } from 'react';
import { formatCount, plural } from '../format';
import type { SourceResult, SourceSettings } from './plan';

/** A whole number typed into a field: what is typed stays (no snapping while typing); valid values are passed on. */
function WholeNumber({ value, min, label, testId, disabled, onValue, width = '6rem' }: {
  value: number; min: number; label: string; testId: string; disabled: boolean; onValue: (n: number) => void; width?: string;
}) {
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);
  const valid = /^\d+$/.test(draft) && Number(draft) >= min && Number(draft) <= 2 ** 31;
  return (
    <input
      type="number" min={min} value={draft} data-testid={testId} aria-label={label} disabled={disabled} aria-invalid={!valid} style={{ width }}
      onChange={(e) => {
        setDraft(e.target.value);
        const n = Number(e.target.value);
        if (/^\d+$/.test(e.target.value) && n >= min && n <= 2 ** 31) onValue(n);
      }}
      onBlur={() => setDraft(String(value))}
    />
  );
}

/**
 * "Sample N pairs (seed S)": a uniform sample of all pairs for corpora too large for all of them
 * (only the texts the sample touches are encoded); its interval says how close the estimate is.
 */
export function SampleOptions({ settings, planned, disabled, onChange }: {
  settings: SourceSettings;
  planned: SourceResult;
  disabled: boolean;
  onChange: (settings: SourceSettings) => void;
}) {
  const sampled = planned.ok && planned.source.plan.kind === 'sample' ? planned.source : undefined;
  return (
    <div className="row sample-options" role="group" aria-label="Sample of pairs">
      <label>
        <input type="checkbox" data-testid="corpus-sample" checked={settings.sample} disabled={disabled} onChange={(e) => onChange({ ...settings, sample: e.target.checked })} />
        {' '}sample
      </label>
      <span className="nowrap">
        <WholeNumber value={settings.samplePairs} min={1} label="Pairs to sample" testId="corpus-sample-pairs" disabled={disabled || !settings.sample} onValue={(samplePairs) => onChange({ ...settings, samplePairs })} />
        {' '}pairs
      </span>
      <span className="nowrap">(seed{' '}
        <WholeNumber value={settings.seed} min={0} label="Seed of the sample and the intervals" testId="corpus-seed" width="4.5rem" disabled={disabled || !settings.sample} onValue={(seed) => onChange({ ...settings, seed })} />)
      </span>
      {sampled && (
        <span className="muted" data-testid="corpus-sample-note">
          uniformly from all {formatCount(sampled.plan.population!)} pairs of {plural(sampled.given, 'text')}; {formatCount(sampled.texts.length)} of them are encoded
        </span>
      )}
      {!planned.ok && planned.about === 'sample' && <span className="notice" data-testid="corpus-sample-problem">{planned.message}</span>}
    </div>
  );
}
