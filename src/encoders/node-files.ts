/** Model files on disk (a folder) and a download cache on disk, for Node (the CLI, tests, benchmarks). */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { ByteCache, ModelFiles } from './model-files';
import { EncoderLoadError } from './types';

export function folderFiles(folder: string, label = folder): ModelFiles {
  const root = resolve(folder);
  const file = (path: string) => {
    const full = resolve(root, path);
    if (!full.startsWith(root + sep)) throw new EncoderLoadError(`${label}: ${path} is outside the model folder`);
    return full;
  };
  const isFile = (path: string) => existsSync(file(path)) && statSync(file(path)).isFile();
  const read = (path: string) => {
    if (!isFile(path)) throw new EncoderLoadError(`${label}: the folder ${folder} has no ${path}`);
    return readFileSync(file(path));
  };
  return {
    label,
    where: `the folder ${folder}`,
    exists: async (path) => isFile(path),
    text: async (path) => read(path).toString('utf8'),
    bytes: async (path, onProgress) => {
      const buffer = read(path);
      const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      onProgress?.(bytes.length, bytes.length);
      return bytes;
    },
    size: async (path) => (isFile(path) ? statSync(file(path)).size : undefined),
    local: async () => true,
  };
}

/** Downloads kept under $POOLSCOPE_CACHE (default ~/.cache/poolscope), one file per URL. */
export function diskCache(root = process.env.POOLSCOPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'poolscope')): ByteCache {
  const path = (url: string) => join(root, ...new URL(url).pathname.split('/').filter(Boolean).map(decodeURIComponent).map((p) => p.replace(/[^\w.@-]+/g, '_')));
  return {
    async get(url) {
      const p = path(url);
      if (!existsSync(p)) return undefined;
      const buffer = readFileSync(p);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    },
    async put(url, bytes) {
      const p = path(url);
      try {
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(`${p}.part`, bytes);
        renameSync(`${p}.part`, p);
      } catch {
        // A read-only home: the model still works, only not offline next time.
      }
    },
    async has(url) {
      return existsSync(path(url));
    },
    async size(url) {
      const p = path(url);
      return existsSync(p) ? statSync(p).size : undefined;
    },
  };
}
