/**
 * The weights route: a model straight from its own checkpoint (config.json + tokenizer files +
 * safetensors), with every layer. The architecture file for config.json's model_type builds the
 * network as an ONNX graph whose outputs are the hidden state of every layer (and each layer's
 * attention probabilities); onnxruntime runs it (onnxruntime-web on WebGPU or WASM in the worker,
 * onnxruntime-node on the CPU in the CLI), the same runtime transformers.js drives.
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { Graph } from '../onnx/graph';
import { architectureFor, type Architecture, type BaseConfig, type Feeds, type GraphIO } from './architectures';
import { checkpointTokenizer } from './checkpoint-tokenizer';
import { pytorchOnlyMessage, type ModelFiles } from './model-files';
import type { OnnxRuntime, OnnxSession } from './runtime/types';
import { parseSafetensors, parseShardIndex, type SafetensorsFile } from './safetensors';
import { tokenizerMaxLength, tokenLookup, truncatedInputs } from './transformer';
import type { EncodedText, EncodeOptions, Encoder, EncoderDevice, EncoderInfo, LoadProgress } from './types';
import { EncoderLoadError } from './types';
import { canonicalName, Weights } from './weights';

export interface CheckpointOptions {
  runtime: OnnxRuntime;
  device: EncoderDevice;
  fallbackReason?: string;
  onProgress?: (p: LoadProgress) => void;
  /** What to suggest when the repo has only pytorch_model.bin (e.g. a revision with safetensors). */
  safetensorsHint?: string;
}

/** Graph output names: hidden states 0…L and attention probabilities 1…L. */
export const hiddenOutput = (layer: number) => `hidden_states.${layer}`;
export const attentionOutput = (layer: number) => `attentions.${layer}`;

export interface CheckpointGraph {
  model: Uint8Array;
  config: BaseConfig;
  architecture: Architecture;
  storage: string[];
}

/** The weight files: one model.safetensors, or the shards an index lists. */
export async function weightFiles(files: ModelFiles, hint?: string): Promise<string[]> {
  if (await files.exists('model.safetensors')) return ['model.safetensors'];
  if (await files.exists('model.safetensors.index.json')) {
    return parseShardIndex('model.safetensors.index.json', await files.text('model.safetensors.index.json')).shards;
  }
  if (await files.exists('pytorch_model.bin')) {
    throw new EncoderLoadError(pytorchOnlyMessage(files, hint));
  }
  throw new EncoderLoadError(`${files.label} has no model.safetensors (nor a sharded model.safetensors.index.json) in ${files.where}`);
}

