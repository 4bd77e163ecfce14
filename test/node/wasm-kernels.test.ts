import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assemble, fusedSource, watPath } from '../../src/build/wasm-kernels';
import {
  crossGram, makeCloud, packClouds, pairIndex, planPanels, planTiles, singularValuesBidiagonal, tilePairs, typeScriptKernels,
} from '../../src/math';
import { nodeKernels } from '../../src/wasm/node';
import { WasmKernels } from '../../src/wasm/kernels';
import { expectClose } from '../support/assert';
import { gaussian, randomCloud, rng, toMatrix } from '../support/random';

/** Independent float64 F_A F_Bᵀ: plain sequential dot products. */
function plainGram(a: Float64Array, m: number, b: Float64Array, n: number, k: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t] * b[j * k + t];
    out[i * n + j] = s;
  }
  return out;
}

function randomMatrix(seed: number, rows: number, cols: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: rows * cols }, () => gaussian(r));
}

let plain: WasmKernels;
let fused: WasmKernels | undefined;
beforeAll(async () => {
  const source = readFileSync(watPath, 'utf8');
  plain = await WasmKernels.create(await WebAssembly.compile(await assemble(source, false)), false);
  const compiled = await nodeKernels(); // sets V8's relaxed-SIMD flag where Node needs it
  if ('module' in compiled && compiled.fused) fused = await WasmKernels.create(await WebAssembly.compile(await assemble(fusedSource(source), true)), true);
});

describe('src/wasm/socm.wat, assembled from source by the npm wabt package', () => {
  it('the fused build differs only in the Gram: nine relaxed multiply-adds', () => {
    const source = readFileSync(watPath, 'utf8');
    expect(fusedSource(source).split('\n').filter((l, k) => l !== source.split('\n')[k])).toHaveLength(9);
  });

  it('Node runs the fused build (relaxed SIMD) here', () => {
    expect(fused, 'relaxed SIMD did not validate').toBeDefined();
  });

  const shapes: [number, number, number][] = [[1, 1, 1], [3, 3, 2], [5, 7, 9], [30, 17, 768], [64, 2, 101], [10, 50, 384]];
  for (const [ra, rb, d] of shapes) {
    it(`cross-Gram and nuclear norm, ${ra} × ${rb} rows of width ${d}: plain build = TypeScript bit for bit, fused within 1e-14`, () => {
      const fa = randomMatrix(ra * 1000 + d, ra, d);
      const fb = randomMatrix(rb * 7 + d, rb, d);
      // The Gram itself against plain float64 dot products, then the nuclear norm against σ of that Gram.
      const gram = plainGram(fa, ra, fb, rb, d);
      const ts = crossGram(fa, ra, fb, rb, d);
      let scale = 0;
      gram.forEach((g, k) => {
        scale = Math.max(scale, Math.abs(g));
        expectClose(ts[k], g, 0, 1e-13 * Math.sqrt(d), `G[${k}]`);
      });
      const want = Array.from(singularValuesBidiagonal(gram, ra, rb)).reduce((s, x) => s + x, 0);
      const got = plain.crossNuclear(fa, ra, fb, rb, d);
      expect(got).toBe(typeScriptKernels.crossNuclear(fa, ra, fb, rb, d));
      expectClose(got, want, 1e-12, 1e-14 * scale, 'Σσ');
      if (fused) expectClose(fused.crossNuclear(fa, ra, fb, rb, d), got, 1e-14, 1e-15 * scale, 'fused Σσ');
    });
  }

  it('rank-deficient blocks: a one-token text (zero factor row) and identical clouds', () => {
    const x = toMatrix(randomCloud(rng(3), 12, 40, 0.3));
    const one = makeCloud(toMatrix(randomCloud(rng(4), 1, 40)));
    const c = makeCloud(x);
    expect(plain.crossNuclear(one.factor, 1, c.factor, 12, 40)).toBe(0);
    // ||C Cᵀ||_* = ||C||_F² exactly in exact arithmetic (C Cᵀ is PSD).
    const frob = c.centred.reduce((s, v) => s + v * v, 0);
    expectClose(plain.crossNuclear(c.factor, 12, c.factor, 12, 40), frob, 1e-13, 0, 'identical');
  });

  it('tiles of a packed corpus: every pair once, equal to the TypeScript tiles (plain) and to per-pair products', () => {
    const r = rng(17);
    // n from 1 to 60 in d = 33 (odd), so some texts have n > d (their d × d QR factor is packed).
    const texts = Array.from({ length: 30 }, () => toMatrix(randomCloud(r, 1 + Math.floor(r() * 60), 33, 0.3)));
    const packed = packClouds(texts);
    const panels = planPanels(packed, 70);
    const seen = new Uint8Array((30 * 29) / 2);
    for (const tile of planTiles(panels)) {
      const a = panels[tile.p];
      const b = panels[tile.q];
      const got = new Float64Array(tile.pairs);
      const want = new Float64Array(tile.pairs);
      plain.tileNuclear(packed, a, b, got);
      typeScriptKernels.tileNuclear(packed, a, b, want);
      expect(Array.from(got)).toEqual(Array.from(want));
      tilePairs(a, b, (i, j, k) => {
        seen[pairIndex(i, j, 30)]++;
        const direct = plain.crossNuclear(packed.factors, packed.factorRows[i], packed.factors, packed.factorRows[j], 33,
          packed.rowOffset[i] * 33, packed.rowOffset[j] * 33);
        expect(got[k]).toBe(direct);
        if (fused) {
          const f = new Float64Array(tile.pairs);
          fused.tileNuclear(packed, a, b, f);
          expectClose(f[k], got[k], 1e-13, 1e-15, 'fused tile');
        }
      });
    }
    expect(Array.from(seen).every((x) => x === 1)).toBe(true);
  });

  it('the linear memory stays bounded by the tile, whatever the corpus', () => {
    const r = rng(23);
    const packed = packClouds(Array.from({ length: 80 }, () => toMatrix(randomCloud(r, 40, 64, 0.3))));
    const panels = planPanels(packed, 240);
    for (const tile of planTiles(panels)) plain.tileNuclear(packed, panels[tile.p], panels[tile.q], new Float64Array(tile.pairs));
    // Two 240 × 64 panels, a 240 × 240 tile, block lists and scratch: well under 4 MiB.
    expect(plain.memoryBytes).toBeLessThan(4 * 2 ** 20);
  });
});

