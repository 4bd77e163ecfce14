/**
 * BERT, after transformers' modeling_bert.py (absolute positions, post-LayerNorm). Covers
 * bert-base-uncased, MiniLM, unsup-SimCSE, E5, GTE, all-MiniLM-L12-v2, BGE and most hub encoders.
 */
import { EncoderLoadError } from '../types';
import { activation, arangePositions, Blocks, checkHeads, configInt, configNumber, type Activation } from './blocks';
import type { Architecture, BaseConfig } from './types';

export interface BertConfig extends BaseConfig {
  intermediate: number;
  positions: number;
  typeVocab: number;
  eps: number;
  act: Activation;
}

export const bert: Architecture<BertConfig> = {
  modelType: 'bert',
  prefixes: ['bert.'],
  tokenizerClass: 'BertTokenizer',

  config(raw, model) {
    const kind = raw.position_embedding_type ?? 'absolute';
    if (kind !== 'absolute') throw new EncoderLoadError(`${model}: position_embedding_type ${JSON.stringify(kind)} is not supported (only absolute)`);
    const hidden = configInt(raw, model, 'hidden_size');
    const heads = configInt(raw, model, 'num_attention_heads');
    checkHeads(model, hidden, heads);
    const positions = configInt(raw, model, 'max_position_embeddings');
    return {
      hidden, heads, layers: configInt(raw, model, 'num_hidden_layers'), intermediate: configInt(raw, model, 'intermediate_size'),
      positions, maxTokens: positions, typeVocab: configInt(raw, model, 'type_vocab_size'),
      eps: configNumber(raw, 'layer_norm_eps', 1e-12), act: activation(model, raw.hidden_act ?? 'gelu'),
    };
  },

  build(g, w, c, io) {
    const b = new Blocks(g, w, io);
    const H = c.hidden;
    const headDim = H / c.heads;
    const positions = io.input('position_ids', 'int64', ['batch', 'sequence']);
    const types = io.input('token_type_ids', 'int64', ['batch', 'sequence']);
    const embedded = g.op('Add', [
      g.op('Add', [
        g.op('Gather', [b.table('embeddings.word_embeddings.weight', H), io.inputIds]),
        g.op('Gather', [b.table('embeddings.position_embeddings.weight', H, c.positions), positions]),
      ]),
      g.op('Gather', [b.table('embeddings.token_type_embeddings.weight', H, c.typeVocab), types]),
    ]);
    let x = b.layerNorm(g.op('Reshape', [embedded, g.ints([-1, H])]), 'embeddings.LayerNorm', H, c.eps);
    const hidden = [x];
    const attentions: string[] = [];
    for (let l = 0; l < c.layers; l++) {
      const p = `encoder.layer.${l}`;
      const head = (name: string) => b.heads(b.linear(x, `${p}.attention.self.${name}`, H, H), c.heads, headDim);
      const { context, probs } = b.attention(head('query'), head('key'), head('value'), io.maskBias, H, headDim);
      x = b.layerNorm(g.op('Add', [b.linear(context, `${p}.attention.output.dense`, H, H), x]), `${p}.attention.output.LayerNorm`, H, c.eps);
      x = b.feedForward(x, p, H, c.intermediate, c.act, c.eps);
      hidden.push(x);
      attentions.push(probs);
    }
    return { hidden, attentions };
  },

  feeds(ids) {
    const dims = [ids.length, ids[0].length];
    return {
      position_ids: { type: 'int64', data: arangePositions(ids), dims },
      token_type_ids: { type: 'int64', data: new BigInt64Array(dims[0] * dims[1]), dims },
    };
  },
};
