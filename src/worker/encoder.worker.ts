/// <reference lib="webworker" />
/**
 * The encoder service, in a dedicated Web Worker behind comlink: a thin RPC layer over
 * src/encoders (models) and src/analysis (a panel's statistics, on this worker's own engine, so
 * hidden states never cross to the main thread). Texts stay in the browser; only model files are fetched.
 */
import * as Comlink from 'comlink';
import { PanelAnalyser, type AttentionMap, type PanelAnalysis, type PanelOptions } from '../analysis/panel';
import { loadWordRanks } from '../analysis/word-frequency';
import { layerSummaries, type LayerSummary } from '../corpus/layers';
import { allPairsPlan } from '../corpus/pairs';
import { createBrowserEngine } from '../engine/browser';
import type { TokenMatrix } from '../math';
import { CpuSocmEngine } from '../engine/cpu';
import type { SocmEngine } from '../engine/types';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { catalogEntry, resolveModelId } from '../encoders/catalog';
import { loadCheckpointEncoder, weightFiles } from '../encoders/checkpoint';
import { decodeWordVectors } from '../encoders/glove/asset';
import { GLOVE_ID, gloveEncoder } from '../encoders/glove/encoder';
import { dtypesPresent, missingFilesError } from '../encoders/load-errors';
import { specProblem } from '../encoders/model-spec';
import { blobFiles, browserCache, hasWeights, hubBase, httpFiles, parseModelRef, pytorchOnlyError, pytorchOnlyMessage, WEIGHT_FILES, type ModelFiles } from '../encoders/model-files';
import { ort, webRuntime } from '../encoders/runtime/web';
import { loadTransformerEncoder, transformersEnv } from '../encoders/transformer';
import {
  EncoderLoadError, layerClouds, onnxFile, requiredModelFiles, type EncodedText, type EncodeOptions, type Encoder, type EncoderDtype, type EncoderInfo, type LoadProgress,
} from '../encoders/types';

// onnxruntime's wasm files come from this origin, never a CDN: works offline.
const onnx = transformersEnv.backends.onnx as { wasm?: { wasmPaths?: unknown } };
if (onnx.wasm) onnx.wasm.wasmPaths = { mjs: ortMjs, wasm: ortWasm };
transformersEnv.allowLocalModels = true;
transformersEnv.localModelPath = '/models/';
transformersEnv.allowRemoteModels = true;

/** Folders the user picked or dropped, served to transformers.js from their File objects. */
const FOLDER_PREFIX = 'local-folder';
const folders = new Map<string, Map<string, Blob>>();
const networkFetch = transformersEnv.fetch;
transformersEnv.fetch = async (input: string | URL, init?: RequestInit) => {
  const url = new URL(String(input), self.location.href);
  const match = url.pathname.match(new RegExp(`^/models/${FOLDER_PREFIX}/([^/]+)/(.+)$`));
  if (match) {
    const file = folders.get(decodeURIComponent(match[1]))?.get(decodeURIComponent(match[2]));
    return file ? new Response(file, { status: 200 }) : new Response('not in the chosen folder', { status: 404 });
  }
  return networkFetch(input, init);
};

/** A picked or dropped file, with its path inside the model folder (e.g. onnx/model.onnx). */
export interface FolderFile {
  path: string;
  file: Blob;
}

export interface Capabilities {
  webgpu: boolean;
  /** The adapter is a software fallback (SwiftShader): WASM encodes faster there. */
  fallbackAdapter?: boolean;
  /** Why WebGPU cannot be used, when it cannot. */
  reason?: string;
  shaderF16: boolean;
}

/** 'weights': the model's own safetensors (every layer); 'onnx': a transformers.js export (last layer); 'auto': weights where present. */
export type EncoderRoute = 'auto' | 'weights' | 'onnx';

export interface LoadRequest {
  /** A hub id (optionally @revision), an org/name under the served models directory, a picked folder, or 'glove'. */
  model: string;
  device?: 'auto' | 'webgpu' | 'wasm';
  dtype?: EncoderDtype;
  route?: EncoderRoute;
}

