import { describe, expect, it } from 'vitest';
import { CpuSocmEngine } from '../../src/engine/cpu';
import { nodeCpuPlatform } from '../../src/engine/node';
import { pcaOfTexts, socmNaive, socmOfTexts, tokenMatrixFromRows } from '../../src/math';
import { expectClose } from '../support/assert';
import { hasGolden, loadGolden } from '../support/shared';

describe.skipIf(!hasGolden)('CPU reference vs the SciPy golden values (../shared/reference)', () => {
  for (const c of loadGolden()) {
    it(`${c.name}: d1, d2, SOCM, traces within 1e-9 relative`, () => {
      const st = socmOfTexts(tokenMatrixFromRows(c.a, 'a'), tokenMatrixFromRows(c.b, 'b'));
      for (const k of ['d1', 'd2', 'socm', 'traceA', 'traceB'] as const) expectClose(st[k], c.expected[k], 1e-9, 1e-14, k);
      expect(st.tokensA).toBe(c.a.length);
      expect(st.tokensB).toBe(c.b.length);
      expect(st.flags.includes('trace-over-2')).toBe(c.expected.traceA > 2 || c.expected.traceB > 2);
    });
    it(`${c.name}: the WebAssembly kernels (fused multiply-add) within 1e-9 relative too`, async () => {
      const engine = new CpuSocmEngine('test', nodeCpuPlatform);
      const st = await engine.pair(tokenMatrixFromRows(c.a, 'a'), tokenMatrixFromRows(c.b, 'b'));
      expect(engine.description).toMatch(/WebAssembly SIMD/);
      for (const k of ['d1', 'd2', 'socm', 'traceA', 'traceB'] as const) expectClose(st[k], c.expected[k], 1e-9, 1e-14, k);
      engine.dispose();
    });
    it(`${c.name}: PCA singular values within 1e-9 relative`, () => {
      const view = pcaOfTexts(tokenMatrixFromRows(c.a), tokenMatrixFromRows(c.b));
      expectClose(view.singularValues[0], c.expected.pca_singular_values[0], 1e-9, 1e-14, 'σ1');
      expectClose(view.singularValues[1], c.expected.pca_singular_values[1], 1e-9, 1e-14, 'σ2');
    });
    it(`${c.name}: the naive d×d square-root route agrees to 1e-7`, () => {
      const st = socmNaive(tokenMatrixFromRows(c.a), tokenMatrixFromRows(c.b));
      expectClose(st.d2, c.expected.d2, 1e-6, 1e-7, 'd2');
      expectClose(st.socm, c.expected.socm, 1e-6, 1e-7, 'socm');
    });
  }
});
