import { existsSync } from 'node:fs';
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
export async function nodeGpu(): Promise<{ gpu: GPU; note: string }> {
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch (error) {
    throw new GpuUnavailableError(`the npm package 'webgpu' could not be loaded (${(error as Error).message}); run npm install`);
  }
  Object.assign(globalThis, mod.globals);
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
  const quiet = await withoutStderrNoise(async () => {
    let gpu = mod.create([]) as GPU;
    if (await gpu.requestAdapter()) return { gpu, note: '' };
    if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
      gpu = mod.create([]) as GPU;
      if (await gpu.requestAdapter()) return { gpu, note: ' via SwiftShader' };
    }
    return undefined;
  });
  if (!quiet) {
    throw new GpuUnavailableError(
      'no WebGPU adapter found: Dawn needs a Vulkan loader (Debian package libvulkan1) and a Vulkan driver ' +
        `(a GPU driver, or Chromium's SwiftShader at ${SWIFTSHADER_ICD}: apt-get install chromium)`,
    );
  }
  return quiet;
}

export async function createNodeEngine(backend: Backend): Promise<SocmEngine> {
  if (backend === 'cpu') return new CpuSocmEngine();
  const { gpu } = await nodeGpu();
  return WebGpuSocmEngine.create(gpu, nodeShaderSources());
}

/** Dawn and the Vulkan loader print warnings for every driver they reject; keep them off the CLI's stderr. */
async function withoutStderrNoise<T>(fn: () => Promise<T>): Promise<T> {
  if (process.env.POOLSCOPE_DEBUG_GPU) return fn();
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await fn();
  } finally {
    process.stderr.write = write;
  }
}
