import { beforeAll, describe, expect, it } from 'vitest';
import { BufferUsage } from '../../src/gpu/kernels';
import { nodeShaderSources } from '../../src/gpu/shaders-node';
import type { WebGpuSocmEngine } from '../../src/engine/webgpu';
import { makeCloud, pcaOfTexts, singularValues, SocmInputError } from '../../src/math';
import { expectClose } from '../support/assert';
import { nodeGpuEngine } from '../support/gpu-node';
import { gaussian, randomCloud, rng, toMatrix } from '../support/random';

let engine: WebGpuSocmEngine;
beforeAll(async () => {
  engine = await nodeGpuEngine();
}, 120_000); // compiling the kernels on a busy software GPU can take seconds

/** Largest |got − want| over a pair of arrays, relative to the largest |want|. */
function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let k = 0; k < want.length; k++) {
    err = Math.max(err, Math.abs(got[k] - want[k]));
    scale = Math.max(scale, Math.abs(want[k]));
  }
  return err / (scale || 1);
}

describe('cloud_moments.wgsl (normalisation, μ, C, tr Σ) vs float64', () => {
  it('matches makeCloud for 1, 5 and 20 tokens (n ≤ d, so C is kept), including raw values of 1e30 and 1e-30', async () => {
    const r = rng(1);
    const rows = [randomCloud(r, 1, 24), randomCloud(r, 5, 24).map((x) => x.map((v) => v * 1e30)), randomCloud(r, 20, 24, 0.5).map((x) => x.map((v) => v * 1e-30))];
    const texts = rows.map(toMatrix);
    const gpu = engine.gpu;
    const clouds = await gpu.prepare(texts);
    try {
      const d = 24;
      const tokens = new Float32Array(await engine.context.read(clouds.buffers.tokens, 26 * d * 4));
      const centred = new Float32Array(await engine.context.read(clouds.buffers.centred, 26 * d * 4));
      const means = new Float32Array(await engine.context.read(clouds.buffers.means, 3 * d * 4));
      texts.forEach((t, i) => {
        const ref = makeCloud(t);
        const off = clouds.rowOffset[i] * d;
        expect(relativeError(tokens.subarray(off, off + t.n * d), ref.tokens)).toBeLessThan(1e-6);
        expect(relativeError(centred.subarray(off, off + t.n * d), ref.centred)).toBeLessThan(1e-5);
        expect(relativeError(means.subarray(i * d, (i + 1) * d), ref.mean)).toBeLessThan(1e-6);
        expectClose(clouds.traces[i], ref.trace, 1e-5, 1e-7, `trace ${i}`);
      });
    } finally {
      gpu.release(clouds);
    }
  });

  it('reports a zero-norm mean as an input error naming the text', async () => {
    const bad = toMatrix([[1, -2, 3], [-1, 2, -3]]);
    await expect(engine.gpu.prepare([toMatrix([[1, 2, 3]]), bad])).rejects.toThrowError(/text 1: the mean of its token vectors has zero norm/);
    await expect(engine.gpu.prepare([bad])).rejects.toBeInstanceOf(SocmInputError);
  });
});

