import * as Comlink from 'comlink';
import type { EncoderService } from './encoder.worker';

export type { Build, Capabilities, LoadRequest, ModelPlan } from './encoder.worker';
export type EncoderWorker = Comlink.Remote<EncoderService>;

/** Starts the encoder worker; `terminate` ends it (and frees its models). */
export function startEncoderWorker(): { api: EncoderWorker; terminate: () => void } {
  const worker = new Worker(new URL('./encoder.worker.ts', import.meta.url), { type: 'module', name: 'poolscope-encoder' });
  const api = Comlink.wrap<EncoderService>(worker);
  return { api, terminate: () => worker.terminate() };
}

export { Comlink };
