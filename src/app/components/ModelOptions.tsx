import { CATALOG, CHECKPOINT_FIXTURES, FIXTURE_MODELS } from '../../encoders/catalog';

/** The catalog's families (every model loads from its own weights: its layers and download size), GloVe and the test models, as <optgroup>s for a model <select>. */
export function ModelOptions() {
  return (
    <>
      {CATALOG.map((f) => (
        <optgroup key={f.backbone.id} label={`${f.backbone.id} family`}>
          {[f.backbone, ...f.children].map((m) => (
            <option key={m.id} value={m.id}>
              {m.role === 'backbone' ? 'backbone: ' : '→ '}{m.id} · {m.layers} layers · ≈{Math.round(m.weights.bytes / 1e6)} MB
            </option>
          ))}
        </optgroup>
      ))}
      <optgroup label="Static word vectors">
        <option value="glove">glove (GloVe 100-d, no download)</option>
      </optgroup>
      <optgroup label="Test models (served /models/)">
        {FIXTURE_MODELS.map((m) => <option key={m} value={m}>{m}</option>)}
        {CHECKPOINT_FIXTURES.map((m) => <option key={m} value={m}>{m} (weights)</option>)}
      </optgroup>
    </>
  );
}
