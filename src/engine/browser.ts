import { GpuUnavailableError } from '../gpu/context';
import { browserShaderSources } from '../gpu/shaders-browser';
import { allocateLocal } from '../math';
import { browserKernels } from '../wasm/browser';
import { CpuSocmEngine, setCpuPlatform, type CpuPlatform } from './cpu';
import type { WorkerPort } from './cpu-pool';
import type { FromWorker } from './cpu-worker';
import type { SocmEngine } from './types';
import { WebGpuSocmEngine } from './webgpu';

export interface BrowserEngineOptions {
  /** false: use the CPU reference even where WebGPU exists. */
  preferGpu?: boolean;
  /** The WebGPU entry point; navigator.gpu by default. */
  gpu?: GPU;
  /** A device that already exists (e.g. onnxruntime-web's): the engine uses it and never destroys it. */
  device?: GPUDevice;
}

/** A CPU pairs worker as a dedicated Web Worker (Vite bundles src/engine/cpu-worker-browser.ts). */
export function startBrowserWorker(): WorkerPort {
  const worker = new Worker(new URL('./cpu-worker-browser.ts', import.meta.url), { type: 'module', name: 'poolscope-cpu' });
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.addEventListener('message', (event: MessageEvent<FromWorker>) => handler(event.data)),
    onError: (handler) => worker.addEventListener('error', (event) => handler(new Error(event.message || 'the worker failed to load'))),
    terminate: () => worker.terminate(),
  };
}

/**
 * The browser's CPU platform: WebAssembly SIMD kernels, one Web Worker per core (at most 8), and
 * SharedArrayBuffer for the packed corpus when the page is cross-origin isolated (else each
 * worker gets a copy).
 */
export const browserCpuPlatform: CpuPlatform = {
  kernels: browserKernels,
  startWorker: typeof Worker === 'function' ? startBrowserWorker : undefined,
  workers: Math.max(1, Math.min(globalThis.navigator?.hardwareConcurrency ?? 2, 8)),
  allocate: globalThis.crossOriginIsolated ? (bytes) => new SharedArrayBuffer(bytes) : allocateLocal,
};
setCpuPlatform(browserCpuPlatform);

/** The WebGPU engine where an adapter exists, else the CPU reference with the reason. */
export async function createBrowserEngine(options: BrowserEngineOptions = {}): Promise<SocmEngine> {
  if (options.preferGpu === false) return new CpuSocmEngine('CPU (float64 TypeScript reference), chosen by the user');
  try {
    if (options.device) return await WebGpuSocmEngine.fromDevice(options.device, browserShaderSources());
    const gpu = 'gpu' in options ? options.gpu : (globalThis.navigator as Navigator | undefined)?.gpu;
    return await WebGpuSocmEngine.create(gpu, browserShaderSources());
  } catch (error) {
    const reason = error instanceof GpuUnavailableError ? error.message : `WebGPU failed to start: ${(error as Error).message}`;
    return new CpuSocmEngine(`CPU (float64 TypeScript reference), because ${reason}`);
  }
}
