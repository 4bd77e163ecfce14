import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GpuUnavailableError } from '../gpu/context';
import { nodeShaderSources } from '../gpu/shaders-node';
import { nodeKernels } from '../wasm/node';
import type { FromWorker } from './cpu-worker';
import type { WorkerPort } from './cpu-pool';
import { CpuSocmEngine, setCpuPlatform, type CpuPlatform } from './cpu';
import type { Backend, SocmEngine } from './types';
import { WebGpuSocmEngine } from './webgpu';

/** Chromium's SwiftShader Vulkan driver: WebGPU in software where no GPU exists. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * A GPU for Node through the npm `webgpu` package (Dawn). Uses the machine's Vulkan
 * driver; when that finds no adapter and Chromium's SwiftShader is installed, retries on it.
 */
export async function nodeGpu(): Promise<GPU> {
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch (error) {
    throw new GpuUnavailableError(`the npm package 'webgpu' could not be loaded (${(error as Error).message}); run npm install`);
  }
  Object.assign(globalThis, mod.globals);
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
  // With no GPU device node, Mesa's software driver is the only other candidate, and Dawn
  // rejects it noisily: go straight to SwiftShader there.
  if (!process.env.VK_ICD_FILENAMES && !hasGpuDeviceNode() && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  const found = await (async () => {
    let gpu = mod.create([]) as GPU;
    if (await gpu.requestAdapter()) return gpu;
    if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
      gpu = mod.create([]) as GPU;
      if (await gpu.requestAdapter()) return gpu;
    }
    return undefined;
  })();
  if (!found) {
    throw new GpuUnavailableError(
      'no WebGPU adapter found: Dawn needs a Vulkan loader (Debian package libvulkan1) and a Vulkan driver ' +
        `(a GPU driver, or Chromium's SwiftShader at ${SWIFTSHADER_ICD}: apt-get install chromium)`,
    );
  }
  return found;
}

function hasGpuDeviceNode(): boolean {
  try {
    return readdirSync('/dev').some((name) => name === 'dri' || name.startsWith('nvidia') || name === 'kfd');
  } catch {
    return true;
  }
}

/**
 * A CPU pairs worker under worker_threads. From the compiled CLI (dist/cli, src/build/cli.ts) it
 * runs the compiled worker beside it; from the TypeScript sources (tests, benchmark, tsx) a
 * two-line bootstrap registers tsx's loader in the worker, then imports the TypeScript entry.
 */
export function startNodeWorker(): WorkerPort {
  const compiled = !import.meta.url.endsWith('.ts');
  const worker = compiled
    ? new Worker(new URL('./cpu-worker.js', import.meta.url), { name: 'poolscope-cpu' })
    : new Worker(
      `import(${JSON.stringify(tsxLoaderUrl())}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./cpu-worker-node.ts', import.meta.url).href)}); });`,
      { eval: true, name: 'poolscope-cpu' },
    );
  worker.unref();
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.on('message', (message: FromWorker) => handler(message)),
    onError: (handler) => {
      worker.on('error', handler);
      worker.on('exit', (code) => code !== 0 && handler(new Error(`the worker exited with status ${code}`)));
    },
    terminate: () => void worker.terminate(),
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
  };
}

/** tsx's ESM register API ("import" condition of tsx/esm/api). */
function tsxLoaderUrl(): string {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (resolve) return resolve('tsx/esm/api');
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(manifest.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
}

/** Node's CPU platform: WebAssembly SIMD kernels, one worker per core, SharedArrayBuffer for the corpus. */
export const nodeCpuPlatform: CpuPlatform = {
  kernels: nodeKernels,
  startWorker: startNodeWorker,
  workers: Math.max(1, Math.min(Number(process.env.POOLSCOPE_CPU_WORKERS ?? availableParallelism()), 16)),
  allocate: (bytes) => new SharedArrayBuffer(bytes),
};
setCpuPlatform(nodeCpuPlatform);

export async function createNodeEngine(backend: Backend): Promise<SocmEngine> {
  if (backend === 'cpu') return new CpuSocmEngine();
  return WebGpuSocmEngine.create(await nodeGpu(), nodeShaderSources());
}