/** What loading a model would take, before it starts: the panel asks before a large download. */
export interface ModelPlan {
  model: string;
  route: 'weights' | 'onnx' | 'static';
  /** Where the files come from. */
  source: 'hub' | 'served' | 'folder' | 'builtin';
  /** Bytes still to download for the weights (0 when cached or local; undefined when unknown). */
  downloadBytes?: number;
  /** Both routes exist (the user may choose). */
  onnxAvailable?: boolean;
}

let capabilities: Promise<Capabilities> | undefined;

async function probeGpu(): Promise<Capabilities> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { webgpu: false, shaderF16: false, reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { webgpu: false, shaderF16: false, reason: 'WebGPU found no GPU adapter' };
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const fallbackAdapter = Boolean(info?.isFallbackAdapter ?? (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter);
    return { webgpu: true, fallbackAdapter, shaderF16: adapter.features.has('shader-f16') };
  } catch (error) {
    return { webgpu: false, shaderF16: false, reason: `WebGPU failed: ${(error as Error).message}` };
  }
}

/** A model's local copy (a picked folder, or the served models directory), or why there is none. */
interface LocalModel {
  /** Where it is, for messages ('the folder "x"', 'the served models directory (/models/org/name/)'). */
  where: string;
  has: (file: string) => Promise<boolean>;
}

async function localModel(model: string): Promise<LocalModel | { absent: string }> {
  if (model.startsWith(`${FOLDER_PREFIX}/`)) {
    const name = model.slice(FOLDER_PREFIX.length + 1);
    const files = folders.get(name);
    if (!files) return { absent: `the folder "${name}" is no longer open in this page: pick it again` };
    return { where: `the folder "${name}"`, has: async (file) => files.has(file) };
  }
  const head = async (file: string) => {
    try {
      return (await fetch(`/models/${model}/${file}`, { method: 'HEAD' })).ok;
    } catch {
      return false;
    }
  };
  if (await head('config.json')) return { where: `the served models directory (/models/${model}/)`, has: head };
  // The server's 404 says whether it serves a models directory at all (src/build/serve-models.ts).
  let body = '';
  try {
    body = await (await fetch(`/models/${model}/config.json`)).text();
  } catch {
    // no answer: said as "not in this server's models directory"
  }
  return { absent: /no models directory is served/.test(body)
    ? "this server's models directory (it serves none: start it with POOLSCOPE_MODELS_DIR=/path)"
    : "this server's models directory" };
}

async function isServedLocally(model: string): Promise<boolean> {
  return 'has' in (await localModel(model));
}

/** The dtypes a local copy can load as: its ONNX builds, and fp32 from safetensors weights. */
async function localDtypes(local: LocalModel): Promise<EncoderDtype[]> {
  const found = await Promise.all((['fp32', 'q8', 'fp16'] as const).map(async (d) => ((await local.has(onnxFile(d))) ? d : undefined)));
  return found.filter((d): d is EncoderDtype => Boolean(d));
}

/** Hub files of a model (from the hub's public model API), or undefined when the hub cannot be asked. */
async function hubFiles(model: string): Promise<Set<string> | undefined> {
  try {
    const response = await fetch(`${transformersEnv.remoteHost.replace(/\/$/, '')}/api/models/${model}`);
    if (!response.ok) return undefined;
    const info = await response.json() as { siblings?: { rfilename: string }[] };
    return new Set((info.siblings ?? []).map((s) => s.rfilename));
  } catch {
    return undefined;
  }
}

/** Which dtypes a model can load as, and whether that was checked against its files. */
/** A panel's build: fp32 (the own weights where there are any, else the fp32 ONNX export), onnx (the fp32 export beside weights), q8, fp16. */
export type Build = EncoderDtype | 'onnx';

export interface ModelDtypes {
  dtypes: Build[];
  /** False when the files could not be listed (hub unreachable): only fp32 is offered then. */
  checked: boolean;
}

/** Most bytes of hidden states a corpus's every-layer run keeps in the worker. */
const CORPUS_LAYER_BYTES = 1.5 * 2 ** 30;

