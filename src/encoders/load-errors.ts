/**
 * Messages for a model that will not load, naming the real cause: a file missing from a local
 * folder or the served models directory, no quantised (or fp16) build, not on the hub, or no
 * network. One line each, saying what to do.
 */
import { EncoderLoadError, onnxFile, requiredModelFiles, type EncoderDtype } from './types';

export const DTYPES: readonly EncoderDtype[] = ['fp32', 'q8', 'fp16'];

const BUILD_NAME: Record<EncoderDtype, string> = { fp32: 'fp32', q8: 'quantised (q8)', fp16: 'fp16' };

/** The dtypes whose ONNX file is among `files` (paths inside the model folder). */
export function dtypesPresent(has: (file: string) => boolean): EncoderDtype[] {
  return DTYPES.filter((d) => has(onnxFile(d)));
}

/**
 * Files missing from a local model. `where` names the place ('the folder "x"', 'the served models
 * directory (/models/org/name/)'); `present` the dtypes it does have an ONNX file for.
 */
export function missingFilesError(id: string, where: string, missing: string[], dtype: EncoderDtype, present: EncoderDtype[] = [], weights = false): EncoderLoadError {
  const onnx = onnxFile(dtype);
  // Its own weights (safetensors) are the fp32 build too, with every layer.
  const builds = [
    ...(weights && dtype !== 'fp32' ? ['fp32 (its own weights, model.safetensors, every layer)'] : []),
    ...present.filter((d) => d !== dtype && !(weights && d === 'fp32')).map((d) => `${d} (${onnxFile(d)})`),
  ];
  const offer = builds.length ? `; it has ${builds.join(', ')}: pick ${builds.length > 1 ? 'one of those' : 'that'} as the dtype` : '';
  if (missing.length === 1 && missing[0] === onnx && dtype !== 'fp32') {
    return new EncoderLoadError(`${id} has no ${BUILD_NAME[dtype]} build: ${onnx} is not in ${where}${offer}`);
  }
  return new EncoderLoadError(`${id}: ${where} is missing ${missing.join(', ')} (a model needs ${requiredModelFiles(dtype).join(', ')})${offer}`);
}

const NOT_FOUND = /could not locate file|\b40[134]\b|not found|Unauthorized|Forbidden|reading 'tokenizer_class'|reading 'model_type'/i;
const NO_NETWORK = /fetch failed|Failed to fetch|NetworkError|Load failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|network/i;

/**
 * Why transformers.js could not load `what` (the tokenizer files or an ONNX file) for `id`.
 * `localHint` says where a local copy was looked for and not found (e.g. "this server's models
 * directory"), so the message can say both places.
 */
export function explainLoadError(id: string, what: string, error: unknown, options: { localHint?: string; dtype?: EncoderDtype } = {}): EncoderLoadError {
  const { localHint, dtype = 'fp32' } = options;
  const message = (error as Error)?.message ?? String(error);
  const local = localHint ? ` and it is not in ${localHint}` : '';
  if (NOT_FOUND.test(message)) {
    if (dtype !== 'fp32' && what === onnxFile(dtype)) {
      return new EncoderLoadError(`${id} has no ${BUILD_NAME[dtype]} build on the Hugging Face Hub: ${what} is not there${localHint ? ` (nor in ${localHint})` : ''}; pick fp32`);
    }
    return new EncoderLoadError(`model "${id}" not found on the Hugging Face Hub (no ${what} there)${local}: check the id, or load a local folder with ${requiredModelFiles(dtype).join(', ')}`);
  }
  if (NO_NETWORK.test(message)) {
    return new EncoderLoadError(`model "${id}" could not be downloaded: the Hugging Face Hub could not be reached (no network?)${local}`);
  }
  if (/Unexpected token|JSON/i.test(message)) {
    return new EncoderLoadError(`model "${id}": ${what} is not valid (${message})`);
  }
  return new EncoderLoadError(`model "${id}" failed to load (${what}): ${message}`);
}
