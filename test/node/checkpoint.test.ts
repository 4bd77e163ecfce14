import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AutoTokenizer } from '@huggingface/transformers';
import { relativePositionBucket } from '../../src/encoders/architectures/mpnet';
import { buildCheckpointGraph, hiddenOutput, loadCheckpointEncoder } from '../../src/encoders/checkpoint';
import { checkpointTokenizer } from '../../src/encoders/checkpoint-tokenizer';
import { architectureFor } from '../../src/encoders/architectures';
import type { ModelFiles } from '../../src/encoders/model-files';
import { folderFiles } from '../../src/encoders/node-files';
import { loadNodeEncoder } from '../../src/encoders/node';
import { nodeRuntime } from '../../src/encoders/runtime/node';
import { decodeTensor, parseSafetensors } from '../../src/encoders/safetensors';
import { canonicalName } from '../../src/encoders/weights';
import { transformersEnv } from '../../src/encoders/transformer';
import { EncoderLoadError } from '../../src/encoders/types';
import { expectClose } from '../support/assert';
import { checkpointReference, fixtureModelsDir, useFixtureModels } from '../support/fixtures';
import { copyFixture, readTensors, writeTensors } from '../support/safetensors';
import { sharedDir } from '../support/shared';

useFixtureModels();

describe('weights route vs an independent PyTorch forward pass (every layer, Node, onnxruntime-node)', () => {
  for (const ref of checkpointReference()) {
    it(`${ref.model} (${ref.model_type}, ${ref.storage}): ids, every layer and layer 1's…L's attention within 1e-4`, async () => {
      const encoder = await loadNodeEncoder(ref.model);
      try {
        expect(encoder.info).toMatchObject({ route: 'weights', layers: ref.layers, heads: ref.heads, width: ref.hidden_size, modelType: ref.model_type, storage: ref.storage });
        const encoded = await encoder.encode(ref.texts.map((t) => t.text), { layer: 'all', attentions: true });
        encoded.forEach((e, k) => {
          const want = ref.texts[k];
          expect(e.ids).toEqual(want.ids);
          expect(e.tokens).toEqual(want.tokens);
          expect(e.layers).toHaveLength(ref.layers + 1);
          expect(e.layer).toBe(ref.layers);
          want.hidden_states.forEach((layer, l) => layer.forEach((row, i) => row.forEach((v, j) => expectClose(e.layers![l][i * e.d + j], v, 0, 1e-4, `text ${k} layer ${l} (${i},${j})`))));
          expect(Array.from(e.vectors)).toEqual(Array.from(e.layers![ref.layers]));
          want.attentions?.forEach((layer, l) => layer.forEach((head, h) => head.forEach((row, i) => row.forEach((v, j) => expectClose(e.attentions![l][(h * e.n + i) * e.n + j], v, 0, 1e-4, `attention layer ${l + 1} head ${h} (${i},${j})`)))));
        });
        // One layer on its own is the same numbers as that layer of 'all'.
        const [one] = await encoder.encode([ref.texts[0].text], { layer: 1 });
        expect(one.layer).toBe(1);
        expect(one.layers).toBeUndefined();
        expect(Array.from(one.vectors)).toEqual(Array.from(encoded[0].layers![1]));
        const [last] = await encoder.encode([ref.texts[0].text]);
        expect(Array.from(last.vectors)).toEqual(Array.from(encoded[0].layers![ref.layers]));
        await expect(encoder.encode(['x'], { layer: ref.layers + 1 })).rejects.toThrowError(new RegExp(`has layers 0…${ref.layers} .*no layer ${ref.layers + 1}`));
      } finally {
        await encoder.dispose();
      }
    });
  }

  it('MPNet relative position buckets equal torch\'s float32 arithmetic for −300…300', () => {
    const ref = checkpointReference().find((r) => r.relative_position_bucket)!.relative_position_bucket!;
    ref.buckets.forEach((want, k) => expect(relativePositionBucket(ref.from + k), `relative ${ref.from + k}`).toBe(want));
  });

  it('a padded batch in one graph run equals each text run alone (mask, MPNet positions, rotary)', async () => {
    for (const model of ['poolscope/ckpt-bert', 'poolscope/ckpt-mpnet', 'poolscope/ckpt-nomic']) {
      const folder = join(fixtureModelsDir, model);
      const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
      const arch = architectureFor(config.model_type, model);
      const built = buildCheckpointGraph(model, config, [parseSafetensors('model.safetensors', new Uint8Array(readFileSync(join(folder, 'model.safetensors'))))], false);
      const session = await nodeRuntime.create(built.model, 'cpu');
      const pad = model.endsWith('mpnet') ? 1 : 0;
      const texts = [[5, 20, 31, 40, 6], [5, 22, 6]];
      const S = 5;
      const ids = texts.map((t) => [...t, ...Array(S - t.length).fill(pad)]);
      const mask = texts.map((t) => Array.from({ length: S }, (_, s) => (s < t.length ? 1 : 0)));
      const run = async (rows: number[][], m: number[][]) => (await session.run({
        input_ids: { type: 'int64', data: BigInt64Array.from(rows.flat(), BigInt), dims: [rows.length, rows[0].length] },
        attention_mask: { type: 'int64', data: BigInt64Array.from(m.flat(), BigInt), dims: [rows.length, rows[0].length] },
        ...arch.feeds(rows, m, built.config),
      }, [hiddenOutput(built.config.layers)]))[hiddenOutput(built.config.layers)].data;
      const batch = await run(ids, mask);
      const H = built.config.hidden;
      for (const [b, t] of texts.entries()) {
        const alone = await run([t], [t.map(() => 1)]);
        for (let i = 0; i < t.length * H; i++) expectClose(batch[b * S * H + i], alone[i], 0, 1e-5, `${model} row ${b} value ${i}`);
      }
      await session.release();
    }
  });

  it('the ONNX fixtures\' own weights through the weights route give the transformers.js route\'s last layer', async () => {
    for (const model of ['poolscope/tiny-bert', 'poolscope/tiny-bert-wide']) {
      const weights = await loadNodeEncoder(model);
      const onnx = await loadNodeEncoder(model, { route: 'onnx' });
      expect([weights.info.route, onnx.info.route]).toEqual(['weights', 'onnx']);
      const texts = ['Virginia Woolf set many scenes of her novel Night and Day in Russell Square.', 'a', 'Café (1919)!'];
      const [a, b] = [await weights.encode(texts), await onnx.encode(texts)];
      a.forEach((e, k) => {
        expect(e.ids).toEqual(b[k].ids);
        e.vectors.forEach((v, i) => expectClose(v, b[k].vectors[i], 0, 1e-4, `${model} text ${k} value ${i}`));
      });
      await Promise.all([weights.dispose(), onnx.dispose()]);
    }
  });

  it('weights heads (cls.*, pooler.*) are never decoded; legacy gamma/beta and prefixes map to canonical names', () => {
    expect(canonicalName('bert.embeddings.LayerNorm.gamma', ['bert.'])).toBe('embeddings.LayerNorm.weight');
    expect(canonicalName('bert.encoder.layer.0.output.LayerNorm.beta', ['bert.'])).toBe('encoder.layer.0.output.LayerNorm.bias');
    expect(canonicalName('mpnet.encoder.relative_attention_bias.weight', ['mpnet.'])).toBe('encoder.relative_attention_bias.weight');
    expect(canonicalName('encoder.layers.0.attn.Wqkv.weight', ['bert.'])).toBe('encoder.layers.0.attn.Wqkv.weight');
    const folder = join(fixtureModelsDir, 'poolscope/ckpt-bert');
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
    const built = buildCheckpointGraph('ckpt-bert', config, [parseSafetensors('model.safetensors', new Uint8Array(readFileSync(join(folder, 'model.safetensors'))))]);
    expect(built.storage).toEqual(['F32']);
  });
});