/** Where a model's files are: a picked folder, the served models directory, or the hub (cached). */
async function modelFiles(model: string): Promise<{ files: ModelFiles; source: ModelPlan['source'] }> {
  if (model.startsWith(`${FOLDER_PREFIX}/`)) {
    const name = model.slice(FOLDER_PREFIX.length + 1);
    const map = folders.get(name);
    if (!map) throw new EncoderLoadError(`the folder "${name}" is no longer available: pick it again`);
    return { files: blobFiles(name, map), source: 'folder' };
  }
  const { id, revision } = parseModelRef(model);
  if (revision === 'main' && (await isServedLocally(id))) {
    return { files: httpFiles(new URL(`/models/${id}/`, self.location.href).href, { label: model, where: 'the served models directory' }), source: 'served' };
  }
  const pinned = revision === 'main' ? catalogEntry(id)?.weights.revision ?? revision : revision;
  return {
    files: httpFiles(hubBase(id, pinned), { label: model, where: 'the Hugging Face Hub', hub: true, cache: await browserCache() }),
    source: 'hub',
  };
}

/** hasWeights, but when the hub does not answer for a model not served here, the error says both places, not just "no network?". */
async function hasWeightsHere(model: string, files: ModelFiles, source: ModelPlan['source']): Promise<boolean> {
  try {
    return await hasWeights(files);
  } catch (error) {
    const local = source === 'hub' ? await localModel(parseModelRef(model).id) : undefined;
    if (error instanceof EncoderLoadError && local && 'absent' in local) throw new EncoderLoadError(`${error.message}, and it is not in ${local.absent}`);
    throw error;
  }
}

export class EncoderService {
  /** Loaded encoders by request, shared by every panel that asks for the same model. */
  private shared = new Map<string, { encoder: Promise<Encoder>; users: number }>();
  /** Per loaded encoder: its encodings and the panel statistics computed from them. */
  private analysers = new Map<string, PanelAnalyser>();
  private engine?: Promise<SocmEngine>;
  private jobs = new Map<string, AbortController>();
  private sharesDevice = false;
  private keys = new Map<string, string>();
  private counter = 0;

  capabilities(): Promise<Capabilities> {
    capabilities ??= probeGpu();
    return capabilities;
  }

  /**
   * Behave as if there were no WebGPU adapter from now on (later loads run on WASM and say why).
   * For tests of the fallback, and for a class comparing WASM with WebGPU.
   */
  forceNoWebGpu(reason = 'WebGPU was turned off'): void {
    capabilities = Promise.resolve({ webgpu: false, shaderF16: false, reason });
  }

  /**
   * Makes a model folder the user picked or dropped loadable as `local-folder/<name>` (a later
   * pick of a folder with the same name: `<name>-2`, `<name>-3`, …).
   * Paths may carry the folder's own name first ("my-model/onnx/model.onnx"); it is dropped.
   * A folder needs config.json and either safetensors weights or an ONNX export.
   */
  registerFolder(name: string, files: FolderFile[], dtype: EncoderDtype = 'fp32'): string {
    const safe = name.replace(/[^\w.-]+/g, '-') || 'folder';
    const first = files[0]?.path.split('/')[0];
    const strip = files.length > 0 && files.every((f) => f.path.includes('/') && f.path.split('/')[0] === first) &&
      !files.some((f) => f.path.startsWith('onnx/'));
    const map = new Map(files.map((f) => [strip ? f.path.slice(f.path.indexOf('/') + 1) : f.path, f.file]));
    const weights = WEIGHT_FILES.some((f) => map.has(f));
    if (!weights && map.has('pytorch_model.bin') && !map.has('onnx/model.onnx')) {
      throw new EncoderLoadError(pytorchOnlyMessage({ label: `the folder "${name}"`, where: 'it' }));
    }
    if (!weights) {
      // Any one ONNX build will do here; the panel's dtype is checked when the model loads.
      const present = dtypesPresent((f) => map.has(f));
      const missing = requiredModelFiles(present.includes(dtype) || !present.length ? dtype : present[0]).filter((f) => !map.has(f));
      if (missing.length) {
        throw new EncoderLoadError(`the folder "${name}" is missing ${missing.join(', ')}: a model folder needs config.json with model.safetensors (and tokenizer.json or vocab.txt), or ${requiredModelFiles(dtype).join(', ')}`);
      }
    } else if (!map.has('config.json')) {
      throw new EncoderLoadError(`the folder "${name}" is missing config.json, which says how to build the model from its weights`);
    }
    // Every pick is a model of its own: run1/checkpoint-500 and run2/checkpoint-500 (or the same
    // folder picked again after training went on) must not share an id, or the second would be
    // served the first one's encoder.
    let key = safe;
    for (let k = 2; folders.has(key); k++) key = `${safe}-${k}`;
    folders.set(key, map);
    return `${FOLDER_PREFIX}/${key}`;
  }

