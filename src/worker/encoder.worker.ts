/// <reference lib="webworker" />
/**
 * The encoder service, in a dedicated Web Worker behind comlink: a thin RPC layer over
 * src/encoders. Texts stay in the browser; only model files are fetched.
 */
import * as Comlink from 'comlink';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { resolveModelId } from '../encoders/catalog';
import { decodeWordVectors } from '../encoders/glove/asset';
import { GLOVE_ID, gloveEncoder } from '../encoders/glove/encoder';
import { dtypesPresent, missingFilesError } from '../encoders/load-errors';
import { loadTransformerEncoder, transformersEnv } from '../encoders/transformer';
import { EncoderLoadError, onnxFile, requiredModelFiles, type EncodedText, type Encoder, type EncoderDtype, type EncoderInfo, type LoadProgress } from '../encoders/types';

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

export interface LoadRequest {
  /** A hub id, an org/name under the served models directory, or 'glove'. */
  model: string;
  device?: 'auto' | 'webgpu' | 'wasm';
  dtype?: EncoderDtype;
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

/** The dtypes a local copy has an ONNX file for. */
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
export interface ModelDtypes {
  dtypes: EncoderDtype[];
  /** False when the files could not be listed (hub unreachable): only fp32 is offered then. */
  checked: boolean;
}

export class EncoderService {
  private encoders = new Map<string, Encoder>();
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
   * Makes a model folder the user picked or dropped loadable as `local-folder/<name>`.
   * Paths may carry the folder's own name first ("my-model/onnx/model.onnx"); it is dropped.
   */
  registerFolder(name: string, files: FolderFile[], dtype: EncoderDtype = 'fp32'): string {
    const safe = name.replace(/[^\w.-]+/g, '-') || 'folder';
    const strip = files.length > 0 && files.every((f) => f.path.includes('/') && f.path.split('/')[0] === files[0].path.split('/')[0]) &&
      !files.some((f) => f.path.startsWith('onnx/'));
    const map = new Map(files.map((f) => [strip ? f.path.slice(f.path.indexOf('/') + 1) : f.path, f.file]));
    // Any one ONNX build will do here; the panel's dtype is checked when the model loads.
    const present = dtypesPresent((f) => map.has(f));
    const missing = requiredModelFiles(present.includes(dtype) || !present.length ? dtype : present[0]).filter((f) => !map.has(f));
    if (missing.length) {
      throw new EncoderLoadError(`the folder "${name}" is missing ${missing.join(', ')}: a model folder needs ${requiredModelFiles(dtype).join(', ')}`);
    }
    folders.set(safe, map);
    return `${FOLDER_PREFIX}/${safe}`;
  }

  /**
   * The dtypes a model has files for: its ONNX builds in a picked folder or the served models
   * directory, or on the hub (when it answers); fp16 only where the adapter has shader-f16.
   */
  async modelDtypes(model: string): Promise<ModelDtypes> {
    model = model.trim();
    if (model === GLOVE_ID) return { dtypes: ['fp32'], checked: true };
    const resolved = resolveModelId(model);
    if (resolved.problem || !/^[\w.-]+(\/[\w.-]+)?$/.test(resolved.load)) return { dtypes: ['fp32'], checked: false };
    const caps = await this.capabilities();
    const usable = (dtypes: EncoderDtype[]) => dtypes.filter((d) => d !== 'fp16' || caps.shaderF16);
    const local = await localModel(resolved.load);
    if ('has' in local) return { dtypes: usable(await localDtypes(local)), checked: true };
    const files = await hubFiles(resolved.load);
    if (!files) return { dtypes: ['fp32'], checked: false };
    return { dtypes: usable(dtypesPresent((f) => files.has(f))), checked: true };
  }

  /** Loads a model; `onProgress` (a comlink proxy) gets download progress. */
  async load(request: LoadRequest, onProgress?: (p: LoadProgress) => void): Promise<{ key: string; info: EncoderInfo }> {
    let model = request.model.trim();
    if (!model) throw new EncoderLoadError('no model given: pick one from the catalog, type a hub id (org/name), or choose glove');
    let encoder: Encoder;
    if (model === GLOVE_ID) {
      const response = await fetch('/glove/glove-100d.bin');
      if (!response.ok) throw new EncoderLoadError(`the GloVe vectors are missing from this build (/glove/glove-100d.bin: HTTP ${response.status}); run npm run assets`);
      encoder = gloveEncoder(decodeWordVectors(new Uint8Array(await response.arrayBuffer())));
    } else {
      if (!/^[\w.-]+(\/[\w.-]+)?$/.test(model)) throw new EncoderLoadError(`"${model}" is not a model id like org/name`);
      const resolved = resolveModelId(model);
      if (resolved.problem) throw new EncoderLoadError(resolved.problem);
      model = resolved.load;
      const caps = await this.capabilities();
      const dtype = request.dtype ?? 'fp32';
      if (dtype === 'fp16' && !caps.shaderF16) throw new EncoderLoadError('fp16 needs a WebGPU adapter with shader-f16, which this one lacks: use fp32 or q8');
      const wanted = request.device ?? 'auto';
      // 'auto' skips a software fallback adapter: measured 30× slower than WASM for encoding.
      const softwareOnly = wanted === 'auto' && caps.webgpu && caps.fallbackAdapter;
      let device: 'webgpu' | 'wasm' = wanted === 'wasm' || !caps.webgpu || softwareOnly ? 'wasm' : 'webgpu';
      let fallbackReason = wanted !== 'wasm' && !caps.webgpu ? caps.reason
        : softwareOnly ? 'the only WebGPU adapter is a software fallback (e.g. SwiftShader), slower than WASM for encoding' : undefined;
      if (wanted === 'webgpu' && !caps.webgpu) throw new EncoderLoadError(`WebGPU was asked for but ${caps.reason}`);
      const local = await localModel(model);
      if ('has' in local) {
        // A local copy: name a missing file here, rather than let transformers.js try the hub for it.
        const present = await Promise.all(requiredModelFiles(dtype).map((f) => local.has(f)));
        const missing = requiredModelFiles(dtype).filter((_, k) => !present[k]);
        if (missing.length) throw missingFilesError(request.model.trim(), local.where, missing, dtype, await localDtypes(local));
      }
      const localHint = 'has' in local ? undefined : local.absent;
      try {
        encoder = await loadTransformerEncoder(model, { device, dtype, fallbackReason, onProgress, localHint });
      } catch (error) {
        if (device !== 'webgpu' || error instanceof EncoderLoadError || wanted === 'webgpu') throw error;
        // The WebGPU execution provider failed on this model: run it on WASM and say why.
        fallbackReason = `WebGPU could not run this model (${(error as Error).message})`;
        device = 'wasm';
        encoder = await loadTransformerEncoder(model, { device, dtype, fallbackReason, onProgress, localHint });
      }
    }
    const key = `${model}#${++this.counter}`;
    this.encoders.set(key, encoder);
    return { key, info: encoder.info };
  }

  /** Token clouds of the texts; the vector buffers are transferred, not copied. */
  async encode(key: string, texts: string[]): Promise<EncodedText[]> {
    const encoder = this.encoders.get(key);
    if (!encoder) throw new EncoderLoadError(`no loaded model ${key}: load it first`);
    const out = await encoder.encode(texts);
    return Comlink.transfer(out, out.map((e) => e.vectors.buffer as ArrayBuffer));
  }

  async unload(key: string): Promise<void> {
    await this.encoders.get(key)?.dispose();
    this.encoders.delete(key);
  }
}

Comlink.expose(new EncoderService());