describe('safetensors storage types', () => {
  const file = (dtype: string, words: number[]) => {
    const data = dtype === 'F32' ? new Uint8Array(Float32Array.from(words).buffer) : new Uint8Array(Uint16Array.from(words).buffer);
    let json = JSON.stringify({ t: { dtype, shape: [words.length], data_offsets: [0, data.length] } });
    json += ' '.repeat((8 - (json.length % 8)) % 8);
    const bytes = new Uint8Array(8 + json.length + data.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(new TextEncoder().encode(json), 8);
    bytes.set(data, 8 + json.length);
    return parseSafetensors('t.safetensors', bytes);
  };
  const decode = (dtype: string, words: number[]) => { const f = file(dtype, words); return Array.from(decodeTensor(f, f.entries.get('t')!)); };

  it('F16 bit patterns widen exactly: 1, −2, 65504, the smallest subnormal, ±∞, NaN', () => {
    const got = decode('F16', [0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0xfc00, 0x7e00, 0x3555]);
    expect(got.slice(0, 6)).toEqual([1, -2, 65504, 2 ** -24, Infinity, -Infinity]);
    expect(got[6]).toBeNaN();
    expect(got[7]).toBe(Math.fround(0.333251953125));
  });

  it('BF16 is the top half of a float32', () => {
    expect(decode('BF16', [0x3f80, 0xc040, 0x3eab])).toEqual([1, -3, Math.fround(0.333984375)]);
  });

  it('F32 is read in place', () => {
    expect(decode('F32', [1.5, -2.25])).toEqual([1.5, -2.25]);
  });
});

describe('bad checkpoints: one clear line, nothing half-done', () => {
  const load = (dir: string) => loadCheckpointEncoder(folderFiles(dir), { runtime: nodeRuntime, device: 'cpu' });
  const failWith = async (dir: string, pattern: RegExp) => {
    const error = await load(dir).catch((e: unknown) => e);
    expect(error, 'it loaded').toBeInstanceOf(EncoderLoadError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toMatch(/\n/);
  };
  const dirs: string[] = [];
  const fixture = (model = 'poolscope/ckpt-bert') => { const d = copyFixture(model); dirs.push(d); return d; };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('an unsupported model_type names the supported ones', async () => {
    const dir = fixture();
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, model_type: 'roberta' }));
    await failWith(dir, /model_type "roberta" is not supported .*\(supported: bert, mpnet, nomic_bert\)/);
  });

  it('a missing safetensors file', async () => {
    const dir = fixture();
    rmSync(join(dir, 'model.safetensors'));
    await failWith(dir, /has no model\.safetensors/);
  });

  it('only pytorch_model.bin: says what would work', async () => {
    const dir = fixture();
    rmSync(join(dir, 'model.safetensors'));
    writeFileSync(join(dir, 'pytorch_model.bin'), 'PK');
    await failWith(dir, /has only pytorch_model\.bin .*model\.safetensors.*@refs\/pr\/N/);
    // Also on the default route, which would otherwise go on to report a missing ONNX export.
    const error = await loadNodeEncoder(dir).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/has only pytorch_model\.bin .*a PyTorch pickle .*model\.safetensors/);
    expect((error as Error).message).not.toMatch(/onnx/);
  });

  it('a truncated download', async () => {
    const dir = fixture();
    const bytes = readFileSync(join(dir, 'model.safetensors'));
    writeFileSync(join(dir, 'model.safetensors'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await failWith(dir, /^\S+: model\.safetensors is truncated: tensor .* ends at byte \d+ .*holds only \d+ bytes of data \(download or copy it again\)$/);
  });

  it('a file that is not safetensors at all', async () => {
    const dir = fixture();
    writeFileSync(join(dir, 'model.safetensors'), '<html>404</html>');
    await failWith(dir, /model\.safetensors is truncated or not a safetensors file/);
  });

  it('a header whose offsets lie about a tensor\'s size', async () => {
    const dir = fixture();
    const tensors = readTensors(join(dir, 'model.safetensors'));
    const name = 'bert.encoder.layer.0.attention.self.key.bias';
    const { data } = tensors.get(name)!;
    let at = 0;
    for (const [k, t] of tensors) { if (k === name) break; at += t.data.length; }
    writeTensors(join(dir, 'model.safetensors'), tensors, { [name]: [at, at + data.length - 4] });
    await failWith(dir, /offsets for bert\.encoder\.layer\.0\.attention\.self\.key\.bias do not match its shape: F32 \[32\] needs 128 bytes, the offsets span 124/);
  });

  it('a missing weight is named', async () => {
    const dir = fixture();
    const tensors = readTensors(join(dir, 'model.safetensors'));
    tensors.delete('bert.encoder.layer.2.intermediate.dense.weight');
    writeTensors(join(dir, 'model.safetensors'), tensors);
    await failWith(dir, /weight encoder\.layer\.2\.intermediate\.dense\.weight is missing/);
  });

  it('a weight of the wrong shape is named with both shapes', async () => {
    const dir = fixture();
    const tensors = readTensors(join(dir, 'model.safetensors'));
    const t = tensors.get('bert.encoder.layer.1.attention.self.query.weight')!;
    tensors.set('bert.encoder.layer.1.attention.self.query.weight', { ...t, shape: [16, 64] });
    writeTensors(join(dir, 'model.safetensors'), tensors);
    await failWith(dir, /weight bert\.encoder\.layer\.1\.attention\.self\.query\.weight in model\.safetensors has shape \[16, 64\], but config\.json implies \[32, 32\]/);
  });

  it('a weight stored as integers', async () => {
    const dir = fixture();
    const tensors = readTensors(join(dir, 'model.safetensors'));
    const t = tensors.get('bert.embeddings.LayerNorm.gamma')!;
    tensors.set('bert.embeddings.LayerNorm.gamma', { ...t, dtype: 'I32' });
    writeTensors(join(dir, 'model.safetensors'), tensors);
    await failWith(dir, /weight bert\.embeddings\.LayerNorm\.gamma is stored as I32; Poolscope reads F32, F16, BF16/);
  });

  it('a shard named in the index is missing', async () => {
    const dir = fixture('poolscope/ckpt-bert-f16');
    rmSync(join(dir, 'model-00002-of-00002.safetensors'));
    await failWith(dir, /has no model-00002-of-00002\.safetensors/);
  });

  it('a NomicBert variant the route does not build', async () => {
    const dir = fixture('poolscope/ckpt-nomic');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, prenorm: true }));
    await failWith(dir, /uses pre-LayerNorm blocks, which Poolscope does not build/);
  });

  it('a folder with no tokenizer', async () => {
    const dir = fixture();
    rmSync(join(dir, 'tokenizer.json'));
    await failWith(dir, /has no tokenizer .*needs tokenizer\.json, or vocab\.txt/);
  });

  it('asking an ONNX export or GloVe for an inner layer says why not', async () => {
    const onnx = await loadNodeEncoder('poolscope/tiny-bert', { route: 'onnx' });
    await expect(onnx.encode(['a'], { layer: 1 })).rejects.toThrowError(/gives only its last layer, not layer 1: this is an ONNX export; load the model from its own weights/);
    await onnx.dispose();
    const glove = await loadNodeEncoder('glove');
    await expect(glove.encode(['a'], { layer: 0 })).rejects.toThrowError(/static word vectors have no layers/);
  });
});