  /**
   * The dtypes a model has files for: its ONNX builds (in a picked folder, the served models
   * directory, or on the hub when it answers) and fp32 from safetensors weights; fp16 only where
   * the adapter has shader-f16.
   */
  async modelDtypes(model: string): Promise<ModelDtypes> {
    model = model.trim();
    if (model === GLOVE_ID) return { dtypes: ['fp32'], checked: true };
    const caps = await this.capabilities();
    const { id } = parseModelRef(model);
    const resolved = model.startsWith(`${FOLDER_PREFIX}/`) ? { load: model } : resolveModelId(id);
    if (!model.startsWith(`${FOLDER_PREFIX}/`) && !/^[\w.-]+(\/[\w.-]+)?$/.test(id)) return { dtypes: ['fp32'], checked: false };
    // fp32 is the model's own weights where it has them (every layer), and 'onnx' then its fp32 export.
    const builds = (onnx: EncoderDtype[], weights: boolean): Build[] => [
      ...(weights || onnx.includes('fp32') ? ['fp32' as const] : []),
      ...(weights && onnx.includes('fp32') ? ['onnx' as const] : []),
      ...onnx.filter((d) => d === 'q8' || (d === 'fp16' && caps.shaderF16)),
    ];
    const local = await localModel(model.startsWith(`${FOLDER_PREFIX}/`) ? model : id);
    if ('has' in local) {
      const weights = (await Promise.all(WEIGHT_FILES.map((f) => local.has(f)))).some(Boolean);
      return { dtypes: builds(await localDtypes(local), weights), checked: true };
    }
    // On the hub: the weights in the model's own repo (every catalog model has them), the ONNX builds in its export's.
    const own = catalogEntry(id) ? undefined : await hubFiles(id);
    const weights = Boolean(catalogEntry(id)) || WEIGHT_FILES.some((f) => own?.has(f));
    const exportFiles = resolved.problem ? new Set<string>() : resolved.load === id && own ? own : await hubFiles(resolved.load);
    if (!exportFiles && !catalogEntry(id) && !own) return { dtypes: ['fp32'], checked: false };
    return { dtypes: builds(exportFiles ? dtypesPresent((f) => exportFiles.has(f)) : [], weights), checked: true };
  }

  /** Which route a model would load by, from where, and how much is left to download. */
  async inspect(model: string): Promise<ModelPlan> {
    model = model.trim();
    if (model === GLOVE_ID) return { model, route: 'static', source: 'builtin', downloadBytes: 0 };
    checkId(model);
    const { files, source } = await modelFiles(model);
    if (!(await hasWeightsHere(model, files, source))) return { model, route: 'onnx', source };
    const shards = await weightFiles(files);
    let downloadBytes: number | undefined = 0;
    for (const shard of shards) {
      if (await files.local(shard)) continue;
      const size = await files.size(shard);
      downloadBytes = size === undefined || downloadBytes === undefined ? undefined : downloadBytes + size;
    }
    const onnxAvailable = source === 'hub' ? Boolean(catalogEntry(model)?.onnx.id) : await files.exists('onnx/model.onnx');
    return { model, route: 'weights', source, downloadBytes, onnxAvailable };
  }

