import {
  checkSameWidth, checkTokenMatrix, flagsFor, powerOfTwoFactors, prescaleExponent, SocmAbortError, SocmInputError,
  summarisePairs, type PairRow, type PairStats, type PairwiseOptions, type PairwiseResult, type PcaView, type TokenMatrix,
} from '../math';
import { BufferUsage } from './kernels';
import { groups2D, type GpuContext } from './context';

/** Pairs per batch: keeps progress and cancellation responsive, and z ≤ 65535. */
const MAX_PAIRS_PER_BATCH = 8192;
/** Cross-Gram scratch per batch, in floats (128 MiB). */
const CROSS_BUDGET_FLOATS = 32 * 1024 * 1024;

/** Texts uploaded and reduced to their clouds on the GPU. */
export interface GpuClouds {
  readonly d: number;
  readonly count: number;
  readonly n: Uint32Array;
  readonly rowOffset: Uint32Array;
  readonly factorRows: Uint32Array;
  readonly traces: Float32Array;
  readonly buffers: { tokens: GPUBuffer; centred: GPUBuffer; means: GPUBuffer; stats: GPUBuffer; texts: GPUBuffer };
}

interface PairOutcome { d1: number; d2: number; socm: number; flagged: boolean }

/**
 * The WGSL route. Every statistic is computed on the GPU in float32; the host only
 * validates, lays out buffers, dispatches and reads results back.
 */
export class GpuSocm {
  constructor(readonly ctx: GpuContext) {}

  private get device(): GPUDevice {
    return this.ctx.device;
  }

