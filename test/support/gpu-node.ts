import { createNodeEngine } from '../../src/engine/node';
import type { WebGpuSocmEngine } from '../../src/engine/webgpu';

let engine: Promise<WebGpuSocmEngine> | undefined;

/**
 * One WebGPU engine per test file (Dawn via the npm `webgpu` package; SwiftShader here).
 * These tests do not skip without a GPU: CI installs chromium and libvulkan1 so they run.
 */
export function nodeGpuEngine(): Promise<WebGpuSocmEngine> {
  engine ??= createNodeEngine('webgpu') as Promise<WebGpuSocmEngine>;
  return engine;
}
