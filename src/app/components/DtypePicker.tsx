import { useEffect, useId, useState } from 'react';
import type { Build, EncoderWorker } from '../../worker/client';

const LABEL: Record<Build, string> = { fp32: 'fp32', onnx: 'fp32 · ONNX (last layer)', q8: 'q8 (quantised)', fp16: 'fp16' };

/**
 * The panel's dtype, offering only the builds the model has files for (a picked folder, the
 * served models directory, or the hub when it answers). A dtype asked for by a link but without
 * files stays selectable, marked, so the panel's error about it makes sense.
 */
export function DtypePicker({ worker, model, dtype, onChange }: { worker?: EncoderWorker; model: string; dtype: Build; onChange: (d: Build) => void }) {
  const id = useId();
  const [found, setFound] = useState<{ model: string; dtypes: Build[]; checked: boolean }>();
  useEffect(() => {
    if (!worker) return;
    let live = true;
    worker.modelDtypes(model).then((r) => live && setFound({ model, ...r }), () => live && setFound({ model, dtypes: ['fp32'], checked: false }));
    return () => {
      live = false;
    };
  }, [worker, model]);
  const known = found?.model === model ? found : undefined;
  const options: Build[] = known ? known.dtypes : ['fp32'];
  // Beside an ONNX export, fp32 means the model's own weights: say what that gives.
  const label = (d: Build) => (d === 'fp32' && options.includes('onnx') ? 'fp32 · weights (every layer)' : LABEL[d]);
  const all = options.includes(dtype) ? options : [...options, dtype];
  const title = !known ? 'checking which builds this model has…'
    : !known.checked ? 'could not list this model\'s files (hub unreachable?): only fp32 is offered'
    : `builds found: ${known.dtypes.join(', ') || 'none'}`;
  return (
    <label htmlFor={`${id}-dtype`} className="dtype" title={title}>dtype{' '}
      <select id={`${id}-dtype`} data-testid="dtype" value={dtype} data-options={options.join(',')} onChange={(e) => onChange(e.target.value as Build)}>
        {all.map((d) => <option key={d} value={d}>{label(d)}{options.includes(d) ? '' : known ? ' — no files' : ''}</option>)}
      </select>
    </label>
  );
}
