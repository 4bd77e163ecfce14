/** Corpus files that are not text, line ends, duplicates; and load errors that name the real cause. */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpusLines, decodeCorpusBytes, duplicates, parseCorpus, splitLines } from '../../src/corpus/parse';
import { dtypesPresent, explainLoadError, missingFilesError } from '../../src/encoders/load-errors';
import { fixtureModelsDir } from '../support/fixtures';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/poolscope.js');

describe('corpus files', () => {
  it('refuses NUL bytes and bytes that are not UTF-8, naming the byte', () => {
    expect(() => decodeCorpusBytes(Uint8Array.from([0x61, 0x62, 0x00, 0x63]), 'x.bin')).toThrowError(/^x\.bin is not a text file: it has a NUL byte at byte 3 \(binary data\?\)/);
    expect(() => decodeCorpusBytes(Buffer.from('caf\xe9\n', 'latin1'), 'l1.txt')).toThrowError(/^l1\.txt is not UTF-8 text \(byte 4 is not valid UTF-8\)/);
    // A lead byte without its continuation, an overlong form, a surrogate: all refused.
    for (const bad of [[0x61, 0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      expect(() => decodeCorpusBytes(Uint8Array.from(bad))).toThrowError(/not UTF-8 text/);
    }
    expect(decodeCorpusBytes(Buffer.from('\ufeffCafé 😀 中文\n'))).toBe('Café 😀 中文\n');
  });

  it('splits on \\r\\n, \\n and lone \\r alike, so the box and the count agree', () => {
    expect(splitLines('a\r\nb\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
    const mac = Array.from({ length: 21 }, (_, i) => `line ${i}`).join('\r');
    expect(parseCorpus(mac, 'lines')).toHaveLength(21);
    expect(corpusLines(' a \r\r\n b \n\n')).toEqual(['a', 'b']);
    expect(parseCorpus('{"t":"x"}\r{"t":"y"}', 'jsonl', 't')).toEqual(['x', 'y']);
  });

  it('counts repeats and keeps the first of each text', () => {
    expect(duplicates(Array(2000).fill('same'))).toEqual({ repeats: 1999, unique: ['same'] });
    expect(duplicates(['a', 'b', 'a', 'c', 'b'])).toEqual({ repeats: 2, unique: ['a', 'b', 'c'] });
  });
});

describe('load errors name the real cause', () => {
  it('a local copy without the quantised file: "no quantised build", the file, and what it has', () => {
    const e = missingFilesError('poolscope/tiny-bert', 'the served models directory (/models/poolscope/tiny-bert/)', ['onnx/model_quantized.onnx'], 'q8', ['fp32']);
    expect(e.message).toBe('poolscope/tiny-bert has no quantised (q8) build: onnx/model_quantized.onnx is not in the served models directory (/models/poolscope/tiny-bert/); it has fp32 (onnx/model.onnx): pick that as the dtype');
    const weights = missingFilesError('org/ckpt', 'the folder "ckpt"', ['onnx/model_quantized.onnx'], 'q8', ['fp32'], true);
    expect(weights.message).toBe('org/ckpt has no quantised (q8) build: onnx/model_quantized.onnx is not in the folder "ckpt"; it has fp32 (its own weights, model.safetensors, every layer): pick that as the dtype');
    const folder = missingFilesError('local-folder/m', 'the folder "m"', ['tokenizer.json'], 'fp32');
    expect(folder.message).toBe('local-folder/m: the folder "m" is missing tokenizer.json (a model needs config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx)');
    expect(dtypesPresent((f) => ['onnx/model.onnx', 'onnx/model_fp16.onnx'].includes(f))).toEqual(['fp32', 'fp16']);
  });

  it('tells "not on the hub", "no quantised build on the hub" and "no network" apart (transformers.js\'s own messages)', () => {
    const hub404 = new Error('Could not locate file: "https://huggingface.co/org/x/resolve/main/tokenizer_config.json".');
    expect(explainLoadError('org/x', 'tokenizer.json / tokenizer_config.json', hub404, { localHint: "this server's models directory" }).message)
      .toBe('model "org/x" not found on the Hugging Face Hub (no tokenizer.json / tokenizer_config.json there) and it is not in this server\'s models directory: check the id, or load a local folder with config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx');
    const quant404 = new Error('Could not locate file: "https://huggingface.co/org/x/resolve/main/onnx/model_quantized.onnx".');
    expect(explainLoadError('org/x', 'onnx/model_quantized.onnx', quant404, { dtype: 'q8' }).message)
      .toBe('org/x has no quantised (q8) build on the Hugging Face Hub: onnx/model_quantized.onnx is not there; pick fp32');
    for (const offline of [new TypeError('Failed to fetch'), new TypeError('fetch failed'), new Error('getaddrinfo ENOTFOUND huggingface.co')]) {
      expect(explainLoadError('org/x', 'onnx/model.onnx', offline).message).toBe('model "org/x" could not be downloaded: the Hugging Face Hub could not be reached (no network?)');
    }
    expect(explainLoadError('org/x', 'tokenizer.json', new SyntaxError('Unexpected token < in JSON at position 0')).message).toMatch(/^model "org\/x": tokenizer\.json is not valid/);
  });

  it('the CLI says the same for q8 on a fixture model without a quantised file', () => {
    const r = spawnSync(process.execPath, [bin, 'score', '--model', 'poolscope/tiny-bert', '--dtype', 'q8', 'a b', 'c d'], {
      encoding: 'utf8', env: { ...process.env, POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^poolscope: poolscope\/tiny-bert has no quantised \(q8\) build: onnx\/model_quantized\.onnx is not in POOLSCOPE_MODELS_DIR=.* \(poolscope\/tiny-bert\/\); it has fp32 \(its own weights, model\.safetensors, every layer\)/);
    // A checkpoint with no ONNX export at all: the same, not "(or model.safetensors for the weights route)".
    const ckpt = spawnSync(process.execPath, [bin, 'score', '--model', 'poolscope/ckpt-bert', '--dtype', 'q8', 'a b', 'c d'], {
      encoding: 'utf8', env: { ...process.env, POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' },
    });
    expect(ckpt.stderr.trim()).toMatch(/^poolscope: poolscope\/ckpt-bert has no quantised \(q8\) build: .*; it has fp32 \(its own weights, model\.safetensors, every layer\): pick that as the dtype$/);
  });
});
