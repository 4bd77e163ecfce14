import type { Graph } from '../../onnx/graph';
import type { Weights } from '../weights';

/** What every architecture reads from config.json (plus its own fields). */
export interface BaseConfig {
  hidden: number;
  layers: number;
  heads: number;
  /** Most tokens one forward pass takes. */
  maxTokens: number;
}

/** One input tensor for onnxruntime: row-major data with its dims. */
export type FeedTensor =
  | { type: 'int64'; data: BigInt64Array; dims: number[] }
  | { type: 'float32'; data: Float32Array; dims: number[] };
export type Feeds = Record<string, FeedTensor>;

/**
 * Values every graph starts from, made by the encoder: `input_ids` and `attention_mask` ([B, S]
 * int64 inputs), `batchSeq` = Shape(input_ids), and `maskBias` = (1 − mask)·(−1e9) as [B, 1, 1, S].
 */
export interface GraphIO {
  inputIds: string;
  batchSeq: string;
  maskBias: string;
  /** Declares an architecture-specific input (e.g. position_ids) and returns its value name. */
  input(name: string, type: 'int64' | 'float32', dims: (number | string)[]): string;
}

/** The network's values: hidden state of every layer as [B·S, H] (0 = embeddings), attention probabilities [B, heads, S, S] of layers 1…L. */
export interface Network {
  hidden: string[];
  attentions: string[];
}

/**
 * A model architecture, keyed by config.json's `model_type`: how to read its config, which weight
 * prefixes its checkpoints use, how to build its ONNX graph, and which extra inputs to feed.
 */
export interface Architecture<C extends BaseConfig = BaseConfig> {
  readonly modelType: string;
  /** Task-model prefixes stripped from weight names (`bert.` in BertForPreTraining checkpoints). */
  readonly prefixes: readonly string[];
  /** transformers.js tokenizer class when tokenizer_config.json does not name one. */
  readonly tokenizerClass: string;
  config(raw: Record<string, unknown>, model: string): C;
  build(g: Graph, w: Weights, c: C, io: GraphIO): Network;
  /** Architecture-specific inputs for a padded batch: ids [B][S], mask [B][S] (1 = token). */
  feeds(ids: number[][], mask: number[][], c: C): Feeds;
}