describe('jacobi_svd.wgsl vs float64 singular values', () => {
  // [rows, cols]: few pairs (many threads per pair), odd counts, one column, > 256 columns (one thread per pair).
  const shapes: [number, number][] = [[6, 1], [9, 4], [40, 7], [64, 64], [300, 33], [20, 300]];
  for (const [rows, cols] of shapes) {
    it(`${rows} × ${cols}, column-major`, async () => {
      const r = rng(rows * 1000 + cols);
      const a = Float64Array.from({ length: rows * cols }, () => gaussian(r));
      const colMajor = new Float32Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) colMajor[j * rows + i] = a[i * cols + j];
      const sigma = await runJacobi(colMajor, [0, rows, cols, 1, rows, 0, 0, 0], cols);
      const want = Array.from(singularValues(a, rows, cols)).sort((x, y) => y - x);
      const got = Array.from(sigma).sort((x, y) => y - x);
      const top = want[0];
      want.forEach((w, k) => expectClose(got[k], w, 0, 2e-5 * top, `σ${k}`));
      expectClose(got.reduce((s, x) => s + x, 0), want.reduce((s, x) => s + x, 0), 2e-5, 0, 'Σσ');
    });
  }

  it('row-major strides with J accumulated: J orthogonal and A·J = B', async () => {
    const rows = 30, cols = 6;
    const r = rng(77);
    const a = Float32Array.from({ length: rows * cols }, () => gaussian(r));
    const ctx = engine.context;
    const track: GPUBuffer[] = [];
    const data = ctx.upload(a, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'a', track);
    const jobs = ctx.upload(new Uint32Array([0, rows, cols, cols, 1, 0, 0, 1]), BufferUsage.STORAGE, 'job', track);
    const sigma = ctx.buffer(cols * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 's', track);
    const rot = ctx.buffer(cols * cols * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'j', track);
    const encoder = ctx.device.createCommandEncoder();
    const scope = ctx.scope();
    ctx.jacobi(encoder, scope, data, jobs, 1, sigma, rot);
    ctx.device.queue.submit([encoder.finish()]);
    scope.release();
    const b = new Float32Array(await ctx.read(data, rows * cols * 4));
    const j = new Float32Array(await ctx.read(rot, cols * cols * 4));
    track.forEach((x) => x.destroy());
    for (let p = 0; p < cols; p++) for (let q = 0; q < cols; q++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += j[k * cols + p] * j[k * cols + q];
      expectClose(s, p === q ? 1 : 0, 0, 1e-5, `JᵀJ(${p},${q})`);
    }
    for (let i = 0; i < rows; i++) for (let q = 0; q < cols; q++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += a[i * cols + k] * j[k * cols + q];
      expectClose(b[i * cols + q], s, 0, 1e-4, `B(${i},${q})`);
    }
  });
});

describe('cloud_factor.wgsl (n > d): FᵀF = CᵀC', () => {
  it('for 50 tokens in 8 dimensions', async () => {
    const t = toMatrix(randomCloud(rng(5), 50, 8, 0.4));
    const clouds = await engine.gpu.prepare([t]);
    try {
      const f = new Float32Array(await engine.context.read(clouds.buffers.centred, 8 * 8 * 4));
      const c = makeCloud(t).centred;
      for (let p = 0; p < 8; p++) for (let q = 0; q < 8; q++) {
        let got = 0;
        let want = 0;
        for (let k = 0; k < 8; k++) got += f[k * 8 + p] * f[k * 8 + q];
        for (let i = 0; i < 50; i++) want += c[i * 8 + p] * c[i * 8 + q];
        expectClose(got, want, 1e-4, 1e-5, `(${p},${q})`);
      }
    } finally {
      engine.gpu.release(clouds);
    }
  });
});

