/**
 * Where a model's files come from: the Hugging Face Hub (at a revision), a served models directory
 * (/models/org/name/ in the app), a folder the user picked or dropped, or (in Node) a folder on disk.
 * One small interface for all of them, DOM-free; the fetch-based source takes an optional cache so
 * a second visit works offline.
 */
import { EncoderLoadError } from './types';

export interface ModelFiles {
  /** The model as the user named it (an id, id@revision, or a folder), for messages. */
  readonly label: string;
  /** Where the files are looked for, in words ("the Hugging Face Hub", "the folder …"). */
  readonly where: string;
  exists(path: string): Promise<boolean>;
  text(path: string): Promise<string>;
  /** A file's bytes; `onProgress` hears (bytes so far, total bytes or 0 when unknown). */
  bytes(path: string, onProgress?: (loaded: number, total: number) => void): Promise<Uint8Array>;
  /** A file's size without downloading it, when that can be known (cached, local, or a HEAD request). */
  size(path: string): Promise<number | undefined>;
  /** True when the file is already on this machine (local, or in the download cache). */
  local(path: string): Promise<boolean>;
}

/** The files that hold a checkpoint's weights: one file, or an index of shards. */
export const WEIGHT_FILES = ['model.safetensors', 'model.safetensors.index.json'];

/** Whether the model has its own weights (safetensors) there. */
export async function hasWeights(files: ModelFiles): Promise<boolean> {
  for (const f of WEIGHT_FILES) if (await files.exists(f)) return true;
  return false;
}

/** Why a model with only `pytorch_model.bin` cannot load, naming what would (a hint of the catalog's, else the general way out). */
export function pytorchOnlyMessage(files: Pick<ModelFiles, 'label' | 'where'>, hint?: string): string {
  return `${files.label} has only pytorch_model.bin in ${files.where}, a PyTorch pickle that Poolscope does not read (unpickling can run code): ${hint ?? 'use a revision or folder with model.safetensors (the hub often has one as a conversion pull request, org/name@refs/pr/N)'}`;
}

/**
 * The error for a model whose only weights are `pytorch_model.bin` and that has no ONNX export
 * either (checked before the ONNX route would report a missing onnx/model.onnx instead), else undefined.
 */
export async function pytorchOnlyError(files: ModelFiles, hint?: string): Promise<EncoderLoadError | undefined> {
  if (!(await files.exists('pytorch_model.bin')) || (await files.exists('onnx/model.onnx')) || (await hasWeights(files))) return undefined;
  return new EncoderLoadError(pytorchOnlyMessage(files, hint));
}

/** A hub id with an optional revision: `org/name@refs/pr/1`. */
export function parseModelRef(ref: string): { id: string; revision: string } {
  const at = ref.indexOf('@');
  if (at < 0) return { id: ref, revision: 'main' };
  const revision = ref.slice(at + 1);
  if (!revision || /\s|\.\./.test(revision)) throw new EncoderLoadError(`"${ref}": the revision after @ must be a branch, tag, commit or refs/pr/N`);
  return { id: ref.slice(0, at), revision };
}

export const HUB_HOST = 'https://huggingface.co';

/** The URL prefix of a hub repo's files at a revision (`refs/pr/1` is escaped as the hub expects). */
export function hubBase(id: string, revision: string, host = HUB_HOST): string {
  return `${host}/${id}/resolve/${encodeURIComponent(revision)}/`;
}

/** A byte cache keyed by URL: the Cache API in browsers, a folder in Node. */
export interface ByteCache {
  get(url: string): Promise<Uint8Array | undefined>;
  put(url: string, bytes: Uint8Array): Promise<void>;
  has(url: string): Promise<boolean>;
  /** A cached file's length without reading it into memory (a 440 MB checkpoint is asked its size before it loads). */
  size(url: string): Promise<number | undefined>;
}

/** The browser's Cache API as a ByteCache (absent where `caches` is not available). */
export async function browserCache(name = 'poolscope-models'): Promise<ByteCache | undefined> {
  const store = (globalThis as { caches?: CacheStorage }).caches;
  if (!store) return undefined;
  let cache: Cache;
  try {
    cache = await store.open(name);
  } catch {
    return undefined;
  }
  return {
    async get(url) {
      const hit = await cache.match(url);
      return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
    },
    async put(url, bytes) {
      // A full disk or a private window may refuse: the model still works, only not offline.
      await cache.put(url, new Response(bytes as BlobPart, { headers: { 'Content-Length': String(bytes.length) } })).catch(() => undefined);
    },
    async has(url) {
      return Boolean(await cache.match(url));
    },
    async size(url) {
      const hit = await cache.match(url);
      if (!hit) return undefined;
      const length = Number(hit.headers.get('Content-Length') ?? NaN);
      // A Blob from the cache is a handle: its size needs no read.
      return Number.isFinite(length) ? length : (await hit.blob()).size;
    },
  };
}

