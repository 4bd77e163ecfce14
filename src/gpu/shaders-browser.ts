import { KERNELS, type ShaderSources } from './kernels';

// Vite inlines each shaders/*.wgsl file as a string at build time.
const files = import.meta.glob('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function browserShaderSources(): ShaderSources {
  const out = {} as ShaderSources;
  for (const name of KERNELS) {
    const source = files[`../../shaders/${name}.wgsl`];
    if (typeof source !== 'string') throw new Error(`shader ${name}.wgsl is missing from the build`);
    out[name] = source;
  }
  return out;
}
