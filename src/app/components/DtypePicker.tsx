import { useEffect, useId, useState } from 'react';
import type { EncoderDtype } from '../../encoders/types';
import type { EncoderWorker } from '../../worker/client';

const LABEL: Record<EncoderDtype, string> = { fp32: 'fp32', q8: 'q8 (quantised)', fp16: 'fp16' };

/**
 * The panel's dtype, offering only the builds the model has files for (a picked folder, the
 * served models directory, or the hub when it answers). A dtype asked for by a link but without
 * files stays selectable, marked, so the panel's error about it makes sense.
 */
export function DtypePicker({ worker, model, dtype, onChange }: { worker?: EncoderWorker; model: string; dtype: EncoderDtype; onChange: (d: EncoderDtype) => void }) {
  const id = useId();
  const [found, setFound] = useState<{ model: string; dtypes: EncoderDtype[]; checked: boolean }>();
  useEffect(() => {
    if (!worker) return;
    let live = true;
    worker.modelDtypes(model).then((r) => live && setFound({ model, ...r }), () => live && setFound({ model, dtypes: ['fp32'], checked: false }));
    return () => {
      live = false;
    };
  }, [worker, model]);
  const known = found?.model === model ? found : undefined;
  const options = known ? known.dtypes : ['fp32' as const];
  const all = options.includes(dtype) ? options : [...options, dtype];
  const title = !known ? 'checking which builds this model has…'
    : !known.checked ? 'could not list this model\'s files (hub unreachable?): only fp32 is offered'
    : `builds found: ${known.dtypes.join(', ') || 'none'}`;
  return (
    <label htmlFor={`${id}-dtype`} className="dtype" title={title}>dtype{' '}
      <select id={`${id}-dtype`} data-testid="dtype" value={dtype} data-options={options.join(',')} onChange={(e) => onChange(e.target.value as EncoderDtype)}>
        {all.map((d) => <option key={d} value={d}>{LABEL[d]}{options.includes(d) ? '' : known ? ' — no files' : ''}</option>)}
      </select>
    </label>
  );
}
