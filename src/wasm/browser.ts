import { compileKernels, type CompiledKernels } from './compile';
// Vite emits the binaries built by `npm run assets` as assets and gives their URLs.
import plainUrl from './socm.wasm?url';
import fmaUrl from './socm-fma.wasm?url';

let compiled: Promise<CompiledKernels | { reason: string }> | undefined;

/** The kernels for a page or a worker: fused where the browser has relaxed SIMD (Chrome 114+). */
export function browserKernels(): Promise<CompiledKernels | { reason: string }> {
  compiled ??= (async () => {
    try {
      const [plain, fma] = await Promise.all([plainUrl, fmaUrl].map(async (url) => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.arrayBuffer();
      }));
      return await compileKernels(plain, fma);
    } catch (error) {
      return { reason: `the WebAssembly kernels did not load (${(error as Error).message})` };
    }
  })();
  return compiled;
}
