/**
 * Building blocks the architectures share: linear layers, LayerNorm, activations and multi-head
 * attention, as standard ONNX ops on hidden states kept as [B·S, H] matrices.
 */
import type { Graph } from '../../onnx/graph';
import { EncoderLoadError } from '../types';
import type { Weights } from '../weights';
import type { GraphIO } from './types';

/** A positive whole number from config.json, or a clear error naming the field. */
export function configInt(raw: Record<string, unknown>, model: string, ...keys: string[]): number {
  for (const key of keys) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new EncoderLoadError(`${model}: config.json's ${key} must be a positive whole number, not ${JSON.stringify(v)}`);
    return v;
  }
  throw new EncoderLoadError(`${model}: config.json has no ${keys.join(' or ')}`);
}

export function configNumber(raw: Record<string, unknown>, key: string, fallback: number): number {
  const v = raw[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function checkHeads(model: string, hidden: number, heads: number): void {
  if (hidden % heads !== 0) throw new EncoderLoadError(`${model}: hidden size ${hidden} is not a multiple of the ${heads} attention heads`);
}

export type Activation = 'gelu' | 'gelu_tanh' | 'relu' | 'silu';

/** config.json's hidden_act / activation_function, as one of the activations built here. */
export function activation(model: string, name: unknown): Activation {
  switch (name) {
    case 'gelu': return 'gelu';
    case 'gelu_new': case 'gelu_pytorch_tanh': case 'gelu_fast': return 'gelu_tanh';
    case 'relu': return 'relu';
    case 'silu': case 'swish': return 'silu';
    default: throw new EncoderLoadError(`${model}: activation ${JSON.stringify(name)} is not supported (gelu, gelu_new, gelu_pytorch_tanh, relu, silu)`);
  }
}

export class Blocks {
  constructor(readonly g: Graph, readonly w: Weights, readonly io: GraphIO) {}

  /** An embedding table [rows, cols] as an initializer; rows default to the checkpoint's (vocabularies may be padded). */
  table(name: string, cols: number, rows = this.w.shape(name)?.[0] ?? 0): string {
    return this.g.weight(name, this.w.get(name, [rows, cols]), [rows, cols]);
  }

  /** BERT's post-LayerNorm feed-forward (also MPNet's): LN(x + W₂·act(W₁·x)) under `${p}.intermediate` and `${p}.output`. */
  feedForward(x: string, p: string, hidden: number, intermediate: number, act: Activation, eps: number): string {
    const up = this.act(this.linear(x, `${p}.intermediate.dense`, hidden, intermediate), act);
    return this.layerNorm(this.g.op('Add', [this.linear(up, `${p}.output.dense`, intermediate, hidden), x]), `${p}.output.LayerNorm`, hidden, eps);
  }

  /** y = x Wᵀ + b with W stored [out, in] as in PyTorch (Gemm transB, no transpose copy). */
  linear(x: string, prefix: string, fanIn: number, fanOut: number, bias = true): string {
    const W = this.g.weight(`${prefix}.weight`, this.w.get(`${prefix}.weight`, [fanOut, fanIn]), [fanOut, fanIn]);
    const inputs = [x, W];
    if (bias) inputs.push(this.g.weight(`${prefix}.bias`, this.w.get(`${prefix}.bias`, [fanOut]), [fanOut]));
    return this.g.op('Gemm', inputs, { transB: 1 }, prefix.replace(/\W+/g, '_'));
  }

  /** A [rows, fanOut] block of rows of a fused weight (e.g. the q, k or v third of NomicBert's Wqkv). */
  linearRows(x: string, name: string, weight: Float32Array, bias: Float32Array | undefined, row0: number, rows: number, fanIn: number): string {
    const inputs = [x, this.g.weight(`${name}.weight`, weight.subarray(row0 * fanIn, (row0 + rows) * fanIn), [rows, fanIn])];
    if (bias) inputs.push(this.g.weight(`${name}.bias`, bias.subarray(row0, row0 + rows), [rows]));
    return this.g.op('Gemm', inputs, { transB: 1 }, name.replace(/\W+/g, '_'));
  }

  layerNorm(x: string, prefix: string, size: number, eps: number): string {
    const gamma = this.g.weight(`${prefix}.weight`, this.w.get(`${prefix}.weight`, [size]), [size]);
    const beta = this.g.weight(`${prefix}.bias`, this.w.get(`${prefix}.bias`, [size]), [size]);
    return this.g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: { f: eps } }, `${prefix.replace(/\W+/g, '_')}_ln`);
  }

  act(x: string, kind: Activation): string {
    const { g } = this;
    switch (kind) {
      case 'gelu': // x·½·(1 + erf(x/√2)), as torch's exact GELU
        return g.op('Mul', [g.op('Mul', [x, g.scalar(0.5)]), g.op('Add', [g.scalar(1), g.op('Erf', [g.op('Div', [x, g.scalar(Math.SQRT2)])])])]);
      case 'gelu_tanh': { // ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
        const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
        const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [cube, g.scalar(0.044715)])]), g.scalar(Math.sqrt(2 / Math.PI))]);
        return g.op('Mul', [g.op('Mul', [x, g.scalar(0.5)]), g.op('Add', [g.scalar(1), g.op('Tanh', [inner])])]);
      }
      case 'relu':
        return g.op('Relu', [x]);
      case 'silu':
        return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    }
  }

  /** [B·S, H] → [B, heads, S, hd] */
  heads(x: string, heads: number, headDim: number): string {
    const shape = this.g.op('Concat', [this.io.batchSeq, this.g.ints([heads, headDim])], { axis: 0 });
    return this.g.op('Transpose', [this.g.op('Reshape', [x, shape])], { perm: [0, 2, 1, 3] });
  }

  /**
   * Scaled dot-product attention: softmax(q kᵀ/√hd + bias) v, for q, k, v as [B, heads, S, hd];
   * `bias` broadcasts to [B, heads, S, S]. Returns the context as [B·S, H] and the probabilities.
   */
  attention(q: string, k: string, v: string, bias: string, hidden: number, headDim: number): { context: string; probs: string } {
    const { g } = this;
    const scores = g.op('Div', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.scalar(Math.sqrt(headDim))]);
    const probs = g.op('Softmax', [g.op('Add', [scores, bias])], { axis: -1 }, 'attention_probs');
    const context = g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] });
    return { context: g.op('Reshape', [context, g.ints([-1, hidden])]), probs };
  }
}

/** Positions 0…S−1 for every row of a batch (BERT's absolute positions). */
export function arangePositions(ids: number[][], start = 0): BigInt64Array {
  const S = ids[0]?.length ?? 0;
  const out = new BigInt64Array(ids.length * S);
  for (let b = 0; b < ids.length; b++) for (let s = 0; s < S; s++) out[b * S + s] = BigInt(start + s);
  return out;
}

/** A [B, S] int64 tensor of zeros (token types of single-segment texts). */
export function zerosInt64(ids: number[][]): BigInt64Array {
  return new BigInt64Array(ids.length * (ids[0]?.length ?? 0));
}
