import {
  checkSameWidth, checkTokenMatrix, flagsFor, pairIndex, planPanels, planTiles, powerOfTwoFactors, prescaleExponent, SocmAbortError,
  SocmInputError, summarisePairs, tilePairs, type PairRow, type PairStats, type PairwiseOptions, type PairwiseResult,
  type Panel, type PcaView, type Tile, type TokenMatrix,
} from '../math';
import { BufferUsage } from './kernels';
import { groups2D, type GpuContext } from './context';

/** Pairs per batch by default: keeps progress and cancellation responsive. */
const MAX_PAIRS_PER_BATCH = 8192;
/** Gram tile scratch per batch, in floats (128 MiB). */
const GRAM_BUDGET_FLOATS = 32 * 1024 * 1024;
/** Rows of the all-pairs Gram per tile on the GPU: 4 × 64-row workgroup blocks. */
export const GPU_TILE_ROWS = 256;
const MAX_GROUPS = 65535;

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

/** A tile in a batch, and which of its pairs (tilePairs order) the batch takes. */
interface BatchTile { tile: Tile; from: number; to: number }

/** What one batch asked of the GPU: the benchmark states it as the work per dispatch. */
export interface BatchWork {
  /** Gram tiles in the gram_tile dispatch, and their multiply-adds. */
  tiles: number;
  gramMacs: number;
  /** Pairs (one jacobi_svd workgroup each, one socm_reduce workgroup each). */
  pairs: number;
  /** Compute dispatches in the batch's one submission. */
  dispatches: number;
}

/**
 * The WGSL route. Every statistic is computed on the GPU in float32; the host only validates,
 * lays out buffers, dispatches and reads results back. All pairs: tiles of one Gram of every
 * text's factor rows (gram_tile.wgsl, shared-memory tiled), then one batched Jacobi over the
 * pairs' blocks in place and one reduction: three dispatches and one read-back per batch, with
 * buffers from the context's pool and bind groups from its cache.
 */
export class GpuSocm {
  /** The batches of the last pairs run (for the benchmark). */
  lastWork: BatchWork[] = [];

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

