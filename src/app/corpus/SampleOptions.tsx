import { useWholeNumber } from '../components/whole-number';
import { formatCount, plural } from '../format';
import type { SourceResult, SourceSettings } from './plan';

/** A whole number field with its problem said beside it (useWholeNumber). */
function WholeNumber({ value, min, label, testId, disabled, onValue, width = '6rem' }: {
  value: number; min: number; label: string; testId: string; disabled: boolean; onValue: (n: number) => void; width?: string;
}) {
  const { input, problem } = useWholeNumber({ value, min, max: MAX, onValue });
  return (
    <>
      <input {...input} data-testid={testId} aria-label={label} disabled={disabled} style={{ width }} aria-describedby={problem ? `${testId}-problem` : undefined} />
      {problem && !disabled && <span className="notice" id={`${testId}-problem`} data-testid={`${testId}-problem`}>{' '}{problem}</span>}
    </>
  );
}

/** The largest sample size or seed (seeds are 32-bit). */
const MAX = 2 ** 32 - 1;

/**
 * "Sample N pairs (seed S)": a uniform sample of all pairs for corpora too large for all of them
 * (only the texts the sample touches are encoded); its interval says how close the estimate is.
 * The seed is also the bootstrap intervals' (as the CLI's --seed), so it is offered for every source.
 */
export function SampleOptions({ settings, planned, disabled, onChange }: {
  settings: SourceSettings;
  planned: SourceResult;
  disabled: boolean;
  onChange: (settings: SourceSettings) => void;
}) {
  const sampled = planned.ok && planned.source.plan.kind === 'sample' ? planned.source : undefined;
  const texts = settings.kind === 'texts';
  return (
    <div className="row sample-options" role="group" aria-label={texts ? 'Sample of pairs, and the seed' : 'Seed of the intervals'}>
      {texts && (
        <>
          <label>
            <input type="checkbox" data-testid="corpus-sample" checked={settings.sample} disabled={disabled} onChange={(e) => onChange({ ...settings, sample: e.target.checked })} />
            {' '}sample
          </label>
          <span className="nowrap">
            <WholeNumber value={settings.samplePairs} min={1} label="Pairs to sample" testId="corpus-sample-pairs" disabled={disabled || !settings.sample} onValue={(samplePairs) => onChange({ ...settings, samplePairs })} />
            {' '}pairs
          </span>
        </>
      )}
      <span className="nowrap">{texts ? '(' : ''}seed{' '}
        <WholeNumber
          value={settings.seed} min={0} label={texts && settings.sample ? 'Seed of the sample and the intervals' : 'Seed of the bootstrap intervals'} testId="corpus-seed" width="5.5rem"
          disabled={disabled} onValue={(seed) => onChange({ ...settings, seed })}
        />{texts ? ')' : ''}
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
