import type { TokenMatrix } from '../math';

/** Where an encoder runs. */
export type EncoderDevice = 'webgpu' | 'wasm' | 'cpu';
export type EncoderDtype = 'fp32' | 'q8' | 'fp16';

/** One text through an encoder: its tokens and the last hidden state, one row per token. */
export interface EncodedText {
  text: string;
  tokens: string[];
  ids: number[];
  /** 1 for special tokens ([CLS], [SEP], <s>, </s>, …), else 0. */
  special: Uint8Array;
  /** Character [start, end) of each token in `text`, or null where the tokenizer gives none. */
  offsets: [number, number][] | null;
  /** n × d, row-major. */
  vectors: Float32Array;
  n: number;
  d: number;
  /** True when the text had more tokens than the model takes; `fullLength` says how many. */
  truncated: boolean;
  fullLength: number;
  /** Words the encoder has no vector for (static encoders only): left out of `tokens`. */
  unknown?: string[];
  /** Which layer `vectors` holds (0 = embeddings after their LayerNorm … L = last hidden state). */
  layer?: number;
  /** Every layer's hidden state (n × d each, 0…L), when asked for with `layer: 'all'`. */
  layers?: Float32Array[];
  /** Attention probabilities of layers 1…L (heads × n × n each, row = query), when asked for. */
  attentions?: Float32Array[];
}

/** What to return from a forward pass. Only the weights route has inner layers and attention. */
export interface EncodeOptions {
  /** A layer 0…L (negative counts from the end: −1 = last, the default), or 'all'. */
  layer?: number | 'all';
  attentions?: boolean;
}

/** What a loaded encoder says about itself. */
export interface EncoderInfo {
  id: string;
  kind: 'transformer' | 'static';
  device: EncoderDevice;
  dtype: EncoderDtype;
  width: number;
  maxTokens: number;
  /** Why the device is not the preferred one (e.g. no WebGPU adapter), if it is not. */
  fallbackReason?: string;
  /** A decoder (causal) model: last-token pooling is its natural sentence vector. */
  decoder?: boolean;
  /** 'onnx': a transformers.js export (last layer only); 'weights': built from the checkpoint (every layer). */
  route?: 'onnx' | 'weights';
  /** Transformer layers L (hidden states 0…L); absent where only the last layer is available. */
  layers?: number;
  heads?: number;
  /** config.json's model_type, and what the weights were stored as (F32, F16, BF16). */
  modelType?: string;
  storage?: string;
}

export interface Encoder {
  readonly info: EncoderInfo;
  encode(texts: string[], options?: EncodeOptions): Promise<EncodedText[]>;
  dispose(): Promise<void>;
}

/** Model download progress: bytes of the current file and files seen/finished. */
export interface LoadProgress {
  file: string;
  loaded: number;
  total: number;
  filesDone: number;
  filesSeen: number;
  status: 'download' | 'done' | 'ready';
}

/** The ONNX file transformers.js loads for a dtype. */
export function onnxFile(dtype: EncoderDtype): string {
  return { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx', fp16: 'onnx/model_fp16.onnx' }[dtype];
}

/** Files a model folder needs, by dtype. */
export function requiredModelFiles(dtype: EncoderDtype = 'fp32'): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFile(dtype)];
}

/** A user-facing loading problem (bad id, missing files, offline): one line, says what to do. */
export class EncoderLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncoderLoadError';
  }
}

/** Encoders without inner layers (ONNX exports, GloVe) refuse any layer but the last, saying why. */
export function onlyLastLayer(info: EncoderInfo, options?: EncodeOptions): void {
  const layer = options?.layer;
  if (layer === undefined || layer === -1 || options?.attentions) {
    if (options?.attentions) throw new EncoderLoadError(`${info.id} gives no attention probabilities: ${whyNoLayers(info)}`);
    return;
  }
  throw new EncoderLoadError(`${info.id} gives only its ${info.kind === 'static' ? 'word vectors' : 'last layer'}, not layer ${layer}: ${whyNoLayers(info)}`);
}

export function whyNoLayers(info: EncoderInfo): string {
  return info.kind === 'static'
    ? 'static word vectors have no layers'
    : 'this is an ONNX export; load the model from its own weights (safetensors) for every layer';
}

/** The token cloud SOCM measures: every token under the mask, or (option) without special tokens. */
export function tokenCloud(encoded: EncodedText, excludeSpecial = false, vectors = encoded.vectors): TokenMatrix {
  if (!excludeSpecial) return { n: encoded.n, d: encoded.d, data: vectors };
  const keep: number[] = [];
  encoded.special.forEach((s, i) => s === 0 && keep.push(i));
  const data = new Float32Array(keep.length * encoded.d);
  keep.forEach((i, k) => data.set(vectors.subarray(i * encoded.d, (i + 1) * encoded.d), k * encoded.d));
  return { n: keep.length, d: encoded.d, data };
}

/** The token cloud at every layer (encoded with `layer: 'all'`), 0…L. */
export function layerClouds(encoded: EncodedText, excludeSpecial = false): TokenMatrix[] {
  if (!encoded.layers) throw new Error('the text was not encoded with every layer');
  return encoded.layers.map((vectors) => tokenCloud(encoded, excludeSpecial, vectors));
}
