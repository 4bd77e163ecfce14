import { pairParts, tileParts, typeScriptKernels, type PackedClouds, type PairKernels, type Panel } from '../math';
import { WasmKernels } from '../wasm/kernels';

/**
 * The CPU pairs worker: a thin message loop around tileParts(). The main thread packs the
 * corpus once (in a SharedArrayBuffer where it can, so nothing is copied) and hands out jobs:
 * tiles of the all-pairs Gram, or chunks of a list of pairs; the worker returns each job's
 * nuclear norms and d1.
 */
export type WorkerJob = { kind: 'tile'; p: number; q: number; pairs: number } | { kind: 'pairs'; is: Uint32Array; js: Uint32Array };

export type ToWorker =
  | { type: 'init'; module?: WebAssembly.Module; fused: boolean }
  | { type: 'corpus'; run: number; packed: PackedClouds; panels: Panel[] }
  | { type: 'job'; run: number; index: number; job: WorkerJob }
  | { type: 'end'; run: number };

export type FromWorker =
  | { type: 'ready'; kernels: string }
  | { type: 'done'; run: number; index: number; nuclear: Float64Array; d1: Float64Array }
  | { type: 'error'; run: number; message: string };

export function jobPairs(job: WorkerJob): number {
  return job.kind === 'tile' ? job.pairs : job.is.length;
}

export interface WorkerSide {
  post(message: FromWorker, transfer?: Transferable[]): void;
  listen(handler: (message: ToWorker) => void): void;
}

export function serveCpuWorker(side: WorkerSide): void {
  let kernels: Promise<PairKernels> = Promise.resolve(typeScriptKernels);
  const corpora = new Map<number, { packed: PackedClouds; panels: Panel[] }>();
  side.listen((message) => {
    if (message.type === 'init') {
      kernels = message.module ? WasmKernels.create(message.module, message.fused) : Promise.resolve(typeScriptKernels);
      kernels.then((k) => side.post({ type: 'ready', kernels: k.name }), (error) => side.post({ type: 'error', run: -1, message: String((error as Error).message) }));
    } else if (message.type === 'corpus') {
      corpora.set(message.run, { packed: message.packed, panels: message.panels });
    } else if (message.type === 'end') {
      corpora.delete(message.run);
    } else {
      const corpus = corpora.get(message.run);
      if (!corpus) return; // the run was cancelled or finished
      kernels.then((k) => {
        const job = message.job;
        const nuclear = new Float64Array(jobPairs(job));
        const d1 = new Float64Array(jobPairs(job));
        if (job.kind === 'tile') tileParts(corpus.packed, corpus.panels[job.p], corpus.panels[job.q], k, nuclear, d1);
        else pairParts(corpus.packed, job.is, job.js, k, nuclear, d1);
        side.post({ type: 'done', run: message.run, index: message.index, nuclear, d1 }, [nuclear.buffer, d1.buffer]);
      }).catch((error) => side.post({ type: 'error', run: message.run, message: String((error as Error).message) }));
    }
  });
}