describe('gram_tile.wgsl vs float64 products of the listed factor rows', () => {
  for (const shared of [1, 0]) it(`${shared ? 'workgroup-shared tiles (GPUs)' : 'direct reads (software adapters)'}: writes each pair block column-major (transposed when the first text is shorter), skips unlisted blocks`, async () => {
    const r = rng(9);
    const d = 37;
    const total = 150;
    const f = Float32Array.from({ length: total * d }, () => gaussian(r));
    // Panel X: texts of 40, 30 and 3 rows (73 rows, not a multiple of 64), rows listed out of order.
    // Panel Y: texts of 5 and 70 rows. Tile 0: X against Y (all 6 blocks); tile 1: X against itself
    // (only blocks above the diagonal are pairs; the others are skipped).
    const textsX = [40, 30, 3];
    const textsY = [5, 70];
    const listX = Array.from({ length: 73 }, (_, k) => (k * 7) % total);
    const listY = Array.from({ length: 75 }, (_, k) => total - 1 - 2 * k);
    const list = new Uint32Array([...listX, ...listY]);
    const info: number[] = [];
    for (const sizes of [textsX, textsY]) sizes.forEach((n, t) => { for (let row = 0; row < n; row++) info.push(t, row); });
    const starts = (sizes: number[]) => sizes.map((_, t) => sizes.slice(0, t).reduce((x, y) => x + y, 0));
    const [sx, sy] = [starts(textsX), starts(textsY)];
    const blocks: number[] = [];
    const expected: { offset: number; a: number[]; b: number[]; transposed: boolean }[] = [];
    let offset = 0;
    const block = (rowsA: number[], rowsB: number[]) => {
      const transposed = rowsA.length < rowsB.length;
      blocks.push(offset, transposed ? rowsB.length : rowsA.length, transposed ? 1 : 0, 0);
      expected.push({ offset, a: rowsA, b: rowsB, transposed });
      offset += rowsA.length * rowsB.length;
    };
    const rowsOf = (list: number[], start: number, n: number) => list.slice(start, start + n);
    textsX.forEach((nx, i) => textsY.forEach((ny, j) => block(rowsOf(listX, sx[i], nx), rowsOf(listY, sy[j], ny))));
    textsX.forEach((nx, i) => textsX.forEach((nz, j) => {
      if (j > i) block(rowsOf(listX, sx[i], nx), rowsOf(listX, sx[j], nz));
      else blocks.push(0xffffffff, 0, 0, 0);
    }));
    const tiles = new Uint32Array([0, 73, 73, 75, 0, 2, 0, 0, 0, 73, 0, 73, 6, 3, 0, 0]);
    const ctx = engine.context;
    const track: GPUBuffer[] = [];
    try {
      const cross = ctx.upload(new Float32Array(offset + 1).fill(-7), BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'cross', track);
      // Both variants of the kernel, whatever this adapter's engine picked.
      const pipeline = ctx.device.createComputePipeline({
        layout: 'auto', compute: { module: ctx.device.createShaderModule({ code: nodeShaderSources().gram_tile }), entryPoint: 'main', constants: { SHARED_TILES: shared } },
      });
      const bindings = [
        ctx.upload(f, BufferUsage.STORAGE, 'factors', track), ctx.upload(list, BufferUsage.STORAGE, 'rows', track),
        ctx.upload(Uint32Array.from(info), BufferUsage.STORAGE, 'info', track), ctx.upload(tiles, BufferUsage.STORAGE, 'tiles', track),
        ctx.upload(Uint32Array.from(blocks), BufferUsage.STORAGE, 'blocks', track), cross,
        ctx.upload(new Uint32Array([d, 2, 0, 0]), BufferUsage.UNIFORM, 'cfg', track),
      ];
      const encoder = ctx.device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, ctx.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: bindings.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
      pass.dispatchWorkgroups(2, 2, 2);
      pass.end();
      ctx.device.queue.submit([encoder.finish()]);
      const got = new Float32Array(await ctx.read(cross, (offset + 1) * 4));
      for (const e of expected) {
        const want = new Float64Array(e.a.length * e.b.length);
        e.a.forEach((i, p) => e.b.forEach((j, q) => {
          let s = 0;
          for (let k = 0; k < d; k++) s += f[i * d + k] * f[j * d + k];
          want[e.transposed ? p * e.b.length + q : q * e.a.length + p] = s;
        }));
        expect(relativeError(got.subarray(e.offset, e.offset + want.length), want)).toBeLessThan(1e-5);
      }
      expect(got[offset]).toBe(-7); // nothing written past the blocks
    } finally {
      track.forEach((x) => x.destroy());
    }
  });
});