  /** Loads a model (once, however many panels ask); `onProgress` (a comlink proxy) gets download progress. */
  async load(request: LoadRequest, onProgress?: (p: LoadProgress) => void): Promise<{ key: string; info: EncoderInfo }> {
    const model = request.model.trim();
    if (!model) throw new EncoderLoadError('no model given: pick one from the catalog, type a hub id (org/name), or choose glove');
    const id = JSON.stringify([model, request.device ?? 'auto', request.dtype ?? 'fp32', request.route ?? 'auto']);
    let entry = this.shared.get(id);
    if (!entry) {
      entry = { encoder: this.open({ ...request, model }, onProgress), users: 0 };
      this.shared.set(id, entry);
      entry.encoder.catch(() => this.shared.delete(id));
    } else if (onProgress) {
      onProgress({ file: '', loaded: 0, total: 0, filesDone: 0, filesSeen: 0, status: 'download' });
    }
    const encoder = await entry.encoder;
    entry.users++;
    const key = `${model}#${++this.counter}`;
    this.keys.set(key, id);
    if (onProgress) onProgress({ file: '', loaded: 0, total: 0, filesDone: 0, filesSeen: 0, status: 'ready' });
    return { key, info: encoder.info };
  }

  private async open(request: LoadRequest & { model: string }, onProgress?: (p: LoadProgress) => void): Promise<Encoder> {
    const { model } = request;
    if (model === GLOVE_ID) {
      const response = await fetch('/glove/glove-100d.bin');
      if (!response.ok) throw new EncoderLoadError(`the GloVe vectors are missing from this build (/glove/glove-100d.bin: HTTP ${response.status}); run npm run assets`);
      return gloveEncoder(decodeWordVectors(new Uint8Array(await response.arrayBuffer())));
    }
    checkId(model);
    const caps = await this.capabilities();
    const dtype = request.dtype ?? 'fp32';
    if (dtype === 'fp16' && !caps.shaderF16) throw new EncoderLoadError('fp16 needs a WebGPU adapter with shader-f16, which this one lacks: use fp32 or q8');
    const wanted = request.device ?? 'auto';
    if (wanted === 'webgpu' && !caps.webgpu) throw new EncoderLoadError(`WebGPU was asked for but ${caps.reason}`);
    // 'auto' skips a software fallback adapter: measured 30× slower than WASM for encoding.
    const softwareOnly = wanted === 'auto' && caps.webgpu && caps.fallbackAdapter;
    const device: 'webgpu' | 'wasm' = wanted === 'wasm' || !caps.webgpu || softwareOnly ? 'wasm' : 'webgpu';
    const fallbackReason = wanted !== 'wasm' && !caps.webgpu ? caps.reason
      : softwareOnly ? 'the only WebGPU adapter is a software fallback (e.g. SwiftShader), slower than WASM for encoding' : undefined;
    const route = request.route ?? 'auto';
    // Quantised and half-precision builds are ONNX files: with them the ONNX route is the only one.
    if (route === 'weights' && dtype !== 'fp32') throw new EncoderLoadError(`dtype ${dtype} applies to ONNX exports; the weights route runs fp32`);
    if (route !== 'onnx' && dtype === 'fp32') {
      const { files, source } = await modelFiles(model);
      if (route === 'weights' || (await hasWeightsHere(model, files, source))) {
        const entry = catalogEntry(parseModelRef(model).id);
        return withWebGpuFallback(device, wanted, fallbackReason, (d, why) =>
          loadCheckpointEncoder(files, { runtime: webRuntime, device: d, fallbackReason: why, onProgress, safetensorsHint: entry?.weights.hint }));
      }
      // A served model with only a PyTorch pickle: say that, not that its ONNX export is missing.
      const pickleOnly = source === 'served' ? await pytorchOnlyError(files) : undefined;
      if (pickleOnly) throw pickleOnly;
    }
    const resolved = model.startsWith(`${FOLDER_PREFIX}/`) ? { load: model } : resolveModelId(parseModelRef(model).id);
    if (resolved.problem) throw new EncoderLoadError(resolved.problem);
    const local = await localModel(resolved.load);
    if ('has' in local) {
      // A local copy: name a missing file here, rather than let transformers.js try the hub for it.
      const present = await Promise.all(requiredModelFiles(dtype).map((f) => local.has(f)));
      const missing = requiredModelFiles(dtype).filter((_, k) => !present[k]);
      if (missing.length) throw missingFilesError(model, local.where, missing, dtype, await localDtypes(local), (await Promise.all(WEIGHT_FILES.map((f) => local.has(f)))).some(Boolean));
    }
    const localHint = 'has' in local ? undefined : local.absent;
    return withWebGpuFallback(device, wanted, fallbackReason, (d, why) =>
      loadTransformerEncoder(resolved.load, { device: d, dtype, fallbackReason: why, onProgress, localHint }));
  }

