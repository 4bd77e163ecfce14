/**
 * The paper's encoders as backbone → contrastively fine-tuned pairs (Hara et al. 2026, §5). Every one
 * loads from its own hub repo through the weights route (safetensors → every layer); `weights` says
 * how big that download is (about; the exact size is read from the hub before downloading) and, where
 * the main branch has no safetensors, which revision does. Some also have an ONNX build that
 * transformers.js can load (last layer only).
 *
 * `onnx.status`: 'known' — a feature-extraction ONNX build (with last_hidden_state) is on the
 * hub; 'unverified' — a build exists but may be exported for another task (e.g. fill-mask,
 * whose output is logits: Poolscope then says so); 'none' — no ONNX build known: convert with
 * `optimum-cli export onnx --task feature-extraction --model ID DIR` and load DIR as a folder.
 */
export interface CatalogModel {
  /** The model the paper names. */
  id: string;
  /** Its safetensors on the hub: about how many bytes, stored as what, and at which revision. */
  weights: { bytes: number; storage: 'F32' | 'F16'; revision?: string; hint?: string };
  /** What transformers.js loads, when there is one. */
  onnx: { id: string | null; status: 'known' | 'unverified' | 'none'; note?: string };
  width: number;
  layers: number;
  /** Parameters, in millions. */
  params: number;
  licence: string;
  role: 'backbone' | 'fine-tuned';
  /** Pooling the fine-tuned model was trained with, where it matters for reading SOCM. */
  pooling?: 'mean' | 'cls';
}

export interface CatalogFamily {
  backbone: CatalogModel;
  children: CatalogModel[];
}

const NO_ONNX = 'no ONNX build known: export one with optimum (task feature-extraction) and load the folder';

export const CATALOG: CatalogFamily[] = [
  {
    backbone: { id: 'bert-base-uncased', weights: { bytes: 440_000_000, storage: 'F32' }, onnx: { id: 'Xenova/bert-base-uncased', status: 'unverified', note: 'a fill-mask export: transformers.js documents it returning MLM logits, not last_hidden_state; export a feature-extraction build and load the folder' }, width: 768, layers: 12, params: 110, licence: 'Apache-2.0', role: 'backbone' },
    children: [
      { id: 'princeton-nlp/unsup-simcse-bert-base-uncased', weights: { bytes: 438_000_000, storage: 'F32' }, onnx: { id: null, status: 'none', note: `the paper trains unsup-SimCSE with mean pooling itself; ${NO_ONNX}` }, width: 768, layers: 12, params: 110, licence: 'MIT', role: 'fine-tuned', pooling: 'mean' },
      { id: 'intfloat/e5-base-v2', weights: { bytes: 438_000_000, storage: 'F32' }, onnx: { id: 'Xenova/e5-base-v2', status: 'known' }, width: 768, layers: 12, params: 110, licence: 'MIT', role: 'fine-tuned', pooling: 'mean' },
      { id: 'thenlper/gte-base', weights: { bytes: 219_000_000, storage: 'F16' }, onnx: { id: 'Xenova/gte-base', status: 'known' }, width: 768, layers: 12, params: 110, licence: 'MIT', role: 'fine-tuned', pooling: 'mean' },
    ],
  },
  {
    backbone: { id: 'microsoft/MiniLM-L12-H384-uncased', weights: { bytes: 133_000_000, storage: 'F32', revision: 'refs/pr/1', hint: 'its main branch has only pytorch_model.bin; load microsoft/MiniLM-L12-H384-uncased@refs/pr/1, the hub\'s safetensors conversion' }, onnx: { id: null, status: 'none', note: NO_ONNX }, width: 384, layers: 12, params: 33, licence: 'MIT', role: 'backbone' },
    children: [
      { id: 'sentence-transformers/all-MiniLM-L12-v2', weights: { bytes: 133_000_000, storage: 'F32' }, onnx: { id: 'Xenova/all-MiniLM-L12-v2', status: 'known' }, width: 384, layers: 12, params: 33, licence: 'Apache-2.0', role: 'fine-tuned', pooling: 'mean' },
      { id: 'intfloat/e5-small-v2', weights: { bytes: 133_000_000, storage: 'F32' }, onnx: { id: 'Xenova/e5-small-v2', status: 'known' }, width: 384, layers: 12, params: 33, licence: 'MIT', role: 'fine-tuned', pooling: 'mean' },
      { id: 'thenlper/gte-small', weights: { bytes: 67_000_000, storage: 'F16' }, onnx: { id: 'Xenova/gte-small', status: 'known' }, width: 384, layers: 12, params: 33, licence: 'MIT', role: 'fine-tuned', pooling: 'mean' },
    ],
  },
  {
    backbone: { id: 'microsoft/mpnet-base', weights: { bytes: 533_000_000, storage: 'F32' }, onnx: { id: null, status: 'none', note: NO_ONNX }, width: 768, layers: 12, params: 110, licence: 'MIT', role: 'backbone' },
    children: [
      { id: 'sentence-transformers/all-mpnet-base-v2', weights: { bytes: 438_000_000, storage: 'F32' }, onnx: { id: 'Xenova/all-mpnet-base-v2', status: 'known' }, width: 768, layers: 12, params: 110, licence: 'Apache-2.0', role: 'fine-tuned', pooling: 'mean' },
    ],
  },
  {
    backbone: { id: 'nomic-ai/nomic-bert-2048', weights: { bytes: 549_000_000, storage: 'F32' }, onnx: { id: null, status: 'none', note: `custom architecture (nomic_bert); ${NO_ONNX}` }, width: 768, layers: 12, params: 137, licence: 'Apache-2.0', role: 'backbone' },
    children: [
      { id: 'nomic-ai/nomic-embed-text-v1.5', weights: { bytes: 547_000_000, storage: 'F32' }, onnx: { id: 'nomic-ai/nomic-embed-text-v1.5', status: 'known', note: 'expects task prefixes such as "search_document: " — type them if you want them; none are added' }, width: 768, layers: 12, params: 137, licence: 'Apache-2.0', role: 'fine-tuned', pooling: 'mean' },
    ],
  },
];

/** The project's own test encoders, served from test/fixtures/models (POOLSCOPE_MODELS_DIR). */
export const FIXTURE_MODELS = ['poolscope/tiny-bert', 'poolscope/tiny-bert-wide'];

/** The catalog entry for a paper id or its ONNX build's id (a revision suffix is ignored). */
export function catalogEntry(name: string): CatalogModel | undefined {
  const id = name.split('@')[0];
  return catalogModels().find((m) => m.id === id || m.onnx.id === id);
}

/** Every catalog model, flat. */
export function catalogModels(): CatalogModel[] {
  return CATALOG.flatMap((f) => [f.backbone, ...f.children]);
}

/** What to load for a name the user typed: a catalog id maps to its ONNX build; anything else is used as given. */
export function resolveModelId(name: string): { load: string; entry?: CatalogModel; problem?: string } {
  const entry = catalogModels().find((m) => m.id === name || m.onnx.id === name);
  if (!entry) return { load: name };
  if (!entry.onnx.id) return { load: name, entry, problem: `${entry.id}: ${entry.onnx.note ?? NO_ONNX}` };
  return { load: entry.onnx.id, entry };
}
