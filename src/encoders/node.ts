import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ensureGloveAsset } from '../build/glove-asset';
import { catalogEntry, resolveModelId } from './catalog';
import { decodeWordVectors } from './glove/asset';
import { GLOVE_ID, gloveEncoder } from './glove/encoder';
import { dtypesPresent, missingFilesError } from './load-errors';
import { hasWeights, hubBase, httpFiles, parseModelRef, pytorchOnlyError, WEIGHT_FILES } from './model-files';
import { diskCache, folderFiles } from './node-files';
import type { Encoder, EncoderDtype, LoadProgress } from './types';
import { EncoderLoadError, requiredModelFiles } from './types';

/** 'weights': the model's own safetensors (every layer); 'onnx': a transformers.js export (last layer); 'auto': weights where present. */
export type EncoderRoute = 'auto' | 'weights' | 'onnx';

export interface NodeEncoderOptions {
  dtype?: EncoderDtype;
  route?: EncoderRoute;
  onProgress?: (p: LoadProgress) => void;
}

/**
 * An encoder for Node (the CLI, tests, benchmarks): `glove`; a folder path; or an `org/name[@revision]`
 * id, looked for first under POOLSCOPE_MODELS_DIR, then on the Hugging Face Hub (POOLSCOPE_OFFLINE=1
 * skips the hub). A model with safetensors weights loads through the weights route (every layer,
 * onnxruntime-node) unless `route: 'onnx'`; otherwise transformers.js runs its ONNX export on the CPU.
 */
export async function loadNodeEncoder(spec: string, options: NodeEncoderOptions = {}): Promise<Encoder> {
  if (spec === GLOVE_ID) return gloveEncoder(decodeWordVectors(readFileSync(ensureGloveAsset(true))));
  const route = options.route ?? 'auto';
  const asFolder = existsSync(spec) && statSync(spec).isDirectory();
  const dir = process.env.POOLSCOPE_MODELS_DIR;
  const offline = Boolean(process.env.POOLSCOPE_OFFLINE);
  if (!asFolder && !/^[\w.-]+(\/[\w.-]+)?(@[\w./-]+)?$/.test(spec)) {
    throw new EncoderLoadError(`"${spec}" is neither a folder nor a model id like org/name or org/name@revision (or glove)`);
  }
  const { id, revision } = asFolder ? { id: spec, revision: 'main' } : parseModelRef(spec);
  const localFolder = asFolder ? resolve(spec) : dir && existsSync(resolve(dir, id, 'config.json')) ? resolve(dir, id) : undefined;

  // Quantised and half-precision builds are ONNX files: with them the ONNX route is the only one.
  const dtype = options.dtype ?? 'fp32';
  if (route === 'weights' && dtype !== 'fp32') throw new EncoderLoadError(`dtype ${dtype} applies to ONNX exports; the weights route runs fp32 (drop --dtype, or use the ONNX route)`);
  if (route !== 'onnx' && dtype === 'fp32') {
    const entry = catalogEntry(id);
    const files = localFolder
      ? folderFiles(localFolder, spec)
      : offline ? undefined
      : httpFiles(hubBase(id, revision === 'main' && entry?.weights?.revision ? entry.weights.revision : revision), {
        label: spec, where: 'the Hugging Face Hub', hub: true, cache: diskCache(),
      });
    if (files && (route === 'weights' || (await hasWeights(files)))) {
      // transformers.js and onnxruntime load only here: `glove` never pays for them.
      const [{ loadCheckpointEncoder }, { nodeRuntime }] = await Promise.all([import('./checkpoint'), import('./runtime/node')]);
      return loadCheckpointEncoder(files, { runtime: nodeRuntime, device: 'cpu', onProgress: options.onProgress, safetensorsHint: entry?.weights?.hint });
    }
    // A local model with only a PyTorch pickle: say that, not that its ONNX export is missing.
    const pickleOnly = files && localFolder ? await pytorchOnlyError(files, entry?.weights?.hint) : undefined;
    if (pickleOnly) throw pickleOnly;
    if (!files && route === 'weights') {
      throw new EncoderLoadError(`model "${spec}" not found${dir ? ` in POOLSCOPE_MODELS_DIR=${dir}` : ''}, and the hub is off (POOLSCOPE_OFFLINE)`);
    }
  }
  return loadOnnxRoute(spec, id, localFolder, options);
}

/** The transformers.js route: an ONNX export with last_hidden_state. */
async function loadOnnxRoute(spec: string, id: string, localFolder: string | undefined, options: NodeEncoderOptions): Promise<Encoder> {
  const dtype = options.dtype ?? 'fp32';
  if (dtype === 'fp16') throw new EncoderLoadError('dtype fp16 needs a WebGPU device with shader-f16; in Node use fp32 or q8');
  const dir = process.env.POOLSCOPE_MODELS_DIR;
  const { loadTransformerEncoder, transformersEnv } = await import('./transformer');
  transformersEnv.allowLocalModels = true;
  let name = id;
  let localHint: string | undefined;
  if (localFolder) {
    const has = (f: string) => existsSync(resolve(localFolder, f));
    const missing = requiredModelFiles(dtype).filter((f) => !has(f));
    const present = dtypesPresent(has);
    const weights = WEIGHT_FILES.some((f) => has(f));
    if (missing.length === 1 && dtype !== 'fp32' && (present.length || weights)) {
      // Only the dtype's build is missing: say so, and which builds there are.
      const where = dir && localFolder === resolve(dir, id) ? `POOLSCOPE_MODELS_DIR=${dir} (${id}/)` : `folder ${spec}`;
      throw missingFilesError(spec, where, missing, dtype, present, weights);
    }
    if (missing.length) {
      throw new EncoderLoadError(`folder ${localFolder} is missing ${missing.join(', ')}: a model folder needs config.json, tokenizer.json, tokenizer_config.json and ${requiredModelFiles(dtype)[3]} (or model.safetensors for the weights route)`);
    }
    transformersEnv.localModelPath = `${dirname(localFolder)}/`;
    transformersEnv.allowRemoteModels = false;
    name = basename(localFolder);
    localHint = localFolder;
  } else {
    const resolved = resolveModelId(id);
    if (resolved.problem) throw new EncoderLoadError(resolved.problem);
    name = resolved.load;
    transformersEnv.localModelPath = dir ? `${resolve(dir)}/` : '/nonexistent-poolscope-models/';
    transformersEnv.allowRemoteModels = !process.env.POOLSCOPE_OFFLINE;
    localHint = dir ? `POOLSCOPE_MODELS_DIR=${dir}` : undefined;
    if (!transformersEnv.allowRemoteModels) {
      throw new EncoderLoadError(`model "${spec}" not found${dir ? ` in POOLSCOPE_MODELS_DIR=${dir}` : ''}, and the hub is off (POOLSCOPE_OFFLINE): check the id or the folder`);
    }
  }
  return loadTransformerEncoder(name, { device: 'cpu', dtype, onProgress: options.onProgress, localHint });
}