  private async encoderFor(key: string): Promise<{ id: string; encoder: Encoder }> {
    const id = this.keys.get(key);
    const entry = id === undefined ? undefined : this.shared.get(id);
    if (!entry) throw new EncoderLoadError(`no loaded model ${key}: load it first`);
    return { id: id!, encoder: await entry.encoder };
  }

  /** Token clouds of the texts; the vector buffers are transferred, not copied. */
  async encode(key: string, texts: string[], options?: EncodeOptions): Promise<EncodedText[]> {
    const out = await (await this.encoderFor(key)).encoder.encode(texts, options);
    const buffers = new Set<ArrayBuffer>();
    for (const e of out) for (const a of [e.vectors, ...(e.layers ?? []), ...(e.attentions ?? [])]) buffers.add(a.buffer as ArrayBuffer);
    return Comlink.transfer(out, [...buffers]);
  }

  /**
   * The statistics engine of this worker: WebGPU on the very GPUDevice onnxruntime-web encodes on
   * (hidden states and statistics share one device), else on a device of its own, else the CPU
   * (with the reason).
   */
  private statsEngine(): Promise<SocmEngine> {
    this.engine ??= (async () => {
      const device = await sharedDevice();
      if (device) {
        const shared = await createBrowserEngine({ device });
        if (shared.backend === 'webgpu') {
          this.sharesDevice = true;
          return shared;
        }
      }
      return createBrowserEngine();
    })();
    return this.engine;
  }

  /** What computes the panels' statistics here, and whether it shares onnxruntime's GPU device. */
  async statsEngineInfo(): Promise<{ description: string; backend: string; sharesEncoderDevice: boolean }> {
    const engine = await this.statsEngine();
    return { description: engine.description, backend: engine.backend, sharesEncoderDevice: this.sharesDevice };
  }

  private async analyser(key: string): Promise<PanelAnalyser> {
    const { id, encoder } = await this.encoderFor(key);
    let analyser = this.analysers.get(id);
    if (!analyser) {
      analyser = new PanelAnalyser(await this.statsEngine(), (texts, options) => encoder.encode(texts, options), encoder.info, loadWordRanks);
      this.analysers.set(id, analyser);
    }
    return analyser;
  }

  /**
   * A playground panel's numbers for texts A and B, computed here beside the encoder (see
   * src/analysis/panel.ts): the main thread only draws them. A lost GPU device moves every panel
   * to the CPU reference, saying why, and the run is repeated there.
   */
  async analyse(key: string, a: string, b: string, options: PanelOptions): Promise<PanelAnalysis | undefined> {
    const analyser = await this.analyser(key);
    try {
      return await analyser.analyse(a, b, options);
    } catch (error) {
      if ((error as Error).name !== 'GpuUnavailableError') throw error;
      const cpu = new CpuSocmEngine(`CPU (float64 TypeScript reference), because ${(error as Error).message}`);
      this.engine = Promise.resolve(cpu);
      for (const other of this.analysers.values()) other.useEngine(cpu);
      return analyser.analyse(a, b, options);
    }
  }

  /** Attention probabilities of one layer over one text's tokens. */
  async attention(key: string, text: string, layer: number): Promise<AttentionMap> {
    const map = await (await this.analyser(key)).attention(text, layer);
    return { ...map, data: map.data.slice() };
  }