/** The cache key recording that a file is absent (the hub answered 404). */
function missingKey(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}poolscope=missing`;
}

/** Reads a response body, reporting progress as bytes arrive. */
async function readBody(response: Response, onProgress?: (loaded: number, total: number) => void): Promise<Uint8Array> {
  const total = Number(response.headers.get('Content-Length') ?? 0) || 0;
  if (!response.body || !onProgress) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, total || bytes.length);
    return bytes;
  }
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  let buffer = total ? new Uint8Array(total) : undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (buffer && loaded + value.length <= buffer.length) buffer.set(value, loaded);
    else {
      if (buffer) parts.push(buffer.subarray(0, loaded));
      buffer = undefined;
      parts.push(value);
    }
    loaded += value.length;
    onProgress(loaded, total);
  }
  // A body that ends early without an error must not be kept (and cached) as the file.
  if (total && loaded < total && !response.headers.get('Content-Encoding')) throw new Error(`it ended after ${loaded} of ${total} bytes`);
  if (buffer && loaded === buffer.length) return buffer;
  if (buffer) return buffer.subarray(0, loaded);
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export interface HttpFilesOptions {
  /** Messages: the model as named, and where its files are. */
  label: string;
  where: string;
  /** True for the hub: explains 401/404 as the hub does (a missing repo answers 401). */
  hub?: boolean;
  cache?: ByteCache;
  fetch?: typeof fetch;
}

/** Files under a URL prefix (the hub at a revision, or the app's /models/ directory). */
export function httpFiles(base: string, options: HttpFilesOptions): ModelFiles {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const url = (path: string) => new URL(path, base).href;
  const unreachable = (path: string, error: unknown) => new EncoderLoadError(
    `${options.label}: could not reach ${options.where} for ${path} (no network? ${(error as Error).message})`,
  );
  const refused = (path: string, status: number) => new EncoderLoadError(
    status === 404 || (options.hub && status === 401)
      ? `${options.label}: ${path} is not in ${options.where}${options.hub ? ' (check the id and revision; private and gated repos cannot be read here)' : ''}`
      : `${options.label}: ${options.where} answered HTTP ${status} for ${path}`,
  );
  const head = async (path: string): Promise<Response> => {
    try {
      return await doFetch(url(path), { method: 'HEAD' });
    } catch (error) {
      throw unreachable(path, error);
    }
  };
  return {
    label: options.label,
    where: options.where,
    async exists(path) {
      if (await options.cache?.has(url(path))) return true;
      // A file the hub said it lacks is remembered too, so an offline visit needs no network at all.
      if (await options.cache?.has(missingKey(url(path)))) return false;
      const r = await head(path);
      if (r.ok) return true;
      if (r.status === 404 || (options.hub && r.status === 401)) {
        await options.cache?.put(missingKey(url(path)), new Uint8Array(0));
        return false;
      }
      throw refused(path, r.status);
    },
    async text(path) {
      return new TextDecoder().decode(await this.bytes(path));
    },
    async bytes(path, onProgress) {
      const cached = await options.cache?.get(url(path));
      if (cached) {
        onProgress?.(cached.length, cached.length);
        return cached;
      }
      let response: Response;
      try {
        response = await doFetch(url(path));
      } catch (error) {
        throw unreachable(path, error);
      }
      if (!response.ok) throw refused(path, response.status);
      let bytes: Uint8Array;
      try {
        bytes = await readBody(response, onProgress);
      } catch (error) {
        throw new EncoderLoadError(`${options.label}: the download of ${path} broke off (${(error as Error).message}); try again`);
      }
      await options.cache?.put(url(path), bytes);
      return bytes;
    },
    async size(path) {
      const cached = await options.cache?.size(url(path));
      if (cached !== undefined) return cached;
      const r = await head(path).catch(() => undefined);
      if (!r?.ok) return undefined;
      const linked = Number(r.headers.get('X-Linked-Size') ?? r.headers.get('Content-Length') ?? NaN);
      return Number.isFinite(linked) ? linked : undefined;
    },
    async local(path) {
      return !options.hub || Boolean(await options.cache?.has(url(path)));
    },
  };
}

/** A folder the user picked or dropped: files by their path inside the model folder. */
export function blobFiles(label: string, files: Map<string, Blob>): ModelFiles {
  const get = (path: string) => {
    const blob = files.get(path);
    if (!blob) throw new EncoderLoadError(`${label}: the chosen folder has no ${path}`);
    return blob;
  };
  return {
    label,
    where: `the folder "${label}"`,
    exists: async (path) => files.has(path),
    text: async (path) => get(path).text(),
    bytes: async (path, onProgress) => {
      const bytes = new Uint8Array(await get(path).arrayBuffer());
      onProgress?.(bytes.length, bytes.length);
      return bytes;
    },
    size: async (path) => files.get(path)?.size,
    local: async () => true,
  };
}
