import { tilePairs, type PackedClouds, type PairKernels, type Panel } from '../math';

/** What src/wasm/socm.wat exports. Pointers are byte offsets into `memory`. */
interface SocmExports {
  memory: WebAssembly.Memory;
  gram(a: number, m: number, b: number, n: number, k: number, out: number, ldo: number): void;
  bidiagonalise(a: number, m: number, n: number, d: number, e: number, v: number, w: number): void;
  bidiagonal_sv(d: number, e: number, n: number): number;
  block_nuclear_norms(tile: number, ldt: number, pairs: number, count: number, scratch: number, out: number): number;
}

const PAGE = 65536;
const roundUp = (x: number, m: number) => Math.ceil(x / m) * m;

/**
 * The WebAssembly SIMD kernels (src/wasm/socm.wat) behind PairKernels. One instance owns one
 * linear memory laid out per call as [panel A | panel B | Gram tile | block list | results |
 * scratch]: bounded by the tile size, whatever the corpus. Not shareable between threads;
 * each worker makes its own from the same compiled module.
 */
export class WasmKernels implements PairKernels {
  readonly name: string;
  private readonly x: SocmExports;
  private f64: Float64Array;
  private i32: Int32Array;
  /** Panel A's rows stay in memory between tiles of one row of tiles (or pairs with one first text). */
  private heldA: { factors: Float64Array; offset: number; rows: number } | undefined;

  private constructor(instance: WebAssembly.Instance, readonly fused: boolean) {
    this.x = instance.exports as unknown as SocmExports;
    this.f64 = new Float64Array(this.x.memory.buffer);
    this.i32 = new Int32Array(this.x.memory.buffer);
    this.name = `WebAssembly SIMD${fused ? ' with fused multiply-add' : ''}`;
  }

  static async create(module: WebAssembly.Module, fused: boolean): Promise<WasmKernels> {
    return new WasmKernels(await WebAssembly.instantiate(module, {}), fused);
  }

  crossNuclear(fa: Float64Array, ra: number, fb: Float64Array, rb: number, d: number, aOffset = 0, bOffset = 0): number {
    return this.cross(fa, ra, fb, rb, d, aOffset, bOffset, false);
  }

  packedPairNuclear(packed: PackedClouds, i: number, j: number): number {
    const { d, factors, factorRows, rowOffset } = packed;
    // A packed corpus does not change while it is measured: text i's rows may stay in memory.
    return this.cross(factors, factorRows[i], factors, factorRows[j], d, rowOffset[i] * d, rowOffset[j] * d, true);
  }

  private cross(fa: Float64Array, ra: number, fb: Float64Array, rb: number, d: number, aOffset: number, bOffset: number, keepA: boolean): number {
    if (ra === 0 || rb === 0) return 0;
    const layout = this.layout(ra, rb, d, 1, Math.max(ra, rb), Math.min(ra, rb));
    const held = this.heldA;
    if (!keepA || !held || held.factors !== fa || held.offset !== aOffset || held.rows !== ra) {
      this.copyRows(fa, aOffset, ra, d, layout.a, layout.kPad, layout.mPad);
      this.heldA = keepA ? { factors: fa, offset: aOffset, rows: ra } : undefined;
    }
    this.copyRows(fb, bOffset, rb, d, layout.b, layout.kPad, layout.nPad);
    this.x.gram(layout.a, layout.mPad, layout.b, layout.nPad, layout.kPad, layout.tile, layout.nPad);
    this.i32.set([0, ra, 0, rb], layout.pairs / 4);
    const failed = this.x.block_nuclear_norms(layout.tile, layout.nPad, layout.pairs, 1, layout.scratch, layout.out);
    if (failed) throw new Error('the bidiagonal QR of a cross-Gram did not converge');
    return this.f64[layout.out / 8];
  }

