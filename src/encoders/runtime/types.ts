import type { Feeds } from '../architectures/types';
import type { EncoderDevice } from '../types';

/** One onnxruntime session, behind a package-neutral face (onnxruntime-node and onnxruntime-web differ only in their import). */
export interface OnnxSession {
  readonly outputNames: readonly string[];
  /** Runs the graph and returns the asked-for float32 outputs with their dims. */
  run(feeds: Feeds, fetch: string[]): Promise<Record<string, { data: Float32Array; dims: number[] }>>;
  release(): Promise<void>;
}

export interface OnnxRuntime {
  /** Which onnxruntime package, in words (for the encoder's info). */
  readonly name: string;
  create(model: Uint8Array, device: EncoderDevice): Promise<OnnxSession>;
}