    const kept = this.ctx.scope();
    const scope = this.ctx.scope();
    let ok = false;
    try {
      const buffers = {
        tokens: kept.upload(values, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'tokens'),
        centred: kept.buffer(bytes, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'centred'),
        means: kept.buffer(count * d * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'means'),
        stats: kept.buffer(count * 16, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'stats'),
        texts: kept.upload(info, BufferUsage.STORAGE, 'texts'),
      };
      const encoder = this.device.createCommandEncoder();
      const [gx, gy] = groups2D(count);
      this.ctx.dispatch(encoder, 'cloud_moments',
        [buffers.tokens, buffers.centred, buffers.means, buffers.stats, buffers.texts, scope.uniform([d, count, gx, 0])], gx, gy);

      const wide = texts.map((t, i) => (t.n > d ? i : -1)).filter((i) => i >= 0);
      if (wide.length) {
        // n > d: replace C by its d × d factor F = diag(σ)·Jᵀ (FᵀF = CᵀC).
        const jobs = new Uint32Array(wide.length * 8);
        const factorJobs = new Uint32Array(wide.length * 4);
        wide.forEach((t, m) => {
          jobs.set([rowOffset[t] * d, n[t], d, d, 1, m * d, m * d * d, 1], 8 * m);
          factorJobs.set([rowOffset[t], m * d, m * d * d, 0], 4 * m);
        });
        const sigma = scope.buffer(wide.length * d * 4, BufferUsage.STORAGE, 'factor sigma');
        const rot = scope.buffer(wide.length * d * d * 4, BufferUsage.STORAGE, 'factor rotations');
        this.ctx.jacobi(encoder, scope, buffers.centred, scope.upload(jobs, BufferUsage.STORAGE, 'factor jobs'), wide.length, sigma, rot);
        this.ctx.dispatch(encoder, 'cloud_factor',
          [buffers.centred, sigma, rot, scope.upload(factorJobs, BufferUsage.STORAGE, 'factor jobs'), scope.uniform([d, wide.length, 0, 0])],
          wide.length);
      }
      this.device.queue.submit([encoder.finish()]);
      const stats = await this.ctx.read(buffers.stats, count * 16);
      const statWords = new Uint32Array(stats);
      const statFloats = new Float32Array(stats);
      const traces = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        if (statWords[4 * i + 2] !== 1) {
          throw new SocmInputError(`${label(i)}: the mean of its token vectors has zero norm, so it cannot be normalised`);
        }
        traces[i] = statFloats[4 * i];
      }
      ok = true;
      return { d, count, n, rowOffset, factorRows, traces, buffers };
    } finally {
      scope.release();
      if (!ok) kept.release();
    }
  }

  /** Returns a prepare()'s buffers to the pool. */
  release(clouds: GpuClouds): void {
    Object.values(clouds.buffers).forEach((b) => this.ctx.pool.release(b));
  }

  /**
   * d1, d2, SOCM for the given pairs of prepared clouds, in the given order, batch by batch
   * (options.batchSize pairs at most): each batch groups its pairs by their first text, so one
   * Gram tile holds a text against up to 256 rows of its partners. onBatch gets each batch's
   * pairs and outcomes, in order.
   */
  async runPairs(
    clouds: GpuClouds,
    pairs: Iterable<[number, number]>,
    total: number,
    onBatch: (index: [number, number][], outcome: PairOutcome[]) => void,
    options: PairwiseOptions = {},
  ): Promise<void> {
    const pairCap = Math.max(1, Math.min(options.batchSize ?? MAX_PAIRS_PER_BATCH, MAX_PAIRS_PER_BATCH));
    this.lastWork = [];
    let done = 0;
    const iterator = pairs[Symbol.iterator]();
    let next = iterator.next();
    while (!next.done) {
      if (options.signal?.aborted) throw new SocmAbortError();
      this.ctx.check();
      const batch: [number, number][] = [];
      while (!next.done && batch.length < pairCap) {
        batch.push(next.value);
        next = iterator.next();
      }
      onBatch(batch, await this.runPairList(clouds, batch));
      done += batch.length;
      options.onProgress?.({ done, total });
    }
  }

  /** One batch of given pairs: tiles of (a text) × (its partners in the batch), outcomes in order. */
  private async runPairList(clouds: GpuClouds, list: [number, number][]): Promise<PairOutcome[]> {
    // Group by first text, keeping first appearance; each group's partners in order.
    const groups = new Map<number, { partners: number[]; positions: number[] }>();
    list.forEach(([i, j], position) => {
      let g = groups.get(i);
      if (!g) groups.set(i, (g = { partners: [], positions: [] }));
      g.partners.push(j);
      g.positions.push(position);
    });
    // A local list of texts (a text may appear more than once): [i, its partners…] per group,
    // panels {i} and runs of partners of ≤ GPU_TILE_ROWS rows, one tile per run.
    const texts: number[] = [];
    const panels: Panel[] = [];
    const tiles: BatchTile[] = [];
    const order: number[] = [];
    let rows = 0;
    const addPanel = (first: number, end: number, count: number) => {
      panels.push({ first, end, row: rows - count, rows: count });
      return panels.length - 1;
    };
    for (const [i, g] of groups) {
      texts.push(i);
      rows += clouds.factorRows[i];
      const p = addPanel(texts.length - 1, texts.length, clouds.factorRows[i]);
      let start = texts.length;
      let runRows = 0;
      g.partners.forEach((j, m) => {
        const r = clouds.factorRows[j];
        if (runRows > 0 && runRows + r > GPU_TILE_ROWS) {
          const q = addPanel(start, texts.length, runRows);
          tiles.push({ tile: { p, q, pairs: texts.length - start }, from: 0, to: texts.length - start });
          start = texts.length;
          runRows = 0;
        }
        texts.push(j);
        rows += r;
        runRows += r;
        order.push(g.positions[m]);
      });
      const q = addPanel(start, texts.length, runRows);
      tiles.push({ tile: { p, q, pairs: texts.length - start }, from: 0, to: texts.length - start });
    }
    const outcome = await this.runTiles(clouds, texts, panels, tiles, list.length);
    const inOrder = new Array<PairOutcome>(list.length);
    outcome.results.forEach((o, e) => (inOrder[order[e]] = o));
    return inOrder;
  }

  /**
   * d1, d2, SOCM for every pair (i < j) of the prepared clouds whose both texts are in
   * `subset` (all when omitted), in batches of Gram tiles of consecutive texts. onBatch gets
   * each batch's pairs and outcomes.
   */
  async runAllPairs(
    clouds: GpuClouds,
    onBatch: (index: [number, number][], outcome: PairOutcome[]) => void,
    options: PairwiseOptions = {},
    subset?: readonly number[],
  ): Promise<void> {
    const texts = subset ?? Array.from({ length: clouds.count }, (_, i) => i);
    // Panels over the chosen texts, in the order given (rows of a panel need not be adjacent
    // in `centred`: each tile job names its rows, so panels here are lists of texts).
    const factorRows = Int32Array.from(texts, (t) => clouds.factorRows[t]);
    const local = { count: texts.length, factorRows, rowOffset: new Int32Array(texts.length) };
    let acc = 0;
    texts.forEach((_, k) => {
      local.rowOffset[k] = acc;
      acc += factorRows[k];
    });
    const panels = planPanels(local, GPU_TILE_ROWS);
    const tiles = planTiles(panels);
    const total = tiles.reduce((s, t) => s + t.pairs, 0);
    const pairCap = Math.max(1, Math.min(options.batchSize ?? MAX_PAIRS_PER_BATCH, MAX_PAIRS_PER_BATCH));
    const gramCap = Math.max(GPU_TILE_ROWS * GPU_TILE_ROWS, Math.min(GRAM_BUDGET_FLOATS, Math.floor(this.device.limits.maxStorageBufferBindingSize / 4)));
    this.lastWork = [];
    let done = 0;
    let next = 0;
    let within = 0;
    while (next < tiles.length) {
      if (options.signal?.aborted) throw new SocmAbortError();
      this.ctx.check();
      // A batch: up to pairCap pairs taken in tile order, the tiles' Grams computed for them,
      // within the scratch budget and the dispatch limits. (A tile split between two batches
      // has its Gram computed in both.)
      const batch: BatchTile[] = [];
      let floats = 0;
      let pairs = 0;
      while (next < tiles.length && pairs < pairCap && batch.length < MAX_GROUPS) {
        const tile = tiles[next];
        // Bound the cross-block scratch by the tile's whole Gram (its pairs' blocks take less).
        const size = panels[tile.p].rows * panels[tile.q].rows;
        if (batch.length && floats + size > gramCap) break;
        const take = Math.min(tile.pairs - within, pairCap - pairs);
        batch.push({ tile, from: within, to: within + take });
        floats += size;
        pairs += take;
        within += take;
        if (within === tile.pairs) {
          next++;
          within = 0;
        }
      }
      const outcome = await this.runTiles(clouds, texts, panels, batch, pairs);
      onBatch(outcome.index, outcome.results);
      done += pairs;
      options.onProgress?.({ done, total });
    }
  }

  /**
   * One batch: the given tiles over a local list of texts (panels index into it; a text may
   * appear more than once), three dispatches and one read-back. Outcomes in tile order.
   */
  private async runTiles(
    clouds: GpuClouds, texts: readonly number[], panels: Panel[], batch: BatchTile[], pairCount: number,
  ): Promise<{ index: [number, number][]; results: PairOutcome[] }> {
    // Row r of the local texts' stacked factors is row rowList[r] of `centred` (a text with
    // n > d keeps its d factor rows at the start of its n-row region); rowInfo says which text
    // of its panel and which of that text's rows it is.
    let rows = 0;
    for (const t of texts) rows += clouds.factorRows[t];
    const rowList = new Uint32Array(Math.max(1, rows));
    const rowInfo = new Uint32Array(Math.max(2, 2 * rows));
    for (const panel of panels) {
      let at = panel.row;
      for (let k = panel.first; k < panel.end; k++) {
        for (let r = 0; r < clouds.factorRows[texts[k]]; r++, at++) {
          rowList[at] = clouds.rowOffset[texts[k]] + r;
          rowInfo[2 * at] = k - panel.first;
          rowInfo[2 * at + 1] = r;
        }
      }
    }
    const scope = this.ctx.scope();
    try {
      const rowBuffers = {
        rows: scope.upload(rowList, BufferUsage.STORAGE, 'factor rows'),
        info: scope.upload(rowInfo, BufferUsage.STORAGE, 'row info'),
      };
      return await this.runBatch(clouds, texts, rowBuffers, panels, batch, pairCount);
    } finally {
      scope.release();
    }
  }

  private async runBatch(
    clouds: GpuClouds, texts: readonly number[], rowBuffers: { rows: GPUBuffer; info: GPUBuffer }, panels: Panel[],
    batch: BatchTile[], pairCount: number,
  ): Promise<{ index: [number, number][]; results: PairOutcome[] }> {
    const { d, factorRows } = clouds;
    const tileWords = new Uint32Array(batch.length * 8);
    const pairWords = new Uint32Array(pairCount * 4);
    const jobWords = new Uint32Array(pairCount * 8);
    const blockCount = batch.reduce((s, { tile }) => s + (panels[tile.p].end - panels[tile.p].first) * (panels[tile.q].end - panels[tile.q].first), 0);
    const blockWords = new Uint32Array(Math.max(4, blockCount * 4)).fill(0xffffffff);
    const index: [number, number][] = [];
    let maxRows = 0;
    let maxA = 0;
    let maxB = 0;
    let macs = 0;
    let crossFloats = 0;
    let blockBase = 0;
    for (const t of texts) maxRows = Math.max(maxRows, factorRows[t]);
    const sigmaStride = maxRows;
    batch.forEach(({ tile, from, to }, z) => {
      const a = panels[tile.p];
      const b = panels[tile.q];
      const textsB = b.end - b.first;
      maxA = Math.max(maxA, a.rows);
      maxB = Math.max(maxB, b.rows);
      macs += a.rows * b.rows * d;
      tileWords.set([a.row, a.rows, b.row, b.rows, blockBase, textsB, 0, 0], 8 * z);
      tilePairs(a, b, (i, j, inTile) => {
        if (inTile < from || inTile >= to) return;
        const k = index.length;
        const ti = texts[i];
        const tj = texts[j];
        // Each pair's block F_i F_jᵀ is stored column-major with the longer side down the
        // columns (transposed when r_i < r_j), so Jacobi rotates the fewer columns.
        const transposed = factorRows[ti] < factorRows[tj];
        const [big, small] = transposed ? [tj, ti] : [ti, tj];
        blockWords.set([crossFloats, factorRows[big], transposed ? 1 : 0, 0], 4 * (blockBase + (i - a.first) * textsB + (j - b.first)));
        pairWords.set([big, small, 0, k * sigmaStride], 4 * k);
        jobWords.set([crossFloats, factorRows[big], factorRows[small], 1, factorRows[big], k * sigmaStride, 0, 0], 8 * k);
        crossFloats += factorRows[big] * factorRows[small];
        index.push([ti, tj]);
      });
      blockBase += (a.end - a.first) * textsB;
    });
    const scope = this.ctx.scope();
    try {
      const cross = scope.buffer(Math.max(1, crossFloats) * 4, BufferUsage.STORAGE, 'cross blocks');
      const sigma = scope.buffer(pairCount * sigmaStride * 4, BufferUsage.STORAGE, 'sigma');
      const results = scope.buffer(pairCount * 16, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'results');
      const tileBuf = scope.upload(tileWords, BufferUsage.STORAGE, 'tile jobs');
      const blockBuf = scope.upload(blockWords, BufferUsage.STORAGE, 'blocks');
      const pairBuf = scope.upload(pairWords, BufferUsage.STORAGE, 'pairs');
      const jobBuf = scope.upload(jobWords, BufferUsage.STORAGE, 'jacobi jobs');
      const noRotations = scope.buffer(16, BufferUsage.STORAGE, 'no rotations');
      const encoder = this.device.createCommandEncoder();
      this.ctx.dispatch(encoder, 'gram_tile', [clouds.buffers.centred, rowBuffers.rows, rowBuffers.info, tileBuf, blockBuf, cross, scope.uniform([d, batch.length, 0, 0])],
        Math.ceil(maxB / 64), Math.ceil(maxA / 64), batch.length);
      this.ctx.jacobi(encoder, scope, cross, jobBuf, pairCount, sigma, noRotations);
      const [gx, gy] = groups2D(pairCount);
      this.ctx.dispatch(encoder, 'socm_reduce',
        [clouds.buffers.texts, clouds.buffers.stats, clouds.buffers.means, pairBuf, sigma, results, scope.uniform([d, pairCount, gx, 0])],
        gx, gy);
      this.device.queue.submit([encoder.finish()]);
      this.lastWork.push({ tiles: batch.length, gramMacs: macs, pairs: pairCount, dispatches: 3 });
      const raw = await this.ctx.read(results, pairCount * 16);
      const f = new Float32Array(raw);
      const w = new Uint32Array(raw);
      const out: PairOutcome[] = index.map((_, k) => ({ d1: f[4 * k], d2: f[4 * k + 1], socm: f[4 * k + 2], flagged: (w[4 * k + 3] & 1) === 1 }));
      return { index, results: out };
    } finally {
      scope.release();
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
    await this.runAllPairs(clouds, (_, out) => (result = out[0]), {}, [i, j]);
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
      // Batches arrive tile by tile; rows go to their place in the (i, j) order.
      const rows: PairRow[] = new Array(total);
      let flagged = 0;
      await this.runAllPairs(clouds, (index, out) => {
        index.forEach(([i, j], k) => {
          rows[pairIndex(i, j, K)] = [i, j, out[k].d1, out[k].d2, out[k].socm];
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
    const scope = this.ctx.scope();
    try {
      // N ≤ d: orthogonalise the N token columns of Sᵀ. N > d: rotate the d columns of S and keep J.
      const wide = count > d;
      const work = scope.buffer(count * d * 4, BufferUsage.STORAGE | BufferUsage.COPY_DST, 'pca work');
      const sigma = scope.buffer((wide ? d : count) * 4, BufferUsage.STORAGE, 'pca sigma');
      const rot = scope.buffer(wide ? d * d * 4 : 16, BufferUsage.STORAGE, 'pca rotations');
      const viewFloats = 4 + 2 * d + 2 * (count + 2);
      const view = scope.buffer(viewFloats * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'pca view');
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(clouds.buffers.tokens, clouds.rowOffset[ia] * d * 4, work, 0, nA * d * 4);
      encoder.copyBufferToBuffer(clouds.buffers.tokens, clouds.rowOffset[ib] * d * 4, work, nA * d * 4, nB * d * 4);
      const jobWords = wide ? [0, count, d, d, 1, 0, 0, 1] : [0, d, count, 1, d, 0, 0, 0];
      const job = scope.upload(new Uint32Array(jobWords), BufferUsage.STORAGE, 'pca job');
      this.ctx.jacobi(encoder, scope, work, job, 1, sigma, rot);
      this.ctx.dispatch(encoder, 'pca_project',
        [clouds.buffers.tokens, work, sigma, clouds.buffers.means, view,
          scope.uniform([d, clouds.rowOffset[ia], nA, clouds.rowOffset[ib], nB, ia, ib, wide ? 1 : 0]), rot], 1);
      this.device.queue.submit([encoder.finish()]);
      const out = new Float32Array(await this.ctx.read(view, viewFloats * 4));
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
    } finally {
      scope.release();
    }
  }
}
