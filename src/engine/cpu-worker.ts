import { tileParts, typeScriptKernels, type PackedClouds, type PairKernels, type Panel } from '../math';
import { WasmKernels } from '../wasm/kernels';

/**
 * The CPU pairs worker: a thin message loop around tileParts(). The main thread packs the
 * corpus once (in a SharedArrayBuffer where it can, so nothing is copied) and hands out
 * tiles of the all-pairs Gram; the worker returns each tile's nuclear norms and d1.
 */
export type ToWorker =
  | { type: 'init'; module?: WebAssembly.Module; fused: boolean }
  | { type: 'corpus'; run: number; packed: PackedClouds; panels: Panel[] }
  | { type: 'tile'; run: number; tile: number; p: number; q: number; pairs: number }
  | { type: 'end'; run: number };

export type FromWorker =
  | { type: 'ready'; kernels: string }
  | { type: 'tile'; run: number; tile: number; nuclear: Float64Array; d1: Float64Array }
  | { type: 'error'; run: number; message: string };

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
        const nuclear = new Float64Array(message.pairs);
        const d1 = new Float64Array(message.pairs);
        tileParts(corpus.packed, corpus.panels[message.p], corpus.panels[message.q], k, nuclear, d1);
        side.post({ type: 'tile', run: message.run, tile: message.tile, nuclear, d1 }, [nuclear.buffer, d1.buffer]);
      }).catch((error) => side.post({ type: 'error', run: message.run, message: String((error as Error).message) }));
    }
  });
}
