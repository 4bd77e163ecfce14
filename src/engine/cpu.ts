import {
  allocateLocal, checkSameWidth, combinePair, makeCloud, packClouds, PairCollector, pairParts, pairStats, pairwiseCpu, pcaOfClouds,
  pcaOfTexts, planPanels, planTiles, scaleNuclear, socmOfTexts, SocmInputError, throwIfAborted, TILE_ROWS, typeScriptKernels,
  type Allocate, type PairKernels, type PairwiseOptions, type PairwiseResult, type TokenMatrix,
} from '../math';
import { WasmKernels } from '../wasm/kernels';
import type { CompiledKernels } from '../wasm/compile';
import { CpuWorkerPool, type StartWorker } from './cpu-pool';
import type { WorkerJob } from './cpu-worker';
import type { PairMeasurer, SocmEngine } from './types';
import { emptyValues, setPairValues } from './values';

/**
 * What this platform offers the CPU route: the WebAssembly kernels (or why not), a way to start
 * workers and how many, and memory the workers can share. Registered by src/engine/node.ts and
 * src/engine/browser.ts; without one the engine runs TypeScript on the calling thread.
 */
export interface CpuPlatform {
  kernels(): Promise<CompiledKernels | { reason: string }>;
  startWorker?: StartWorker;
  workers: number;
  /** SharedArrayBuffer where available (Node; cross-origin-isolated pages), so workers copy nothing. */
  allocate: Allocate;
  /** Corpora with fewer cross-Gram multiply-adds than this stay on the calling thread (default WORKER_THRESHOLD). */
  minWorkerMacs?: number;
}

let platform: CpuPlatform | undefined;

export function setCpuPlatform(p: CpuPlatform): void {
  platform = p;
}

/** Below this many multiply-adds (Σ over pairs of r_i·r_j·d) a corpus runs on the calling thread. */
export const WORKER_THRESHOLD = 5e7;

interface Routes {
  kernels: PairKernels;
  summary: string;
  compiled?: CompiledKernels;
}

export class CpuSocmEngine implements SocmEngine {
  readonly backend = 'cpu' as const;
  private readonly routes: Promise<Routes>;
  private readonly platform: CpuPlatform | undefined;
  private pool: CpuWorkerPool | undefined;
  private disposed = false;
  private summary: string | undefined;

  /**
   * `base` says why the CPU runs (shown by the page and the CLI); once the kernels are loaded
   * the description adds which kernels and workers. `use` overrides the registered platform
   * (tests and the benchmark pick routes with it).
   */
  constructor(readonly base = 'CPU (float64)', use?: CpuPlatform | 'typescript') {
    this.platform = use === 'typescript' ? undefined : use ?? platform;
    this.routes = this.platform ? loadRoutes(this.platform) : Promise.resolve({ kernels: typeScriptKernels, summary: 'TypeScript, 1 thread' });
    this.routes.then((r) => (this.summary = r.summary), () => {});
  }

  get description(): string {
    return this.summary ? `${this.base}; ${this.summary}` : this.base;
  }

  /** e.g. "WebAssembly SIMD with fused multiply-add, 2 workers for large corpora". */
  async routeSummary(): Promise<string> {
    return (await this.routes).summary;
  }

  async pair(a: TokenMatrix, b: TokenMatrix) {
    return socmOfTexts(a, b, (await this.routes).kernels);
  }

  async pairwise(texts: readonly TokenMatrix[], options: PairwiseOptions = {}): Promise<PairwiseResult> {
    const routes = await this.routes;
    checkSameWidth(texts);
    const d = texts[0].d;
    let rows = 0;
    let squares = 0;
    for (const t of texts) {
      const r = Math.min(t.n, d);
      rows += r;
      squares += r * r;
    }
    const work = ((rows * rows - squares) / 2) * d;
    const parallel = work >= (this.platform?.minWorkerMacs ?? WORKER_THRESHOLD) && this.canUseWorkers();
    if (!parallel) return pairwiseCpu(texts, options, routes.kernels);
    // Pack (and so check) every text before any worker starts.
    const packed = packClouds(texts, this.platform!.allocate);
    const pool = this.workerPool(routes);
    const panels = planPanels(packed, TILE_ROWS);
    const collector = new PairCollector(packed);
    const tiles = planTiles(panels);
    await pool.run(packed, panels, tiles.map((t) => ({ kind: 'tile' as const, ...t })), (k, nuclear, d1) => collector.add(panels[tiles[k].p], panels[tiles[k].q], nuclear, d1), {
      signal: options.signal, onProgress: options.onProgress, total: collector.total,
    });
    return collector.result();
  }

