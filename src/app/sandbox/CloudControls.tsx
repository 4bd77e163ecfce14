import { useState, type ReactNode } from 'react';
import { identicalMeansPreset, LIMITS, defaultSandbox, normaliseSandbox, type CloudParams, type SandboxParams } from '../../sandbox';

interface Props {
  params: SandboxParams;
  onChange: (params: SandboxParams) => void;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return <label className="field"><span>{label}</span>{children}</label>;
}

/**
 * A number typed as the user types it: a value inside [min, max] is passed on at once; one outside
 * ("1" on the way to "100" tokens) waits for the field to be left or Enter, then is clamped. The
 * field shows what is typed until it is left, so digits typed next are never appended to a value
 * the app put right.
 */
function NumberField({ value, onValue, min, max, step, id }: { value: number; onValue: (v: number) => void; min: number; max: number; step: number; id: string }) {
  const [draft, setDraft] = useState<string>();
  const commit = () => {
    if (draft !== undefined && draft.trim() !== '' && Number.isFinite(Number(draft))) onValue(Number(draft));
    setDraft(undefined);
  };
  return (
    <input
      type="number" value={draft ?? value} min={min} max={max} step={step} data-testid={id}
      onChange={(e) => {
        const typed = e.target.value;
        const n = Number(typed);
        // What is typed stays in the field while it has focus (the value may be put right, e.g.
        // an angle of −3° kept as 357°, only when the field is left).
        setDraft(typed);
        if (typed.trim() !== '' && Number.isFinite(n) && n >= min && n <= max) onValue(n);
      }}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

/** Numbers for everything the handles move, plus width, token counts, seed and moments. */
export function CloudControls({ params, onChange }: Props) {
  const set = (patch: Partial<SandboxParams>) => onChange(normaliseSandbox({ ...params, ...patch }));
  const setCloud = (side: 'a' | 'b', patch: Partial<CloudParams>) => set({ [side]: { ...params[side], ...patch } });
  const number = (value: number, onValue: (v: number) => void, props: { min: number; max: number; step: number; id: string }) => (
    <NumberField value={value} onValue={onValue} {...props} />
  );
  const cloud = (side: 'a' | 'b') => {
    const c = params[side];
    const id = (k: string) => `sandbox-${side}-${k}`;
    return (
      <fieldset className={`cloud-fields cloud-${side}`}>
        <legend><span className={`swatch swatch-${side}`} aria-hidden="true" /> Cloud {side.toUpperCase()}</legend>
        <Field label="tokens">{number(c.n, (n) => setCloud(side, { n }), { min: LIMITS.n[0], max: LIMITS.n[1], step: 1, id: id('n') })}</Field>
        <Field label="mean direction (°)">{number(c.angle, (angle) => setCloud(side, { angle }), { min: -360, max: 720, step: 1, id: id('angle') })}</Field>
        <Field label="variance, axis 1">{number(c.var1, (var1) => setCloud(side, { var1 }), { min: 0, max: 2, step: 0.05, id: id('var1') })}</Field>
        <Field label="variance, axis 2">{number(c.var2, (var2) => setCloud(side, { var2 }), { min: 0, max: 2, step: 0.05, id: id('var2') })}</Field>
        <Field label="axis 1 direction (°)">{number(c.axis, (axis) => setCloud(side, { axis }), { min: -180, max: 360, step: 1, id: id('axis') })}</Field>
        <Field label="variance off the plane">{number(c.off, (off) => setCloud(side, { off }), { min: 0, max: 2, step: 0.05, id: id('off') })}</Field>
      </fieldset>
    );
  };
  return (
    <section className="sandbox-controls card" aria-label="Sandbox settings">
      <div className="row">
        <Field label={`dimensions d (${LIMITS.d[0]}–${LIMITS.d[1]})`}>{number(params.d, (d) => set({ d }), { min: LIMITS.d[0], max: LIMITS.d[1], step: 1, id: 'sandbox-d' })}</Field>
        <Field label="seed">{number(params.seed, (seed) => set({ seed }), { min: 0, max: LIMITS.seed[1], step: 1, id: 'sandbox-seed' })}</Field>
        <button type="button" onClick={() => set({ seed: (params.seed + 1) % LIMITS.seed[1] })}>New draw</button>
        <Field label="moments">
          <select value={params.moments} onChange={(e) => set({ moments: e.target.value as SandboxParams['moments'] })} data-testid="sandbox-moments">
            <option value="exact">exact (tokens have exactly the mean and covariance set)</option>
            <option value="sampled">sampled (plain draws, with sampling noise)</option>
          </select>
        </Field>
      </div>
      <div className="cloud-fieldsets">{cloud('a')}{cloud('b')}</div>
      <div className="row" role="group" aria-label="Presets">
        <span className="muted">Presets:</span>
        <button type="button" data-testid="preset-identical-means" onClick={() => onChange({ ...identicalMeansPreset(params), step: undefined, story: undefined })}>
          Identical means, different clouds
        </button>
        <button type="button" onClick={() => onChange(defaultSandbox())}>Reset</button>
      </div>
    </section>
  );
}
