import { GpuUnavailableError } from '../gpu/context';
import { browserShaderSources } from '../gpu/shaders-browser';
import { CpuSocmEngine } from './cpu';
import type { SocmEngine } from './types';
import { WebGpuSocmEngine } from './webgpu';

export interface BrowserEngineOptions {
  /** false: use the CPU reference even where WebGPU exists. */
  preferGpu?: boolean;
  /** The WebGPU entry point; navigator.gpu by default. */
  gpu?: GPU;
}

/** The WebGPU engine where an adapter exists, else the CPU reference with the reason. */
export async function createBrowserEngine(options: BrowserEngineOptions = {}): Promise<SocmEngine> {
  if (options.preferGpu === false) return new CpuSocmEngine('CPU (float64 TypeScript reference), chosen by the user');
  const gpu = 'gpu' in options ? options.gpu : (globalThis.navigator as Navigator | undefined)?.gpu;
  try {
    return await WebGpuSocmEngine.create(gpu, browserShaderSources());
  } catch (error) {
    const reason = error instanceof GpuUnavailableError ? error.message : `WebGPU failed to start: ${(error as Error).message}`;
    return new CpuSocmEngine(`CPU (float64 TypeScript reference), because ${reason}`);
  }
}
