import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ensureGloveAsset } from '../build/glove-asset';
import { resolveModelId } from './catalog';
import { decodeWordVectors } from './glove/asset';
import { GLOVE_ID, gloveEncoder } from './glove/encoder';
import { dtypesPresent, missingFilesError } from './load-errors';
import { loadTransformerEncoder, transformersEnv } from './transformer';
import type { Encoder, EncoderDtype, LoadProgress } from './types';
import { EncoderLoadError, requiredModelFiles } from './types';

export interface NodeEncoderOptions {
  dtype?: EncoderDtype;
  onProgress?: (p: LoadProgress) => void;
}

/**
 * An encoder for Node (the CLI, tests, benchmarks): `glove`; a folder path; or an `org/name`
 * id, looked for first under POOLSCOPE_MODELS_DIR, then on the Hugging Face Hub. Node runs
 * transformers.js on onnxruntime-node with device 'cpu'.
 */
export async function loadNodeEncoder(spec: string, options: NodeEncoderOptions = {}): Promise<Encoder> {
  if (spec === GLOVE_ID) return gloveEncoder(decodeWordVectors(readFileSync(ensureGloveAsset(true))));
  const dtype = options.dtype ?? 'fp32';
  if (dtype === 'fp16') throw new EncoderLoadError('dtype fp16 needs a WebGPU device with shader-f16; in Node use fp32 or q8');
  const asFolder = existsSync(spec) && statSync(spec).isDirectory();
  if (!asFolder) {
    const resolved = resolveModelId(spec);
    if (resolved.problem) throw new EncoderLoadError(resolved.problem);
    spec = resolved.load;
  }
  let id = spec;
  let localHint: string | undefined;
  transformersEnv.allowLocalModels = true;
  if (asFolder) {
    const folder = resolve(spec);
    const missing = requiredModelFiles(dtype).filter((f) => !existsSync(resolve(folder, f)));
    const present = dtypesPresent((f) => existsSync(resolve(folder, f)));
    if (missing.length === 1 && dtype !== 'fp32' && present.length) throw missingFilesError(spec, `folder ${spec}`, missing, dtype, present);
    if (missing.length) {
      throw new EncoderLoadError(`folder ${spec} is missing ${missing.join(', ')}: a model folder needs config.json, tokenizer.json, tokenizer_config.json and ${requiredModelFiles(dtype)[3]}`);
    }
    transformersEnv.localModelPath = `${dirname(folder)}/`;
    transformersEnv.allowRemoteModels = false;
    id = basename(folder);
    localHint = folder;
  } else {
    const dir = process.env.POOLSCOPE_MODELS_DIR;
    transformersEnv.localModelPath = dir ? `${resolve(dir)}/` : '/nonexistent-poolscope-models/';
    transformersEnv.allowRemoteModels = !process.env.POOLSCOPE_OFFLINE;
    localHint = dir ? `POOLSCOPE_MODELS_DIR=${dir}` : undefined;
    if (!/^[\w.-]+(\/[\w.-]+)?$/.test(spec)) {
      throw new EncoderLoadError(`"${spec}" is neither a folder nor a model id like org/name (or glove)`);
    }
    const local = dir && existsSync(resolve(dir, spec, 'config.json'));
    if (local) {
      const has = (f: string) => existsSync(resolve(dir, spec, f));
      const missing = requiredModelFiles(dtype).filter((f) => !has(f));
      if (missing.length) throw missingFilesError(spec, `POOLSCOPE_MODELS_DIR=${dir} (${spec}/)`, missing, dtype, dtypesPresent(has));
    }
    if (!local && !transformersEnv.allowRemoteModels) {
      throw new EncoderLoadError(`model "${spec}" not found${dir ? ` in POOLSCOPE_MODELS_DIR=${dir}` : ''}, and the hub is off (POOLSCOPE_OFFLINE): check the id or the folder`);
    }
  }
  return loadTransformerEncoder(id, { device: 'cpu', dtype, onProgress: options.onProgress, localHint });
}