  /**
   * Any pairs of these texts: packed (and so checked) once; each batch on the WebAssembly
   * kernels, shared out among the workers in chunks when it is large enough.
   */
  async pairMeasurer(texts: readonly TokenMatrix[]): Promise<PairMeasurer> {
    const routes = await this.routes;
    checkSameWidth(texts);
    const packed = packClouds(texts, this.platform?.allocate ?? allocateLocal);
    const { d, factorRows, traces, tokens } = packed;
    return {
      measure: async (is, js, signal) => {
        const count = is.length;
        const nuclear = new Float64Array(count);
        const d1 = new Float64Array(count);
        let work = 0;
        for (let k = 0; k < count; k++) work += factorRows[is[k]] * factorRows[js[k]] * d;
        throwIfAborted(signal);
        if (work >= (this.platform?.minWorkerMacs ?? WORKER_THRESHOLD) && this.canUseWorkers() && count > 1) {
          const pool = this.workerPool(routes);
          const chunk = Math.max(1, Math.ceil(count / (8 * pool.size)));
          const jobs: WorkerJob[] = [];
          for (let start = 0; start < count; start += chunk) {
            jobs.push({ kind: 'pairs', is: Uint32Array.from(is.subarray(start, start + chunk)), js: Uint32Array.from(js.subarray(start, start + chunk)) });
          }
          await pool.run(packed, [], jobs, (job, n, m) => {
            nuclear.set(n, job * chunk);
            d1.set(m, job * chunk);
          }, { signal, total: count });
        } else {
          // On this thread, in slices, yielding so that progress is drawn and a cancel is heard.
          const slice = 256;
          for (let start = 0; start < count; start += slice) {
            const end = Math.min(count, start + slice);
            pairParts(packed, is.subarray(start, end), js.subarray(start, end), routes.kernels, nuclear.subarray(start, end), d1.subarray(start, end));
            if (end < count) {
              await new Promise((r) => setTimeout(r, 0));
              throwIfAborted(signal);
            }
          }
        }
        const out = emptyValues(count);
        for (let k = 0; k < count; k++) {
          const i = is[k];
          const j = js[k];
          setPairValues(out, k, combinePair(d1[k], traces[i], traces[j], scaleNuclear(nuclear[k], tokens[i], tokens[j]), tokens[i], tokens[j]));
        }
        return out;
      },
      dispose: () => {},
    };
  }

  async pca(a: TokenMatrix, b: TokenMatrix) {
    return pcaOfTexts(a, b);
  }

  async analyse(a: TokenMatrix, b: TokenMatrix) {
    if (a.d !== b.d) throw new SocmInputError(`text A has width ${a.d} but text B has width ${b.d}`);
    const kernels = (await this.routes).kernels;
    const ca = makeCloud(a, 'text A');
    const cb = makeCloud(b, 'text B');
    return { stats: pairStats(ca, cb, kernels), view: pcaOfClouds(ca, cb) };
  }

  dispose(): void {
    this.disposed = true;
    this.pool?.dispose();
    this.pool = undefined;
  }

  private canUseWorkers(): boolean {
    return !this.disposed && Boolean(this.platform?.startWorker) && (this.platform?.workers ?? 0) >= 1;
  }

  private workerPool(routes: Routes): CpuWorkerPool {
    const p = this.platform!;
    if (this.pool?.broken) {
      this.pool.dispose();
      this.pool = undefined;
    }
    this.pool ??= new CpuWorkerPool(p.startWorker!, p.workers, routes.compiled);
    return this.pool;
  }
}

async function loadRoutes(p: CpuPlatform): Promise<Routes> {
  const compiled = await p.kernels();
  const threads = p.startWorker && p.workers >= 1 ? `, ${p.workers} worker${p.workers > 1 ? 's' : ''} for large corpora` : '';
  if (!('module' in compiled)) return { kernels: typeScriptKernels, summary: `TypeScript (no WebAssembly: ${compiled.reason})${threads}` };
  try {
    const kernels = await WasmKernels.create(compiled.module, compiled.fused);
    return { kernels, summary: `${kernels.name}${threads}`, compiled };
  } catch (error) {
    return { kernels: typeScriptKernels, summary: `TypeScript (the WebAssembly kernels did not start: ${(error as Error).message})${threads}` };
  }
}