  /** Uploads texts and runs per-text normalisation, moments and (n > d) factors. */
  async prepare(texts: readonly TokenMatrix[], labels?: readonly string[]): Promise<GpuClouds> {
    this.ctx.check();
    const label = (i: number) => labels?.[i] ?? `text ${i}`;
    texts.forEach((t, i) => checkTokenMatrix(t, label(i)));
    const d = texts[0].d;
    texts.forEach((t, i) => {
      if (t.d !== d) throw new SocmInputError(`${label(i)} has width ${t.d} but ${label(0)} has width ${d}`);
    });
    const count = texts.length;
    const n = Uint32Array.from(texts, (t) => t.n);
    const rowOffset = new Uint32Array(count);
    const factorRows = Uint32Array.from(texts, (t) => Math.min(t.n, d));
    let rows = 0;
    texts.forEach((t, i) => {
      rowOffset[i] = rows;
      rows += t.n;
    });
    const bytes = rows * d * 4;
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (bytes > limit) {
      throw new SocmInputError(`${rows} tokens × ${d} dims need ${(bytes / 2 ** 20).toFixed(0)} MiB, over this GPU's ${(limit / 2 ** 20).toFixed(0)} MiB buffer limit: use fewer or shorter texts`);
    }
    // An exact power-of-two scale per text keeps float32 finite; SOCM ignores per-text scale.
    const values = new Float32Array(rows * d);
    texts.forEach((t, i) => {
      const [s1, s2] = powerOfTwoFactors(prescaleExponent(t.data));
      const base = rowOffset[i] * d;
      for (let k = 0; k < t.data.length; k++) values[base + k] = (t.data[k] * s1) * s2;
    });
    const info = new Uint32Array(count * 4);
    for (let i = 0; i < count; i++) info.set([rowOffset[i], n[i], factorRows[i], 0], 4 * i);

    const buffers = {
      tokens: this.ctx.upload(values, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'tokens'),
      centred: this.ctx.buffer(bytes, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'centred'),
      means: this.ctx.buffer(count * d * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'means'),
      stats: this.ctx.buffer(count * 16, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'stats'),
      texts: this.ctx.upload(info, BufferUsage.STORAGE, 'texts'),
    };
    const temporary: GPUBuffer[] = [];
    const encoder = this.device.createCommandEncoder();
    const [gx, gy] = groups2D(count);
    this.ctx.dispatch(encoder, 'cloud_moments',
      [buffers.tokens, buffers.centred, buffers.means, buffers.stats, buffers.texts, this.ctx.uniform(temporary, [d, count, gx, 0])], gx, gy);

    const wide = texts.map((t, i) => (t.n > d ? i : -1)).filter((i) => i >= 0);
    if (wide.length) {
      // n > d: replace C by its d × d factor F = diag(σ)·Jᵀ (FᵀF = CᵀC).
      const jobs = new Uint32Array(wide.length * 8);
      const factorJobs = new Uint32Array(wide.length * 4);
      wide.forEach((t, m) => {
        jobs.set([rowOffset[t] * d, n[t], d, d, 1, m * d, m * d * d, 1], 8 * m);
        factorJobs.set([rowOffset[t], m * d, m * d * d, 0], 4 * m);
      });
      const sigma = this.ctx.buffer(wide.length * d * 4, BufferUsage.STORAGE, 'factor sigma');
      const rot = this.ctx.buffer(wide.length * d * d * 4, BufferUsage.STORAGE, 'factor rotations');
      temporary.push(sigma, rot);
      this.ctx.jacobi(encoder, temporary, buffers.centred, this.ctx.upload(jobs, BufferUsage.STORAGE, 'factor jobs', temporary), wide.length, sigma, rot);
      this.ctx.dispatch(encoder, 'cloud_factor',
        [buffers.centred, sigma, rot, this.ctx.upload(factorJobs, BufferUsage.STORAGE, 'factor jobs', temporary), this.ctx.uniform(temporary, [d, wide.length, 0, 0])],
        wide.length);
    }
    this.device.queue.submit([encoder.finish()]);
    const stats = await this.ctx.read(buffers.stats, count * 16);
    temporary.forEach((b) => b.destroy());
    const statWords = new Uint32Array(stats);
    const statFloats = new Float32Array(stats);
    const traces = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      if (statWords[4 * i + 2] !== 1) {
        Object.values(buffers).forEach((b) => b.destroy());
        throw new SocmInputError(`${label(i)}: the mean of its token vectors has zero norm, so it cannot be normalised`);
      }
      traces[i] = statFloats[4 * i];
    }
    return { d, count, n, rowOffset, factorRows, traces, buffers };
  }

  release(clouds: GpuClouds): void {
    Object.values(clouds.buffers).forEach((b) => b.destroy());
  }

  /** d1, d2, SOCM for the given (i, j) pairs of prepared clouds, in batches. */
  async runPairs(
    clouds: GpuClouds,
    pairs: Iterable<[number, number]>,
    total: number,
    onBatch: (index: [number, number][], outcome: PairOutcome[]) => void,
    options: PairwiseOptions = {},
  ): Promise<void> {
    const { d, factorRows } = clouds;
    const maxRows = factorRows.reduce((m, r) => Math.max(m, r), 0);
    const crossCapacity = Math.max(maxRows * maxRows, Math.min(CROSS_BUDGET_FLOATS, Math.floor(this.device.limits.maxStorageBufferBindingSize / 4)));
    const pairCapacity = Math.max(1, Math.min(options.batchSize ?? MAX_PAIRS_PER_BATCH, MAX_PAIRS_PER_BATCH, total));
    const own: GPUBuffer[] = [];
    const cross = this.ctx.buffer(Math.min(crossCapacity, total * maxRows * maxRows) * 4, BufferUsage.STORAGE, 'cross-Gram', own);
    const sigma = this.ctx.buffer(pairCapacity * maxRows * 4, BufferUsage.STORAGE, 'sigma', own);
    const pairBuf = this.ctx.buffer(pairCapacity * 16, BufferUsage.STORAGE | BufferUsage.COPY_DST, 'pairs', own);
    const jobBuf = this.ctx.buffer(pairCapacity * 32, BufferUsage.STORAGE | BufferUsage.COPY_DST, 'jobs', own);
    const results = this.ctx.buffer(pairCapacity * 16, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'results', own);
    const dummyRot = this.ctx.buffer(16, BufferUsage.STORAGE, 'no rotations', own);
    const crossFloats = cross.size / 4;
    let done = 0;
    try {
      const iterator = pairs[Symbol.iterator]();
      let next = iterator.next();
      while (!next.done) {
        if (options.signal?.aborted) throw new SocmAbortError();
        this.ctx.check();
        const index: [number, number][] = [];
        const pairWords = new Uint32Array(pairCapacity * 4);
        const jobWords = new Uint32Array(pairCapacity * 8);
        let used = 0;
        let maxA = 0;
        let maxB = 0;
        while (!next.done && index.length < pairCapacity) {
          const [i, j] = next.value;
          // Order each pair so r_a ≥ r_b: Jacobi then rotates the fewer (r_b) columns.
          const [a, b] = factorRows[i] >= factorRows[j] ? [i, j] : [j, i];
          const size = factorRows[a] * factorRows[b];
          if (used + size > crossFloats) break;
          const k = index.length;
          pairWords.set([a, b, used, k * maxRows], 4 * k);
          jobWords.set([used, factorRows[a], factorRows[b], 1, factorRows[a], k * maxRows, 0, 0], 8 * k);
          used += size;
          maxA = Math.max(maxA, factorRows[a]);
          maxB = Math.max(maxB, factorRows[b]);
          index.push([i, j]);
          next = iterator.next();
        }
        const count = index.length;
        const temporary: GPUBuffer[] = [];
        this.device.queue.writeBuffer(pairBuf, 0, pairWords, 0, count * 4);
        this.device.queue.writeBuffer(jobBuf, 0, jobWords, 0, count * 8);
        const encoder = this.device.createCommandEncoder();
        this.ctx.dispatch(encoder, 'cross_gram',
          [clouds.buffers.centred, clouds.buffers.texts, pairBuf, cross, this.ctx.uniform(temporary, [d, count, 0, 0])],
          Math.ceil(maxA / 8), Math.ceil(maxB / 8), count);
        this.ctx.jacobi(encoder, temporary, cross, jobBuf, count, sigma, dummyRot);
        const [gx, gy] = groups2D(count);
        this.ctx.dispatch(encoder, 'socm_reduce',
          [clouds.buffers.texts, clouds.buffers.stats, clouds.buffers.means, pairBuf, sigma, results, this.ctx.uniform(temporary, [d, count, gx, 0])],
          gx, gy);
        this.device.queue.submit([encoder.finish()]);
        const raw = await this.ctx.read(results, count * 16);
        temporary.forEach((b) => b.destroy());
        const f = new Float32Array(raw);
        const w = new Uint32Array(raw);
        const outcome: PairOutcome[] = index.map((_, k) => ({ d1: f[4 * k], d2: f[4 * k + 1], socm: f[4 * k + 2], flagged: (w[4 * k + 3] & 1) === 1 }));
        onBatch(index, outcome);
        done += count;
        options.onProgress?.({ done, total });
      }
    } finally {
      own.forEach((b) => b.destroy());
    }
  }

  /** Uploads texts A and B once, runs `fn` on them, and frees the buffers. */
  private async withPair<T>(a: TokenMatrix, b: TokenMatrix, fn: (clouds: GpuClouds) => Promise<T>): Promise<T> {
    if (a.d !== b.d) throw new SocmInputError(`text A has width ${a.d} but text B has width ${b.d}`);
    const clouds = await this.prepare([a, b], ['text A', 'text B']);
    try {
      return await fn(clouds);
    } finally {
      this.release(clouds);
    }
  }

  pair(a: TokenMatrix, b: TokenMatrix): Promise<PairStats> {
    return this.withPair(a, b, (clouds) => this.pairOfClouds(clouds, 0, 1));
  }

  pca(a: TokenMatrix, b: TokenMatrix): Promise<PcaView> {
    return this.withPair(a, b, (clouds) => this.pcaOfClouds(clouds, 0, 1));
  }

  /** Statistics and the 2-D view from one upload (the playground needs both on every keystroke). */
  analyse(a: TokenMatrix, b: TokenMatrix): Promise<{ stats: PairStats; view: PcaView }> {
    return this.withPair(a, b, async (clouds) => {
      const [stats, view] = await Promise.all([this.pairOfClouds(clouds, 0, 1), this.pcaOfClouds(clouds, 0, 1)]);
      return { stats, view };
    });
  }

  async pairOfClouds(clouds: GpuClouds, i: number, j: number): Promise<PairStats> {
    let result: PairOutcome | undefined;
    await this.runPairs(clouds, [[i, j]], 1, (_, out) => (result = out[0]));
    const { d1, d2, socm } = result!;
    const traceA = clouds.traces[i];
    const traceB = clouds.traces[j];
    return { d1, d2, socm, traceA, traceB, tokensA: clouds.n[i], tokensB: clouds.n[j], flags: flagsFor(traceA, traceB) };
  }

  /** All K(K−1)/2 pairs, with progress and cancellation between batches. */
  async pairwise(texts: readonly TokenMatrix[], options: PairwiseOptions = {}): Promise<PairwiseResult> {
    checkSameWidth(texts);
    const clouds = await this.prepare(texts);
    try {
      const K = texts.length;
      const total = (K * (K - 1)) / 2;
      const rows: PairRow[] = [];
      let flagged = 0;
      await this.runPairs(clouds, allPairs(K), total, (index, out) => {
        index.forEach(([i, j], k) => {
          rows.push([i, j, out[k].d1, out[k].d2, out[k].socm]);
          if (out[k].flagged) flagged++;
        });
      }, options);
      return summarisePairs(rows, flagged);
    } finally {
      this.release(clouds);
    }
  }

  /** The uncentred 2-D PCA of two prepared clouds (spec: the 2-D view). */
  async pcaOfClouds(clouds: GpuClouds, ia: number, ib: number): Promise<PcaView> {
    this.ctx.check();
    const { d } = clouds;
    const nA = clouds.n[ia];
    const nB = clouds.n[ib];
    const count = nA + nB;
    const temporary: GPUBuffer[] = [];
    // N ≤ d: orthogonalise the N token columns of Sᵀ. N > d: rotate the d columns of S and keep J.
    const wide = count > d;
    const work = this.ctx.buffer(count * d * 4, BufferUsage.STORAGE | BufferUsage.COPY_DST, 'pca work', temporary);
    const sigma = this.ctx.buffer((wide ? d : count) * 4, BufferUsage.STORAGE, 'pca sigma', temporary);
    const rot = this.ctx.buffer(wide ? d * d * 4 : 16, BufferUsage.STORAGE, 'pca rotations', temporary);
    const viewFloats = 4 + 2 * d + 2 * (count + 2);
    const view = this.ctx.buffer(viewFloats * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'pca view', temporary);
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(clouds.buffers.tokens, clouds.rowOffset[ia] * d * 4, work, 0, nA * d * 4);
    encoder.copyBufferToBuffer(clouds.buffers.tokens, clouds.rowOffset[ib] * d * 4, work, nA * d * 4, nB * d * 4);
    const jobWords = wide ? [0, count, d, d, 1, 0, 0, 1] : [0, d, count, 1, d, 0, 0, 0];
    const job = this.ctx.upload(new Uint32Array(jobWords), BufferUsage.STORAGE, 'pca job', temporary);
    this.ctx.jacobi(encoder, temporary, work, job, 1, sigma, rot);
    this.ctx.dispatch(encoder, 'pca_project',
      [clouds.buffers.tokens, work, sigma, clouds.buffers.means, view,
        this.ctx.uniform(temporary, [d, clouds.rowOffset[ia], nA, clouds.rowOffset[ib], nB, ia, ib, wide ? 1 : 0]), rot], 1);
    this.device.queue.submit([encoder.finish()]);
    const out = new Float32Array(await this.ctx.read(view, viewFloats * 4));
    temporary.forEach((b) => b.destroy());
    const points = 4 + 2 * d;
    return {
      singularValues: [out[0], out[1]],
      energyShare: out[2],
      axes: [Float64Array.from(out.subarray(4, 4 + d)), Float64Array.from(out.subarray(4 + d, 4 + 2 * d))],
      pointsA: Float64Array.from(out.subarray(points, points + 2 * nA)),
      pointsB: Float64Array.from(out.subarray(points + 2 * nA, points + 2 * count)),
      meanA: [out[points + 2 * count], out[points + 2 * count + 1]],
      meanB: [out[points + 2 * count + 2], out[points + 2 * count + 3]],
    };
  }

}

export function* allPairs(k: number): Generator<[number, number]> {
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) yield [i, j];
}
