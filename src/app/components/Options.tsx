import { useEffect, useState } from 'react';
import { serializeWithTexts, type ViewState } from '../url-state';

interface Props {
  state: ViewState;
  onChange: (patch: Partial<ViewState>) => void;
  onAddPanel?: () => void;
}

/** Options for every panel (dtype is per panel, in its picker), and the link to this view. */
export function Options({ state, onChange, onAddPanel }: Props) {
  const [copied, setCopied] = useState<{ ok: boolean; text: string }>();
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(undefined), 4000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('this page cannot reach the clipboard');
      // The link of what is on screen now (the address bar may be a moment behind a fast edit).
      await navigator.clipboard.writeText(new URL(serializeWithTexts(state).query, location.href).href);
      setCopied({ ok: true, text: 'Link copied: it opens this view (texts, models and options).' });
    } catch (error) {
      setCopied({ ok: false, text: `Could not copy the link (${(error as Error).message}): copy it from the address bar.` });
    }
  };
  return (
    <div className="options" role="group" aria-label="Options">
      <label><input type="checkbox" checked={!state.excludeSpecial} onChange={(e) => onChange({ excludeSpecial: !e.target.checked })} /> include special tokens ([CLS], [SEP], &lt;s&gt;)</label>
      <label><input type="checkbox" checked={state.ellipses} onChange={(e) => onChange({ ellipses: e.target.checked })} /> 1-σ ellipses</label>
      <label>theme{' '}
        <select value={state.theme} onChange={(e) => onChange({ theme: e.target.value as ViewState['theme'] })}>
          <option value="auto">system</option>
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
      </label>
      {onAddPanel && <button type="button" onClick={onAddPanel}>+ Add model panel</button>}
      <button type="button" data-testid="copy-link" onClick={() => void copy()}>Copy link</button>
      <span role="status" data-testid="copy-status" className={copied && !copied.ok ? 'error' : 'muted'}>{copied?.text ?? ''}</span>
    </div>
  );
}