  /**
   * The paper's §6 over a corpus for one model: every text encoded with every layer, then at each
   * layer the averages over texts (spread, tr Σ, within-text cosine) and the mean SOCM over all
   * pairs, on this worker's engine. Texts with no tokens are left out. `job` names the run for cancelJob.
   */
  async corpusLayers(
    request: LoadRequest, texts: string[], excludeSpecial: boolean, job: string,
    onProgress?: (p: { phase: 'loading' | 'encoding' | 'layers'; done: number; total: number }) => void,
  ): Promise<{ layers: LayerSummary[]; texts: number }> {
    const abort = new AbortController();
    this.jobs.set(job, abort);
    onProgress?.({ phase: 'loading', done: 0, total: 1 });
    const { key, info } = await this.load(request);
    try {
      if (info.layers === undefined) throw new EncoderLoadError(`${request.model} has no inner layers: only models loaded from their own weights (safetensors) do`);
      const byLayer: TokenMatrix[][] = Array.from({ length: info.layers + 1 }, () => []);
      const { encoder } = await this.encoderFor(key);
      let bytes = 0;
      for (let k = 0; k < texts.length; k += 16) {
        if (abort.signal.aborted) throw new DOMException('cancelled', 'AbortError');
        for (const e of await encoder.encode(texts.slice(k, k + 16), { layer: 'all' })) {
          const clouds = layerClouds(e, excludeSpecial);
          if (clouds[0].n === 0) continue;
          clouds.forEach((c, l) => byLayer[l].push(c));
          bytes += clouds.reduce((s, c) => s + c.data.byteLength, 0);
          if (bytes > CORPUS_LAYER_BYTES) {
            throw new EncoderLoadError(`every layer of these texts needs more than ${Math.round(CORPUS_LAYER_BYTES / 2 ** 20)} MB here: use fewer texts ("Use at most"), or poolscope corpus --layer all in a terminal`);
          }
        }
        onProgress?.({ phase: 'encoding', done: Math.min(texts.length, k + 16), total: texts.length });
      }
      const n = byLayer[0].length;
      if (n < 2) throw new EncoderLoadError(`${request.model}: fewer than 2 texts have tokens to measure`);
      const layers = await layerSummaries(await this.statsEngine(), byLayer, allPairsPlan(n), {
        signal: abort.signal, onLayer: (l) => onProgress?.({ phase: 'layers', done: l + 1, total: byLayer.length }),
      });
      return { layers, texts: n };
    } finally {
      this.jobs.delete(job);
      await this.unload(key);
    }
  }

  cancelJob(job: string): void {
    this.jobs.get(job)?.abort();
  }

  /** The models held now and how many panels use each. */
  held(): { model: string; users: number }[] {
    return [...this.shared.entries()].filter(([, e]) => e.users > 0).map(([id, e]) => ({ model: JSON.parse(id)[0] as string, users: e.users }));
  }

  async unload(key: string): Promise<void> {
    const id = this.keys.get(key);
    this.keys.delete(key);
    const entry = id === undefined ? undefined : this.shared.get(id);
    if (!entry || --entry.users > 0) return;
    this.shared.delete(id!);
    this.analysers.delete(id!);
    await (await entry.encoder).dispose();
  }
}

function checkId(model: string): void {
  if (!model.startsWith(`${FOLDER_PREFIX}/`) && !/^[\w.-]+(\/[\w.-]+)?(@[\w./-]+)?$/.test(model)) {
    throw new EncoderLoadError(specProblem(model) ?? `"${model}" is not a model id like org/name or org/name@revision`);
  }
}

/** onnxruntime-web's GPUDevice (it makes one if no session has yet), or undefined where there is no WebGPU. */
async function sharedDevice(): Promise<GPUDevice | undefined> {
  if (!(self.navigator as Navigator & { gpu?: GPU }).gpu) return undefined;
  try {
    return (await ort.env.webgpu.device) as GPUDevice;
  } catch {
    return undefined;
  }
}

/** Loads on WebGPU; if its execution provider fails on this model, on WASM, saying why (unless WebGPU was insisted on). */
async function withWebGpuFallback(
  device: 'webgpu' | 'wasm', wanted: LoadRequest['device'], reason: string | undefined,
  load: (device: 'webgpu' | 'wasm', reason: string | undefined) => Promise<Encoder>,
): Promise<Encoder> {
  try {
    return await load(device, reason);
  } catch (error) {
    if (device !== 'webgpu' || error instanceof EncoderLoadError || wanted === 'webgpu') throw error;
    return load('wasm', `WebGPU could not run this model (${(error as Error).message})`);
  }
}

Comlink.expose(new EncoderService());
