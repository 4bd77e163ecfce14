/**
 * NomicBert, after nomic-ai/contrastors' modeling_hf_nomic_bert.py (nomic-bert-2048,
 * nomic-embed-text): no position embeddings but rotary ones (GPT-NeoX style, rotate_half) on q and k,
 * a fused Wqkv projection, a gated MLP (SwiGLU by default), optional biases, post-LayerNorm.
 */
import { EncoderLoadError } from '../types';
import { Blocks, checkHeads, configInt, configNumber, type Activation } from './blocks';
import type { Architecture, BaseConfig } from './types';

export interface NomicConfig extends BaseConfig {
  inner: number;
  gated: boolean;
  /** The activation of the gate (gated MLPs) or of fc1 (plain MLPs). */
  act: Activation | 'sigmoid';
  typeVocab: number;
  eps: number;
  rotaryBase: number;
  qkvBias: boolean;
  fc1Bias: boolean;
  fc2Bias: boolean;
}

const flag = (raw: Record<string, unknown>, key: string, fallback: boolean) => (typeof raw[key] === 'boolean' ? (raw[key] as boolean) : fallback);

export const nomicBert: Architecture<NomicConfig> = {
  modelType: 'nomic_bert',
  prefixes: ['bert.'],
  tokenizerClass: 'BertTokenizer',

  config(raw, model) {
    const unsupported = (what: string) => new EncoderLoadError(`${model}: this NomicBert uses ${what}, which Poolscope does not build (it builds nomic-bert-2048 and nomic-embed-text: rotary on the whole head, post-norm, bidirectional)`);
    if (configNumber(raw, 'rotary_emb_fraction', 0) !== 1) throw unsupported(`rotary_emb_fraction ${JSON.stringify(raw.rotary_emb_fraction)}`);
    if (raw.rotary_emb_interleaved === true) throw unsupported('interleaved rotary embeddings');
    if (raw.rotary_emb_scale_base !== undefined && raw.rotary_emb_scale_base !== null) throw unsupported('xPos rotary scaling');
    if (raw.prenorm === true) throw unsupported('pre-LayerNorm blocks');
    if (raw.causal === true) throw unsupported('causal attention');
    const hidden = configInt(raw, model, 'n_embd', 'hidden_size');
    const heads = configInt(raw, model, 'n_head', 'num_attention_heads');
    checkHeads(model, hidden, heads);
    const fn = raw.activation_function ?? 'swiglu';
    const gated = fn === 'swiglu' || fn === 'geglu' || fn === 'glu';
    // NomicBertBlock hands the MLP F.sigmoid (glu), F.silu (swiglu) or F.gelu (everything else, the
    // tanh-named variants included: the function object, not the name, reaches the MLP).
    const known = ['swiglu', 'geglu', 'glu', 'gelu', 'gelu_new', 'gelu_fast', 'gelu_pytorch_tanh'];
    const act = fn === 'swiglu' ? 'silu' : fn === 'glu' ? 'sigmoid' : 'gelu';
    if (!known.includes(fn as string)) throw new EncoderLoadError(`${model}: activation_function ${JSON.stringify(fn)} is not supported (swiglu, geglu, glu, gelu, gelu_new)`);
    // Gated MLPs round their width up to a multiple of 256 (NomciBertGatedMLP's multiple_of).
    const given = typeof raw.n_inner === 'number' ? raw.n_inner : gated ? Math.floor((8 * hidden) / 3) : 4 * hidden;
    const inner = gated ? Math.ceil(given / 256) * 256 : given;
    // Positions beyond max_trained_positions would switch on dynamic NTK scaling: texts are cut there instead.
    const maxTokens = [raw.max_trained_positions, raw.n_positions, 2048].find((v): v is number => typeof v === 'number' && v > 0)!;
    return {
      hidden, heads, layers: configInt(raw, model, 'n_layer', 'num_hidden_layers'), inner, gated, act, maxTokens,
      typeVocab: configNumber(raw, 'type_vocab_size', 2), eps: configNumber(raw, 'layer_norm_epsilon', 1e-12),
      rotaryBase: configNumber(raw, 'rotary_emb_base', 10000),
      qkvBias: flag(raw, 'qkv_proj_bias', true), fc1Bias: flag(raw, 'mlp_fc1_bias', true), fc2Bias: flag(raw, 'mlp_fc2_bias', true),
    };
  },

  build(g, w, c, io) {
    const b = new Blocks(g, w, io);
    const H = c.hidden;
    const headDim = H / c.heads;
    let embedded = g.op('Gather', [b.table('embeddings.word_embeddings.weight', H), io.inputIds]);
    if (c.typeVocab > 0) {
      const types = io.input('token_type_ids', 'int64', ['batch', 'sequence']);
      embedded = g.op('Add', [embedded, g.op('Gather', [b.table('embeddings.token_type_embeddings.weight', H, c.typeVocab), types])]);
    }
    const cos = io.input('rotary_cos', 'float32', ['sequence', headDim]);
    const sin = io.input('rotary_sin', 'float32', ['sequence', headDim]);
    const half = headDim / 2;
    const rotate = (t: string) => {
      const first = g.op('Slice', [t, g.ints([0]), g.ints([half]), g.ints([3])]);
      const second = g.op('Slice', [t, g.ints([half]), g.ints([headDim]), g.ints([3])]);
      const rotated = g.op('Concat', [g.op('Neg', [second]), first], { axis: 3 });
      return g.op('Add', [g.op('Mul', [t, cos]), g.op('Mul', [rotated, sin])]);
    };
    let x = b.layerNorm(g.op('Reshape', [embedded, g.ints([-1, H])]), 'emb_ln', H, c.eps);
    const hidden = [x];
    const attentions: string[] = [];
    for (let l = 0; l < c.layers; l++) {
      const p = `encoder.layers.${l}`;
      const wqkv = w.get(`${p}.attn.Wqkv.weight`, [3 * H, H]);
      const bqkv = c.qkvBias ? w.get(`${p}.attn.Wqkv.bias`, [3 * H]) : undefined;
      const part = (k: number, name: string) => b.heads(b.linearRows(x, `${p}.attn.${name}`, wqkv, bqkv, k * H, H, H), c.heads, headDim);
      const { context, probs } = b.attention(rotate(part(0, 'q')), rotate(part(1, 'k')), part(2, 'v'), io.maskBias, H, headDim);
      x = b.layerNorm(g.op('Add', [b.linear(context, `${p}.attn.out_proj`, H, H, c.qkvBias), x]), `${p}.norm1`, H, c.eps);
      let mlp: string;
      if (c.gated) {
        const y = b.linear(x, `${p}.mlp.fc11`, H, c.inner, c.fc1Bias);
        const gate = b.linear(x, `${p}.mlp.fc12`, H, c.inner, c.fc1Bias);
        const gated = c.act === 'sigmoid' ? g.op('Sigmoid', [gate]) : b.act(gate, c.act);
        mlp = b.linear(g.op('Mul', [y, gated]), `${p}.mlp.fc2`, c.inner, H, c.fc2Bias);
      } else {
        const up = b.act(b.linear(x, `${p}.mlp.fc1`, H, c.inner, c.fc1Bias), c.act as Activation);
        mlp = b.linear(up, `${p}.mlp.fc2`, c.inner, H, c.fc2Bias);
      }
      x = b.layerNorm(g.op('Add', [mlp, x]), `${p}.norm2`, H, c.eps);
      hidden.push(x);
      attentions.push(probs);
    }
    return { hidden, attentions };
  },

  feeds(ids, _mask, c) {
    const B = ids.length;
    const S = ids[0].length;
    const headDim = c.hidden / c.heads;
    const half = headDim / 2;
    // NomicBertRotaryEmbedding in float32: inv_freq = 1 / base^(2i/d); angles = position · inv_freq.
    const f = Math.fround;
    const invFreq = Array.from({ length: half }, (_, i) => f(1 / f(c.rotaryBase ** f((2 * i) / headDim))));
    const cos = new Float32Array(S * headDim);
    const sin = new Float32Array(S * headDim);
    for (let s = 0; s < S; s++) {
      for (let i = 0; i < half; i++) {
        const angle = f(s * invFreq[i]);
        cos[s * headDim + i] = cos[s * headDim + i + half] = Math.cos(angle);
        sin[s * headDim + i] = sin[s * headDim + i + half] = Math.sin(angle);
      }
    }
    const feeds: ReturnType<Architecture['feeds']> = {
      rotary_cos: { type: 'float32', data: cos, dims: [S, headDim] },
      rotary_sin: { type: 'float32', data: sin, dims: [S, headDim] },
    };
    if (c.typeVocab > 0) feeds.token_type_ids = { type: 'int64', data: new BigInt64Array(B * S), dims: [B, S] };
    return feeds;
  },
};
