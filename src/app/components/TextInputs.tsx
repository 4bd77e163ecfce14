import { PRESETS } from '../presets';

interface Props {
  a: string;
  b: string;
  onChange: (texts: { a?: string; b?: string }) => void;
}

/** Texts A and B, with presets chosen to teach. */
export function TextInputs({ a, b, onChange }: Props) {
  const preset = PRESETS.find((p) => p.a === a && p.b === b);
  return (
    <section className="texts" aria-label="Texts to compare">
      <div className="text-box">
        <label htmlFor="text-a"><span className="swatch swatch-a" aria-hidden="true" /> Text A</label>
        <textarea id="text-a" data-testid="text-a" value={a} rows={3} spellCheck={false} onChange={(e) => onChange({ a: e.target.value })} />
      </div>
      <div className="text-box">
        <label htmlFor="text-b"><span className="swatch swatch-b" aria-hidden="true" /> Text B</label>
        <textarea id="text-b" data-testid="text-b" value={b} rows={3} spellCheck={false} onChange={(e) => onChange({ b: e.target.value })} />
      </div>
      <div className="presets" role="group" aria-label="Example pairs">
        <span className="muted">Examples:</span>
        {PRESETS.map((p) => (
          <button key={p.id} type="button" aria-pressed={preset?.id === p.id} title={p.lesson} onClick={() => onChange({ a: p.a, b: p.b })}>
            {p.label}
          </button>
        ))}
      </div>
      {preset && <p className="lesson muted">{preset.lesson}</p>}
    </section>
  );
}
