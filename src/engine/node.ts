import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { GpuUnavailableError } from '../gpu/context';
import { nodeShaderSources } from '../gpu/shaders-node';
import { CpuSocmEngine } from './cpu';
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

export async function createNodeEngine(backend: Backend): Promise<SocmEngine> {
  if (backend === 'cpu') return new CpuSocmEngine();
  return WebGpuSocmEngine.create(await nodeGpu(), nodeShaderSources());
}
