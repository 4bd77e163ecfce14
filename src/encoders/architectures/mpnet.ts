/**
 * MPNet, after transformers' modeling_mpnet.py: absolute positions counted from padding_idx + 1 = 2,
 * a relative position bias (T5-style buckets) shared by every layer, post-LayerNorm.
 */
import { activation, Blocks, checkHeads, configInt, configNumber, type Activation } from './blocks';
import type { Architecture, BaseConfig } from './types';

export interface MpnetConfig extends BaseConfig {
  intermediate: number;
  positions: number;
  buckets: number;
  eps: number;
  act: Activation;
}

const PADDING_IDX = 1;

/**
 * transformers' MPNetEncoder.relative_position_bucket for one relative position (key − query),
 * with its float32 arithmetic reproduced (Math.fround at each step) so the truncation matches torch.
 */
export function relativePositionBucket(relative: number, numBuckets = 32, maxDistance = 128): number {
  const half = numBuckets / 2;
  let n = -relative;
  const ret = n < 0 ? half : 0;
  n = Math.abs(n);
  const maxExact = half / 2;
  if (n < maxExact) return ret + n;
  const f = Math.fround;
  const scaled = f(f(f(Math.log(f(n / maxExact))) / f(Math.log(maxDistance / maxExact))) * (half - maxExact));
  return ret + Math.min(maxExact + Math.trunc(scaled), half - 1);
}

export const mpnet: Architecture<MpnetConfig> = {
  modelType: 'mpnet',
  prefixes: ['mpnet.'],
  tokenizerClass: 'MPNetTokenizer',

  config(raw, model) {
    const hidden = configInt(raw, model, 'hidden_size');
    const heads = configInt(raw, model, 'num_attention_heads');
    checkHeads(model, hidden, heads);
    const positions = configInt(raw, model, 'max_position_embeddings');
    return {
      hidden, heads, layers: configInt(raw, model, 'num_hidden_layers'), intermediate: configInt(raw, model, 'intermediate_size'),
      positions, maxTokens: positions - PADDING_IDX - 1, buckets: configNumber(raw, 'relative_attention_num_buckets', 32),
      eps: configNumber(raw, 'layer_norm_eps', 1e-12), act: activation(model, raw.hidden_act ?? 'gelu'),
    };
  },

  build(g, w, c, io) {
    const b = new Blocks(g, w, io);
    const H = c.hidden;
    const headDim = H / c.heads;
    const positions = io.input('position_ids', 'int64', ['batch', 'sequence']);
    const buckets = io.input('relative_buckets', 'int64', ['sequence', 'sequence']);
    const embedded = g.op('Add', [
      g.op('Gather', [b.table('embeddings.word_embeddings.weight', H), io.inputIds]),
      g.op('Gather', [b.table('embeddings.position_embeddings.weight', H, c.positions), positions]),
    ]);
    let x = b.layerNorm(g.op('Reshape', [embedded, g.ints([-1, H])]), 'embeddings.LayerNorm', H, c.eps);
    // [S, S, heads] → [1, heads, S, S], plus the padding mask: one bias for every layer.
    const relative = g.op('Gather', [b.table('encoder.relative_attention_bias.weight', c.heads, c.buckets), buckets]);
    const positionBias = g.op('Unsqueeze', [g.op('Transpose', [relative], { perm: [2, 0, 1] }), g.ints([0])]);
    const bias = g.op('Add', [positionBias, io.maskBias]);
    const hidden = [x];
    const attentions: string[] = [];
    for (let l = 0; l < c.layers; l++) {
      const p = `encoder.layer.${l}`;
      const head = (name: string) => b.heads(b.linear(x, `${p}.attention.attn.${name}`, H, H), c.heads, headDim);
      const { context, probs } = b.attention(head('q'), head('k'), head('v'), bias, H, headDim);
      x = b.layerNorm(g.op('Add', [b.linear(context, `${p}.attention.attn.o`, H, H), x]), `${p}.attention.LayerNorm`, H, c.eps);
      x = b.feedForward(x, p, H, c.intermediate, c.act, c.eps);
      hidden.push(x);
      attentions.push(probs);
    }
    return { hidden, attentions };
  },

  feeds(ids, _mask, c) {
    const B = ids.length;
    const S = ids[0].length;
    // create_position_ids_from_input_ids: running count of non-padding tokens + padding_idx.
    const positions = new BigInt64Array(B * S);
    for (let r = 0; r < B; r++) {
      let count = 0;
      for (let s = 0; s < S; s++) {
        const real = ids[r][s] !== PADDING_IDX;
        if (real) count++;
        positions[r * S + s] = BigInt(real ? count + PADDING_IDX : PADDING_IDX);
      }
    }
    const buckets = new BigInt64Array(S * S);
    for (let q = 0; q < S; q++) for (let k = 0; k < S; k++) buckets[q * S + k] = BigInt(relativePositionBucket(k - q, c.buckets));
    return {
      position_ids: { type: 'int64', data: positions, dims: [B, S] },
      relative_buckets: { type: 'int64', data: buckets, dims: [S, S] },
    };
  },
};
