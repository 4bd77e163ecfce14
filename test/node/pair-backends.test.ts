import { CpuSocmEngine } from '../../src/engine/cpu';
import { nodeCpuPlatform } from '../../src/engine/node';
import { nodeGpuEngine } from '../support/gpu-node';
import { pairSuite } from '../support/pair-suite';

// The same pair-statistic suite on every backend Node has (test/browser/engine.test.ts runs it in Chromium).
pairSuite({ name: 'CPU, TypeScript kernels, one thread', precision: 'float64', engine: async () => new CpuSocmEngine('test', 'typescript') });
pairSuite({
  name: 'CPU, WebAssembly SIMD kernels, one thread', precision: 'float64',
  engine: async () => new CpuSocmEngine('test', { ...nodeCpuPlatform, startWorker: undefined, workers: 0 }),
});
pairSuite({
  name: 'CPU, WebAssembly SIMD kernels in 2 worker_threads', precision: 'float64',
  engine: async () => new CpuSocmEngine('test', { ...nodeCpuPlatform, workers: 2, minWorkerMacs: 0 }),
});
pairSuite({ name: 'WebGPU (Dawn; SwiftShader here)', precision: 'float32', engine: nodeGpuEngine });
