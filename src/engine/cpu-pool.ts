import { SocmAbortError, type PackedClouds, type PairwiseProgress, type Panel } from '../math';
import type { CompiledKernels } from '../wasm/compile';
import { jobPairs, type FromWorker, type ToWorker, type WorkerJob } from './cpu-worker';

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
  private queue: Promise<void> = Promise.resolve();
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
   * Runs the jobs (tiles of `panels`, or chunks of a pair list); onJob receives each job's
   * parts, in completion order. Resolves when all are in, rejects on the first error or abort.
   */
  async run(
    packed: PackedClouds, panels: Panel[], tiles: WorkerJob[],
    onTile: (job: number, nuclear: Float64Array, d1: Float64Array) => void,
    options: { signal?: AbortSignal; onProgress?: (p: PairwiseProgress) => void; total: number },
  ): Promise<void> {
    // One run at a time: a second caller waits for the first to end.
    const previous = this.queue;
    let finish!: () => void;
    this.queue = new Promise((r) => (finish = r));
    try {
      await previous;
      await this.runNow(packed, panels, tiles, onTile, options);
    } finally {
      finish();
    }
  }

  private async runNow(
    packed: PackedClouds, panels: Panel[], tiles: WorkerJob[],
    onTile: (job: number, nuclear: Float64Array, d1: Float64Array) => void,
    options: { signal?: AbortSignal; onProgress?: (p: PairwiseProgress) => void; total: number },
  ): Promise<void> {
    if (this.failure) throw this.failure;
    await this.ready;
    const run = ++this.runs;
    let next = 0;
    let finished = 0;
    let done = 0;
    const inFlight = new Array<number>(this.workers.length).fill(0);
    this.workers.forEach((w) => {
      w.hold?.(true);
      w.post({ type: 'corpus', run, packed, panels });
    });
    const abort = { listener: () => {} };
    try {
      await new Promise<void>((resolve, reject) => {
        if (options.signal?.aborted) return reject(new SocmAbortError());
        abort.listener = () => reject(new SocmAbortError());
        options.signal?.addEventListener('abort', abort.listener, { once: true });
        const feed = (w: number) => {
          while (inFlight[w] < IN_FLIGHT && next < tiles.length) {
            const t = next++;
            inFlight[w]++;
            this.workers[w].post({ type: 'job', run, index: t, job: tiles[t] });
          }
        };
        this.activeFail = reject;
        this.active = (message, w) => {
          if (message.type === 'ready' || message.run !== run) return;
          if (message.type === 'error') return reject(new Error(message.message));
          inFlight[w]--;
          try {
            onTile(message.index, message.nuclear, message.d1);
          } catch (error) {
            return reject(error as Error);
          }
          done += jobPairs(tiles[message.index]);
          options.onProgress?.({ done, total: options.total });
          if (++finished === tiles.length) return resolve();
          if (!options.signal?.aborted) feed(w);
        };
        if (tiles.length === 0) return resolve();
        this.workers.forEach((_, w) => feed(w));
      });
    } finally {
      options.signal?.removeEventListener('abort', abort.listener);
      this.active = undefined;
      this.activeFail = undefined;
      // Tiles still in flight finish in the workers and are ignored (their run has ended).
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
