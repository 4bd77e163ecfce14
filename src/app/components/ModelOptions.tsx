import { CATALOG, FIXTURE_MODELS } from '../../encoders/catalog';

/** The catalog's families, GloVe and the test models, as <optgroup>s for a model <select>. */
export function ModelOptions() {
  return (
    <>
      {CATALOG.map((f) => (
        <optgroup key={f.backbone.id} label={`${f.backbone.id} family`}>
          {[f.backbone, ...f.children].map((m) => (
            <option key={m.id} value={m.id}>
              {m.role === 'backbone' ? 'backbone: ' : '→ '}{m.id}{m.onnx.status === 'none' ? ' (no ONNX build)' : ''}
            </option>
          ))}
        </optgroup>
      ))}
      <optgroup label="Static word vectors">
        <option value="glove">glove (GloVe 100-d, no download)</option>
      </optgroup>
      <optgroup label="Test models (served /models/)">
        {FIXTURE_MODELS.map((m) => <option key={m} value={m}>{m}</option>)}
      </optgroup>
    </>
  );
}
