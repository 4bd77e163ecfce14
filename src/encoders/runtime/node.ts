import * as ort from 'onnxruntime-node';
import { ortRuntime } from './ort-common';
import type { OnnxRuntime } from './types';

/** onnxruntime-node on the CPU: the CLI's and the Node tests' runtime. */
export const nodeRuntime: OnnxRuntime = ortRuntime(ort, 'onnxruntime-node', () => ['cpu']);
