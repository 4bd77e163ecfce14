/**
 * "Live means live": the playground recomputes as soon as a text changes. At most one run per
 * panel is in flight (the encoder runs one forward pass at a time anyway); a change made while
 * one runs replaces whatever was waiting, so only the latest texts are ever started next, and
 * the run in flight learns it was superseded and drops its result.
 */

export interface LiveSchedule {
  /** Pause after the last change before a run may start (0: start at once). */
  debounceMs: number;
  /** Keep per-text encodings so an unchanged text is not encoded again. */
  cacheEncodings: boolean;
}

/** What the playground does. */
export const LIVE: LiveSchedule = { debounceMs: 0, cacheEncodings: true };
/** What it did before (a fixed 250 ms debounce, both texts encoded on every change). */
export const DEBOUNCED: LiveSchedule = { debounceMs: 250, cacheEncodings: false };

/**
 * The schedule in force. The latency benchmark sets `window.__poolscopeSchedule = DEBOUNCED`
 * before the page loads to measure the previous behaviour in the same run.
 */
export function liveSchedule(): LiveSchedule {
  const wanted = (globalThis as { __poolscopeSchedule?: Partial<LiveSchedule> }).__poolscopeSchedule;
  return { ...LIVE, ...wanted };
}

export interface RunContext {
  /** From submit to start: the debounce, or the time a superseded run kept the encoder busy. */
  waitMs: number;
  /** True once a later request was submitted (or the runner cancelled): drop this run's result. */
  superseded: () => boolean;
}

interface Waiting<T> {
  request: T;
  submitted: number;
  generation: number;
  ready: boolean;
}

/** Runs only the latest request, one at a time (see the file comment). */
export class LatestWins<T> {
  private waiting?: Waiting<T>;
  private running = false;
  private generation = 0;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly run: (request: T, context: RunContext) => Promise<void>,
    private readonly debounceMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  submit(request: T): void {
    clearTimeout(this.timer);
    const job: Waiting<T> = { request, submitted: this.now(), generation: ++this.generation, ready: this.debounceMs <= 0 };
    this.waiting = job;
    if (job.ready) this.pump();
    else {
      this.timer = setTimeout(() => {
        job.ready = true;
        this.pump();
      }, this.debounceMs);
    }
  }

  /** Forget the waiting request and mark the running one superseded. */
  cancel(): void {
    clearTimeout(this.timer);
    this.generation++;
    this.waiting = undefined;
  }

  get busy(): boolean {
    return this.running;
  }

  private pump(): void {
    const job = this.waiting;
    if (this.running || !job || !job.ready) return;
    this.waiting = undefined;
    this.running = true;
    const context: RunContext = { waitMs: this.now() - job.submitted, superseded: () => job.generation !== this.generation };
    void this.run(job.request, context)
      .catch(() => undefined)
      .finally(() => {
        this.running = false;
        this.pump();
      });
  }
}
