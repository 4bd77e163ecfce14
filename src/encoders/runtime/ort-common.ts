import type * as Ort from 'onnxruntime-common';
import type { OnnxRuntime, OnnxSession } from './types';

type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor'>;

/** The OnnxRuntime over an onnxruntime package (node or web: same API). Runs on one session are queued. */
export function ortRuntime(ort: OrtModule, name: string, providers: (device: string) => string[]): OnnxRuntime {
  return {
    name,
    async create(model, device): Promise<OnnxSession> {
      const session = await ort.InferenceSession.create(model, { executionProviders: providers(device), graphOptimizationLevel: 'all' });
      let queue: Promise<unknown> = Promise.resolve();
      return {
        outputNames: session.outputNames,
        run(feeds, fetch) {
          const job = queue.then(async () => {
            const inputs: Record<string, Ort.Tensor> = {};
            for (const [key, t] of Object.entries(feeds)) inputs[key] = new ort.Tensor(t.type, t.data, t.dims);
            const result = await session.run(inputs, fetch);
            const out: Record<string, { data: Float32Array; dims: number[] }> = {};
            for (const key of fetch) {
              const tensor = result[key];
              out[key] = { data: tensor.data as Float32Array, dims: [...tensor.dims] };
            }
            return out;
          });
          queue = job.catch(() => undefined);
          return job;
        },
        release: () => session.release(),
      };
    },
  };
}
