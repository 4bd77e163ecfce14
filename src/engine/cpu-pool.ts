import { SocmAbortError, type PackedClouds, type PairwiseProgress, type Panel, type Tile } from '../math';
import type { CompiledKernels } from '../wasm/compile';
import type { FromWorker, ToWorker } from './cpu-worker';

/** One started worker, whatever the platform (worker_threads in Node, Web Workers in the browser). */
export interface WorkerPort {
  post(message: ToWorker): void;
  onMessage(handler: (message: FromWorker) => void): void;
  onError(handler: (error: Error) => void): void;
  terminate(): void;
  /** Node: keep the process alive only while a run is in flight. */
  hold?(busy: boolean): void;
}

export type StartWorker = () => WorkerPort;

/** Tiles in flight per worker: one computing, one queued, so no worker waits on the main thread. */
const IN_FLIGHT = 2;

/**
 * A fixed set of CPU workers that share out the tiles of an all-pairs Gram, dynamically (a
 * worker gets its next tile when it returns one). Errors and aborts end the run; the workers
 * stay for the next one. A worker that dies takes the pool with it: the engine makes a new one.
 */
export class CpuWorkerPool {
  private readonly workers: WorkerPort[] = [];
  private readonly ready: Promise<string>;
  private runs = 0;
  private failure: Error | undefined;
  private active: ((message: FromWorker, worker: number) => void) | undefined;
  private activeFail: ((error: Error) => void) | undefined;

  constructor(start: StartWorker, readonly size: number, compiled?: CompiledKernels) {
    let readyCount = 0;
    let kernels = '';
    let resolveReady!: (name: string) => void;
    let rejectReady!: (error: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    this.ready.catch(() => {});
    for (let w = 0; w < size; w++) {
      const worker = start();
      worker.onMessage((message) => {
        if (message.type === 'ready') {
          kernels = message.kernels;
          if (++readyCount === size) resolveReady(kernels);
        } else if (message.type === 'error' && message.run === -1) {
          rejectReady(new Error(`a CPU worker could not start its kernels: ${message.message}`));
        } else {
          this.active?.(message, w);
        }
      });
      worker.onError((error) => {
        this.failure = new Error(`a CPU worker failed: ${error.message}`);
        rejectReady(this.failure);
        this.activeFail?.(this.failure);
      });
      worker.post({ type: 'init', module: compiled?.module, fused: compiled?.fused ?? false });
      this.workers.push(worker);
    }
  }

  /** The kernels' name once every worker has started them. */
  started(): Promise<string> {
    return this.ready;
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Runs the tiles; onTile receives each tile's parts (in completion order). Resolves when all
   * are in, rejects on the first error or on abort.
   */
  async run(
    packed: PackedClouds, panels: Panel[], tiles: Tile[],
    onTile: (tile: Tile, nuclear: Float64Array, d1: Float64Array) => void,
    options: { signal?: AbortSignal; onProgress?: (p: PairwiseProgress) => void; total: number },
  ): Promise<void> {
    if (this.failure) throw this.failure;
    await this.ready;
    if (this.active) throw new Error('CpuWorkerPool.run: a run is already in progress');
    const run = ++this.runs;
    let next = 0;
    let finished = 0;
    let done = 0;
    const inFlight = new Array<number>(this.workers.length).fill(0);
    this.workers.forEach((w) => {
      w.hold?.(true);
      w.post({ type: 'corpus', run, packed, panels });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const fail = (error: Error) => reject(error);
        const abort = () => reject(new SocmAbortError());
        if (options.signal?.aborted) return abort();
        options.signal?.addEventListener('abort', abort, { once: true });
        const feed = (w: number) => {
          while (inFlight[w] < IN_FLIGHT && next < tiles.length) {
            const t = next++;
            const tile = tiles[t];
            inFlight[w]++;
            this.workers[w].post({ type: 'tile', run, tile: t, p: tile.p, q: tile.q, pairs: tile.pairs });
          }
        };
        this.activeFail = fail;
        this.active = (message, w) => {
          if (message.type === 'ready' || message.run !== run) return;
          if (message.type === 'error') return fail(new Error(message.message));
          if (message.type !== 'tile') return;
          inFlight[w]--;
          const tile = tiles[message.tile];
          try {
            onTile(tile, message.nuclear, message.d1);
          } catch (error) {
            return fail(error as Error);
          }
          done += tile.pairs;
          options.onProgress?.({ done, total: options.total });
          if (++finished === tiles.length) {
            options.signal?.removeEventListener('abort', abort);
            return resolve();
          }
          if (!options.signal?.aborted) feed(w);
        };
        if (tiles.length === 0) return resolve();
        this.workers.forEach((_, w) => feed(w));
      });
    } finally {
      this.active = undefined;
      this.activeFail = undefined;
      this.workers.forEach((w) => {
        w.post({ type: 'end', run });
        w.hold?.(false);
      });
    }
  }

  dispose(): void {
    this.workers.forEach((w) => w.terminate());
    this.workers.length = 0;
    this.failure ??= new Error('the CPU worker pool was disposed');
  }
}