describe('socm_reduce.wgsl', () => {
  it('turns given singular values, means and traces into d1, d2, SOCM and the flag', async () => {
    const ctx = engine.context;
    const track: GPUBuffer[] = [];
    const d = 3;
    const texts = ctx.upload(new Uint32Array([0, 4, 3, 0, 4, 2, 2, 0]), BufferUsage.STORAGE, 't', track);
    const statsWords = new Float32Array([0.5, 1, 0, 0, 2.5, 1, 0, 0]);
    new Uint32Array(statsWords.buffer).set([1], 2);
    const stats = ctx.upload(statsWords, BufferUsage.STORAGE, 's', track);
    const means = ctx.upload(new Float32Array([1, 0, 0, 0.6, 0.8, 0]), BufferUsage.STORAGE, 'm', track);
    const pairs = ctx.upload(new Uint32Array([0, 1, 0, 0]), BufferUsage.STORAGE, 'p', track);
    const sigma = ctx.upload(new Float32Array([0.3 * Math.sqrt(8), 0.2 * Math.sqrt(8), 99]), BufferUsage.STORAGE, 'σ', track);
    const results = ctx.buffer(16, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 'r', track);
    const encoder = ctx.device.createCommandEncoder();
    ctx.dispatch(encoder, 'socm_reduce', [texts, stats, means, pairs, sigma, results, ctx.upload(new Uint32Array([d, 1, 1, 0]), BufferUsage.UNIFORM, 'cfg', track)], 1);
    ctx.device.queue.submit([encoder.finish()]);
    const raw = await ctx.read(results, 16);
    track.forEach((x) => x.destroy());
    const [d1, d2, socm] = new Float32Array(raw);
    const flags = new Uint32Array(raw)[3];
    // d1 = |(0.4, −0.8, 0)|²/4 = 0.2; nuclear = (0.3 + 0.2)·√8/√(n_A n_B = 4·2) (only r_b = 2 values); d2 = (0.5 + 2.5 − 1)/4 = 0.5
    expectClose(d1, 0.2, 1e-6, 0, 'd1');
    expectClose(d2, 0.5, 1e-6, 0, 'd2');
    expectClose(socm, 0.4, 1e-6, 0, 'socm');
    expect(flags).toBe(1);
  });
});

describe('pca_project.wgsl vs the float64 PCA', () => {
  const cases: [string, number[][], number[][]][] = [
    ['two clouds', randomCloud(rng(3), 7, 20, 0.5), randomCloud(rng(4), 11, 20, 0.5)],
    ['more tokens than dims', randomCloud(rng(5), 20, 6, 0.5), randomCloud(rng(6), 15, 6, 0.5)],
    ['rank 1 (completed v2)', [[1, 2, 3, 4]], [[2, 4, 6, 8]]],
    ['300 tokens in 16 dims (d columns rotated, axes from J)', randomCloud(rng(7), 180, 16, 0.4), randomCloud(rng(8), 120, 16, 0.4)],
  ];
  for (const [name, a, b] of cases) {
    it(name, async () => {
      const got = await engine.pca(toMatrix(a), toMatrix(b));
      const want = pcaOfTexts(toMatrix(a), toMatrix(b));
      expectClose(got.singularValues[0], want.singularValues[0], 1e-5, 1e-6, 'σ1');
      expectClose(got.singularValues[1], want.singularValues[1], 1e-4, 1e-5, 'σ2');
      expectClose(got.energyShare, want.energyShare, 1e-5, 1e-6, 'energy');
      expect(relativeError(got.axes[0], want.axes[0])).toBeLessThan(1e-4);
      expect(relativeError(got.pointsA, want.pointsA)).toBeLessThan(1e-4);
      expect(relativeError(got.pointsB, want.pointsB)).toBeLessThan(1e-4);
      expect(relativeError([...got.meanA, ...got.meanB], [...want.meanA, ...want.meanB])).toBeLessThan(1e-4);
      if (name.startsWith('rank 1')) expect(relativeError(got.axes[1], want.axes[1])).toBeLessThan(1e-4);
    });
  }
});

async function runJacobi(colMajor: Float32Array, job: number[], cols: number): Promise<Float32Array> {
  const ctx = engine.context;
  const track: GPUBuffer[] = [];
  const data = ctx.upload(colMajor, BufferUsage.STORAGE, 'a', track);
  const jobs = ctx.upload(Uint32Array.from(job), BufferUsage.STORAGE, 'job', track);
  const sigma = ctx.buffer(cols * 4, BufferUsage.STORAGE | BufferUsage.COPY_SRC, 's', track);
  const encoder = ctx.device.createCommandEncoder();
  const scope = ctx.scope();
  ctx.jacobi(encoder, scope, data, jobs, 1, sigma, ctx.buffer(16, BufferUsage.STORAGE, 'none', track));
  ctx.device.queue.submit([encoder.finish()]);
  scope.release();
  const out = new Float32Array(await ctx.read(sigma, cols * 4));
  track.forEach((x) => x.destroy());
  return out;
}