const assets = resolve(sharedDir, 'model-assets');
describe.skipIf(!existsSync(assets))('tokenizers built from vocab.txt equal their sibling\'s tokenizer.json on awkward text', () => {
  const awkward = [
    'Café naïve résumé Zürich', 'emoji 😀 and 👍🏽 in text', '中文 日本語 and 한국어', 'a ' + 'x'.repeat(120) + ' word',
    'Supercalifragilisticexpialidocious antidisestablishmentarianism', "Don't—stop!! ...the   end\tof\nlines",
    'Ghiz was born in Charlottetown, Prince Edward Island (née McKarris).', 'ÅNGSTRÖM ﬁ ① ＡＢＣ', '<s> [CLS] <mask> [MASK]',
  ];
  /** The shared folder without its tokenizer.json, as microsoft/MiniLM-L12-H384-uncased and microsoft/mpnet-base are. */
  const withoutTokenizerJson = (folder: string): ModelFiles => {
    const files = folderFiles(folder);
    return { ...files, exists: async (p) => p !== 'tokenizer.json' && files.exists(p) };
  };
  for (const [id, cls] of [['thenlper/gte-small', 'BertTokenizer'], ['sentence-transformers/all-mpnet-base-v2', 'MPNetTokenizer']]) {
    it(`${id}: vocab.txt + tokenizer_config.json → the same ids and tokens`, async () => {
      const built = await checkpointTokenizer(withoutTokenizerJson(join(assets, id)), cls);
      transformersEnv.localModelPath = `${assets}/`;
      transformersEnv.allowRemoteModels = false;
      const reference = await AutoTokenizer.from_pretrained(id);
      for (const text of awkward) {
        expect(built.encode(text), text).toEqual(reference.encode(text));
        expect(built.tokenize(text), text).toEqual(reference.tokenize(text));
      }
    });
  }
});
