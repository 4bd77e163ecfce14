import { crossGram } from './gram';
import type { PackedClouds, Panel } from './packed';
import { tilePairs } from './packed';
import { nuclearNorm } from './svd';

/**
 * The two hot loops of SOCM on the CPU, behind one interface so that the same route runs on
 * TypeScript (here, everywhere) or WebAssembly SIMD (src/wasm), on the main thread or in workers:
 * the cross-Gram F_A F_Bᵀ and the nuclear norm of each pair's block of it.
 */
export interface PairKernels {
  /** In words, for engine descriptions and the benchmark. */
  readonly name: string;
  /** ||F_A F_Bᵀ||_* for F_A (ra × d, from aOffset) and F_B (rb × d, from bOffset). */
  crossNuclear(fa: Float64Array, ra: number, fb: Float64Array, rb: number, d: number, aOffset?: number, bOffset?: number): number;
  /** ||F_i F_jᵀ||_* for texts i and j of a packed corpus (which must not change meanwhile). */
  packedPairNuclear(packed: PackedClouds, i: number, j: number): number;
  /**
   * One tile of the all-pairs Gram: the rows of panel a against those of panel b, then
   * ||F_i F_jᵀ||_* for each of the tile's pairs, into out in tilePairs order.
   */
  tileNuclear(packed: PackedClouds, a: Panel, b: Panel, out: Float64Array): void;
}

/** The TypeScript kernels: the readable twin of src/wasm/socm.wat, and the route where WebAssembly SIMD is missing. */
export class TypeScriptKernels implements PairKernels {
  readonly name = 'TypeScript';
  private gram = new Float64Array(0);
  private block = new Float64Array(0);

  crossNuclear(fa: Float64Array, ra: number, fb: Float64Array, rb: number, d: number, aOffset = 0, bOffset = 0): number {
    const gram = this.scratch(ra * rb);
    crossGram(fa, ra, fb, rb, d, gram, rb, aOffset, bOffset);
    return nuclearNorm(gram, ra, rb, this.blockScratch(ra * rb));
  }

  packedPairNuclear(packed: PackedClouds, i: number, j: number): number {
    const { d, factors, factorRows, rowOffset } = packed;
    return this.crossNuclear(factors, factorRows[i], factors, factorRows[j], d, rowOffset[i] * d, rowOffset[j] * d);
  }

  tileNuclear(packed: PackedClouds, a: Panel, b: Panel, out: Float64Array): void {
    const { d, factors, factorRows, rowOffset } = packed;
    const gram = this.scratch(a.rows * b.rows);
    crossGram(factors, a.rows, factors, b.rows, d, gram, b.rows, a.row * d, b.row * d);
    tilePairs(a, b, (i, j, k) => {
      const rows = factorRows[i];
      const cols = factorRows[j];
      const block = this.blockScratch(rows * cols);
      const r0 = rowOffset[i] - a.row;
      const c0 = rowOffset[j] - b.row;
      // Tall side first (as nuclearNorm would transpose it), so the block is reduced in place.
      const tall = rows >= cols;
      for (let r = 0; r < rows; r++) {
        const src = (r0 + r) * b.rows + c0;
        if (tall) for (let c = 0; c < cols; c++) block[r * cols + c] = gram[src + c];
        else for (let c = 0; c < cols; c++) block[c * rows + r] = gram[src + c];
      }
      out[k] = tall ? nuclearNorm(block, rows, cols, block) : nuclearNorm(block, cols, rows, block);
    });
  }

  private scratch(size: number): Float64Array {
    if (this.gram.length < size) this.gram = new Float64Array(size);
    return this.gram;
  }

  private blockScratch(size: number): Float64Array {
    if (this.block.length < size) this.block = new Float64Array(size);
    return this.block;
  }
}

export const typeScriptKernels: PairKernels = new TypeScriptKernels();
