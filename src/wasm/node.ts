import { existsSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { compileKernels, type CompiledKernels } from './compile';

// Two folders up from here is the package root both from src/wasm and from the compiled CLI in
// dist/cli (src/build/cli.ts), so one path serves both.
const plainUrl = new URL('../../src/wasm/socm.wasm', import.meta.url);
const fmaUrl = new URL('../../src/wasm/socm-fma.wasm', import.meta.url);

let compiled: Promise<CompiledKernels | { reason: string }> | undefined;

/**
 * The kernels for Node, built by `npm run assets` (src/build/wasm-kernels.ts). Node 20's V8
 * has relaxed SIMD complete but behind a flag (on by default from V8 11.4, Chrome 114, Node 22):
 * the flag is set before compiling, and the plain build is used if it still does not validate.
 * POOLSCOPE_WASM=plain skips the fused build; POOLSCOPE_WASM=off skips WebAssembly.
 */
export function nodeKernels(): Promise<CompiledKernels | { reason: string }> {
  compiled ??= (async () => {
    const mode = process.env.POOLSCOPE_WASM;
    if (mode === 'off') return { reason: 'POOLSCOPE_WASM=off' };
    if (!existsSync(plainUrl)) return { reason: `${plainUrl.pathname} is missing: run npm run assets` };
    const plain = readFileSync(plainUrl);
    const fma = mode !== 'plain' && existsSync(fmaUrl) ? readFileSync(fmaUrl) : undefined;
    if (fma && !WebAssembly.validate(fma)) setFlagsFromString('--experimental-wasm-relaxed-simd');
    return compileKernels(plain, fma);
  })();
  return compiled;
}
