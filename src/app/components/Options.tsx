import type { ViewState } from '../url-state';

interface Props {
  state: ViewState;
  showEllipses: boolean;
  onChange: (patch: Partial<ViewState>) => void;
  onEllipses: (show: boolean) => void;
  onAddPanel?: () => void;
}

export function Options({ state, showEllipses, onChange, onEllipses, onAddPanel }: Props) {
  return (
    <div className="options" role="group" aria-label="Options">
      <label><input type="checkbox" checked={!state.excludeSpecial} onChange={(e) => onChange({ excludeSpecial: !e.target.checked })} /> include special tokens ([CLS], [SEP], &lt;s&gt;)</label>
      <label><input type="checkbox" checked={showEllipses} onChange={(e) => onEllipses(e.target.checked)} /> 1-σ ellipses</label>
      <label>dtype{' '}
        <select value={state.dtype} onChange={(e) => onChange({ dtype: e.target.value as ViewState['dtype'] })}>
          <option value="fp32">fp32</option>
          <option value="q8">q8</option>
          <option value="fp16">fp16 (WebGPU with shader-f16)</option>
        </select>
      </label>
      <label>theme{' '}
        <select value={state.theme} onChange={(e) => onChange({ theme: e.target.value as ViewState['theme'] })}>
          <option value="auto">system</option>
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
      </label>
      {onAddPanel && <button type="button" onClick={onAddPanel}>+ Add model panel</button>}
      <button type="button" onClick={() => void navigator.clipboard?.writeText(location.href)}>Copy link</button>
    </div>
  );
}
