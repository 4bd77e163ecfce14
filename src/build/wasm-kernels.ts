/**
 * Assembles the hand-written WebAssembly kernels: src/wasm/socm.wat → src/wasm/socm.wasm
 * (SIMD128) and src/wasm/socm-fma.wasm (the same, with the cross-Gram's multiply-adds fused
 * through relaxed SIMD). Uses the npm package `wabt` (installed by npm ci; nothing is
 * downloaded). `npm run assets` runs it, so dev, build and test always have fresh binaries.
 *   tsx src/build/wasm-kernels.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const wasmDir = resolve(dirname(fileURLToPath(import.meta.url)), '../wasm');
export const watPath = resolve(wasmDir, 'socm.wat');
export const wasmPaths = { plain: resolve(wasmDir, 'socm.wasm'), fma: resolve(wasmDir, 'socm-fma.wasm') };

/** `acc + x·y` on the Gram's accumulators ($cIJ) becomes one relaxed fused multiply-add. */
const GRAM_MADD = /\(f64x2\.add \(local\.get (\$c\d\d)\) \(f64x2\.mul \(local\.get (\$x\d)\) \(local\.get \$y\)\)\)/g;

export function fusedSource(source: string): string {
  const fused = source.replace(GRAM_MADD, '(f64x2.relaxed_madd (local.get $2) (local.get $$y) (local.get $1))');
  const count = (fused.match(/relaxed_madd/g) ?? []).length;
  if (count !== 9) throw new Error(`socm.wat: expected the Gram's 9 multiply-adds to fuse, found ${count}`);
  return fused;
}

export async function assemble(source: string, relaxed: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await (await import('wabt')).default();
  const module = wabt.parseWat('socm.wat', new TextEncoder().encode(source), { simd: true, bulk_memory: true, relaxed_simd: relaxed });
  try {
    module.resolveNames();
    module.validate();
    return Uint8Array.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

export async function buildWasmKernels(): Promise<void> {
  const source = readFileSync(watPath, 'utf8');
  writeFileSync(wasmPaths.plain, await assemble(source, false));
  writeFileSync(wasmPaths.fma, await assemble(fusedSource(source), true));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWasmKernels().then(
    () => console.log(`wasm kernels: ${wasmPaths.plain}, ${wasmPaths.fma}`),
    (error) => {
      console.error(`wasm kernels: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