  tileNuclear(packed: PackedClouds, a: Panel, b: Panel, out: Float64Array): void {
    const { d, factors, factorRows, rowOffset } = packed;
    const same = a === b || (a.row === b.row && a.rows === b.rows);
    let count = 0;
    let big = 0;
    let small = 0;
    tilePairs(a, b, (i, j) => {
      count++;
      big = Math.max(big, factorRows[i], factorRows[j]);
      small = Math.max(small, Math.min(factorRows[i], factorRows[j]));
    });
    if (count === 0) return;
    const layout = this.layout(a.rows, same ? 0 : b.rows, d, count, big, small);
    const held = this.heldA;
    if (!held || held.factors !== factors || held.offset !== a.row * d || held.rows !== a.rows) {
      this.copyRows(factors, a.row * d, a.rows, d, layout.a, layout.kPad, layout.mPad);
      this.heldA = { factors, offset: a.row * d, rows: a.rows };
    }
    const bPtr = same ? layout.a : layout.b;
    const nPad = same ? layout.mPad : layout.nPad;
    if (!same) this.copyRows(factors, b.row * d, b.rows, d, layout.b, layout.kPad, layout.nPad);
    this.x.gram(layout.a, layout.mPad, bPtr, nPad, layout.kPad, layout.tile, nPad);
    const blocks = this.i32.subarray(layout.pairs / 4, layout.pairs / 4 + 4 * count);
    tilePairs(a, b, (i, j, k) => {
      blocks[4 * k] = rowOffset[i] - a.row;
      blocks[4 * k + 1] = factorRows[i];
      blocks[4 * k + 2] = rowOffset[j] - b.row;
      blocks[4 * k + 3] = factorRows[j];
    });
    const failed = this.x.block_nuclear_norms(layout.tile, nPad, layout.pairs, count, layout.scratch, layout.out);
    if (failed) throw new Error(`the bidiagonal QR did not converge on ${failed} cross-Gram block(s)`);
    out.set(this.f64.subarray(layout.out / 8, layout.out / 8 + count));
  }

  /** Bytes of linear memory in use (for the benchmark's memory report). */
  get memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  /**
   * Region offsets for an (m × k) by (n × k) product (n = 0: A against itself) with `count`
   * blocks of at most big × small; grows the memory when needed.
   */
  private layout(m: number, n: number, d: number, count: number, big: number, small: number) {
    const kPad = d + (d & 1);
    const mPad = roundUp(m, 3);
    const nPad = roundUp(n, 3);
    const a = 0;
    const b = a + mPad * kPad * 8;
    const tile = roundUp(b + nPad * kPad * 8, 16);
    const pairs = roundUp(tile + mPad * (n === 0 ? mPad : nPad) * 8, 16);
    const out = roundUp(pairs + count * 16, 16);
    const scratch = roundUp(out + count * 8, 16);
    const end = scratch + (big * small + 2 * big + 2 * small + 2) * 8;
    const have = this.x.memory.buffer.byteLength;
    if (end > have) {
      this.x.memory.grow(Math.ceil((end - have) / PAGE));
      this.f64 = new Float64Array(this.x.memory.buffer);
      this.i32 = new Int32Array(this.x.memory.buffer);
    }
    return { kPad, mPad, nPad, a, b, tile, pairs, out, scratch };
  }

  /** rows × d float64 rows from src[offset…] to ptr, as a (padRows × kPad) matrix padded with zeros. */
  private copyRows(src: Float64Array, offset: number, rows: number, d: number, ptr: number, kPad: number, padRows: number): void {
    const base = ptr / 8;
    if (kPad === d) {
      this.f64.set(src.subarray(offset, offset + rows * d), base);
    } else {
      for (let i = 0; i < rows; i++) {
        this.f64.set(src.subarray(offset + i * d, offset + (i + 1) * d), base + i * kPad);
        this.f64[base + i * kPad + d] = 0;
      }
    }
    this.f64.fill(0, base + rows * kPad, base + padRows * kPad);
  }
}
