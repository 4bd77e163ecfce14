import * as ort from 'onnxruntime-web/webgpu';
import { ortRuntime } from './ort-common';
import type { OnnxRuntime } from './types';

/**
 * onnxruntime-web in the encoder worker: the same module instance transformers.js drives (so the
 * local wasm paths set for it apply here too), on WebGPU or WASM.
 */
export const webRuntime: OnnxRuntime = ortRuntime(ort, 'onnxruntime-web', (device) => (device === 'webgpu' ? ['webgpu'] : ['wasm']));
export { ort };
