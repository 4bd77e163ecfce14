import { GpuUnavailableError } from '../gpu/context';
import { browserShaderSources } from '../gpu/shaders-browser';
import { CpuSocmEngine } from './cpu';
import type { SocmEngine } from './types';
import { WebGpuSocmEngine } from './webgpu';

/** The WebGPU engine where an adapter exists, else the CPU reference with the reason. */
export async function createBrowserEngine(preferGpu = true): Promise<SocmEngine> {
  if (!preferGpu) return new CpuSocmEngine('CPU (float64 TypeScript reference), chosen by the user');
  try {
    return await WebGpuSocmEngine.create((globalThis.navigator as Navigator | undefined)?.gpu, browserShaderSources());
  } catch (error) {
    const reason = error instanceof GpuUnavailableError ? error.message : `WebGPU failed to start: ${(error as Error).message}`;
    return new CpuSocmEngine(`CPU (float64 TypeScript reference), because ${reason}`);
  }
}
