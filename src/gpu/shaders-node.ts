import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNELS, type ShaderSources } from './kernels';

const shaderDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../shaders');

export function nodeShaderSources(): ShaderSources {
  const out = {} as ShaderSources;
  for (const name of KERNELS) out[name] = readFileSync(resolve(shaderDir, `${name}.wgsl`), 'utf8');
  return out;
}