describe('packing and tiling of a corpus', () => {
  it('packClouds keeps μ, tr Σ and FᵀF = CᵀC of every text, for n ≤ d and n > d', () => {
    const r = rng(41);
    const texts = [toMatrix(randomCloud(r, 3, 6)), toMatrix(randomCloud(r, 20, 6, 0.4)), toMatrix(randomCloud(r, 1, 6))];
    const packed = packClouds(texts);
    texts.forEach((t, i) => {
      const c = makeCloud(t);
      expect(Array.from(packed.means.subarray(i * 6, (i + 1) * 6))).toEqual(Array.from(c.mean));
      expect(packed.traces[i]).toBe(c.trace);
      const rows = packed.factorRows[i];
      expect(rows).toBe(Math.min(t.n, 6));
      const f = packed.factors.subarray(packed.rowOffset[i] * 6, (packed.rowOffset[i] + rows) * 6);
      for (let p = 0; p < 6; p++) for (let q = 0; q < 6; q++) {
        let got = 0;
        let want = 0;
        for (let k = 0; k < rows; k++) got += f[k * 6 + p] * f[k * 6 + q];
        for (let k = 0; k < t.n; k++) want += c.centred[k * 6 + p] * c.centred[k * 6 + q];
        expectClose(got, want, 1e-12, 1e-14, `FᵀF(${p},${q}) of text ${i}`);
      }
    });
  });

  it('panels respect the row budget (one text may exceed it) and tiles cover each pair once', () => {
    const r = rng(5);
    for (const budget of [1, 10, 50, 1000]) {
      const factorRows = Int32Array.from({ length: 23 }, () => 1 + Math.floor(r() * 30));
      const rowOffset = new Int32Array(23);
      for (let i = 1; i < 23; i++) rowOffset[i] = rowOffset[i - 1] + factorRows[i - 1];
      const panels = planPanels({ count: 23, factorRows, rowOffset }, budget);
      panels.forEach((p) => expect(p.rows <= budget || p.end - p.first === 1).toBe(true));
      const seen = new Map<number, number>();
      for (const t of planTiles(panels)) {
        let count = 0;
        tilePairs(panels[t.p], panels[t.q], (i, j) => {
          expect(i).toBeLessThan(j);
          seen.set(pairIndex(i, j, 23), (seen.get(pairIndex(i, j, 23)) ?? 0) + 1);
          count++;
        });
        expect(count).toBe(t.pairs);
      }
      expect(seen.size).toBe((23 * 22) / 2);
      expect([...seen.values()].every((v) => v === 1)).toBe(true);
      expect(Math.max(...seen.keys())).toBe((23 * 22) / 2 - 1);
    }
  });
});