/** config.json as an object, or a clear error. */
export async function readConfig(files: ModelFiles): Promise<Record<string, unknown>> {
  if (!(await files.exists('config.json'))) throw new EncoderLoadError(`${files.label} has no config.json in ${files.where}`);
  try {
    const config = JSON.parse(await files.text('config.json'));
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error('not a JSON object');
    // Old configs name only the class (BertForMaskedLM): take the model type from it.
    const [first] = Array.isArray(config.architectures) ? config.architectures : [];
    if (config.model_type === undefined && typeof first === 'string') {
      config.model_type = /^NomicBert/.test(first) ? 'nomic_bert' : /^MPNet/.test(first) ? 'mpnet' : /^Bert/.test(first) ? 'bert' : undefined;
    }
    return config;
  } catch (error) {
    if (error instanceof EncoderLoadError) throw error;
    throw new EncoderLoadError(`${files.label}: config.json is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * The ONNX graph of a checkpoint: inputs input_ids and attention_mask ([batch, sequence] int64) plus
 * the architecture's own; outputs hidden_states.0…L ([batch, sequence, hidden]) and, with
 * `attentions`, attentions.1…L ([batch, heads, sequence, sequence]).
 */
export function buildCheckpointGraph(label: string, rawConfig: Record<string, unknown>, sources: SafetensorsFile[], attentions = true): CheckpointGraph {
  const architecture = architectureFor(rawConfig.model_type, label);
  const config = architecture.config(rawConfig, label);
  const weights = new Weights(label, sources, architecture.prefixes);
  const g = new Graph(label);
  const inputIds = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const mask = g.input('attention_mask', 'int64', ['batch', 'sequence']);
  const batchSeq = g.op('Shape', [inputIds]);
  // (1 − mask)·(−1e9) as [B, 1, 1, S]: padding keys get no attention.
  const maskBias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.scalar(1), g.op('Cast', [mask], { to: 1 })]), g.scalar(-1e9)]), g.ints([1, 2])]);
  const io: GraphIO = { inputIds, batchSeq, maskBias, input: (name, type, dims) => g.input(name, type, dims) };
  const net = architecture.build(g, weights, config, io);
  const outShape = g.op('Concat', [batchSeq, g.ints([config.hidden])], { axis: 0 });
  net.hidden.forEach((h, k) => g.output(g.op('Reshape', [h, outShape]), hiddenOutput(k), 'float32', ['batch', 'sequence', config.hidden]));
  if (attentions) net.attentions.forEach((a, k) => g.output(a, attentionOutput(k + 1), 'float32', ['batch', config.heads, 'sequence', 'sequence']));
  const storage = [...new Set(sources.flatMap((s) => [...s.entries.values()].filter((e) => weights.used.has(canonicalName(e.name, architecture.prefixes))).map((e) => e.dtype)))];
  return { model: g.toModel(), config, architecture, storage };
}

/** Loads a checkpoint into an encoder that returns any layer (or all) and attention probabilities. */
export async function loadCheckpointEncoder(files: ModelFiles, options: CheckpointOptions): Promise<Encoder> {
  const label = files.label;
  const rawConfig = await readConfig(files);
  const architecture = architectureFor(rawConfig.model_type, label);
  architecture.config(rawConfig, label); // config problems before any download
  const tokenizer = await checkpointTokenizer(files, architecture.tokenizerClass);
  const shards = await weightFiles(files, options.safetensorsHint);
  const sources: SafetensorsFile[] = [];
  const sizes = await Promise.all(shards.map((s) => files.size(s)));
  const total = sizes.reduce<number>((a, b) => a + (b ?? 0), 0);
  let before = 0;
  for (const [k, shard] of shards.entries()) {
    const bytes = await files.bytes(shard, (loaded, size) => options.onProgress?.({
      file: shard, loaded: before + loaded, total: Math.max(total, before + size), filesDone: k, filesSeen: shards.length, status: 'download',
    }));
    before += bytes.length;
    try {
      sources.push(parseSafetensors(shard, bytes));
    } catch (error) {
      // A damaged file names its model: "org/name: model.safetensors is truncated …".
      throw error instanceof EncoderLoadError ? new EncoderLoadError(`${files.label}: ${error.message}`) : error;
    }
  }
  const built = buildCheckpointGraph(label, rawConfig, sources);
  sources.length = 0;
  let session: OnnxSession;
  try {
    session = await options.runtime.create(built.model, options.device);
  } catch (error) {
    throw new Error(`${label}: onnxruntime could not load the graph built from the weights (${(error as Error).message})`);
  }
  options.onProgress?.({ file: '', loaded: 0, total: 0, filesDone: shards.length, filesSeen: shards.length, status: 'ready' });
  const { config } = built;
  const info: EncoderInfo = {
    id: label, kind: 'transformer', device: options.device, dtype: 'fp32', width: config.hidden,
    maxTokens: Math.min(config.maxTokens, tokenizerMaxLength(tokenizer)), fallbackReason: options.fallbackReason,
    decoder: false, route: 'weights', layers: config.layers, heads: config.heads,
    modelType: architecture.modelType, storage: built.storage.join('+'),
  };
  return checkpointEncoder(info, tokenizer, session, architecture, config);
}

function layerIndex(info: EncoderInfo, layer: number): number {
  const L = info.layers ?? 0;
  const k = layer < 0 ? L + 1 + layer : layer;
  if (!Number.isInteger(layer) || k < 0 || k > L) throw new EncoderLoadError(`${info.id} has layers 0…${L} (0 = embeddings, ${L} = last); there is no layer ${layer}`);
  return k;
}

function checkpointEncoder(info: EncoderInfo, tokenizer: PreTrainedTokenizer, session: OnnxSession, architecture: Architecture, config: BaseConfig): Encoder {
  const { tokenOf, isSpecial } = tokenLookup(tokenizer);
  const L = config.layers;
  return {
    info,
    async encode(texts: string[], options: EncodeOptions = {}): Promise<EncodedText[]> {
      const all = options.layer === 'all';
      const layer = all ? L : layerIndex(info, typeof options.layer === 'number' ? options.layer : -1);
      const hiddenNames = all ? Array.from({ length: L + 1 }, (_, k) => hiddenOutput(k)) : [hiddenOutput(layer)];
      const attentionNames = options.attentions ? Array.from({ length: L }, (_, k) => attentionOutput(k + 1)) : [];
      const out: EncodedText[] = [];
      // One text per forward pass: no padding rows to strip, and memory stays bounded.
      for (const text of texts) {
        const { inputs, fullLength } = truncatedInputs(tokenizer, text, info.maxTokens);
        const ids = Array.from(inputs.input_ids.data as BigInt64Array, Number);
        const n = ids.length;
        const mask = ids.map(() => 1);
        const feeds: Feeds = {
          input_ids: { type: 'int64', data: BigInt64Array.from(ids, BigInt), dims: [1, n] },
          attention_mask: { type: 'int64', data: new BigInt64Array(n).fill(1n), dims: [1, n] },
          ...architecture.feeds([ids], [mask], config),
        };
        let result: Awaited<ReturnType<OnnxSession['run']>>;
        try {
          result = await session.run(feeds, [...hiddenNames, ...attentionNames]);
        } catch (error) {
          throw new Error(`${info.id} failed to encode a text (${(error as Error).message})`);
        }
        // Own buffers, so each can be transferred to the main thread on its own.
        const layers = hiddenNames.map((name) => result[name].data.slice());
        out.push({
          text, ids, tokens: ids.map(tokenOf), special: Uint8Array.from(ids, isSpecial), offsets: null,
          vectors: layers[layers.length - 1], n, d: config.hidden, truncated: fullLength > n, fullLength, layer,
          ...(all ? { layers } : {}),
          ...(options.attentions ? { attentions: attentionNames.map((name) => result[name].data.slice()) } : {}),
        });
      }
      return out;
    },
    async dispose() {
      await session.release();
    },
  };
}
