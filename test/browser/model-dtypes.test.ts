/** The worker lists the dtypes a model has files for, and names a missing build before trying the hub. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEncoderWorker, type EncoderWorker } from '../../src/worker/client';

let worker: { api: EncoderWorker; terminate: () => void };
beforeAll(() => {
  worker = startEncoderWorker();
});
afterAll(() => worker?.terminate());

async function folderFiles(rename: Record<string, string> = {}) {
  const names = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
  return Promise.all(names.map(async (path) => ({
    path: `m/${rename[path] ?? path}`,
    file: new File([await (await fetch(`/models/poolscope/tiny-bert/${path}`)).blob()], path.split('/').pop()!),
  })));
}

describe('dtypes per model', () => {
  it('served, picked and static models list exactly the builds they have', async () => {
    expect(await worker.api.modelDtypes('glove')).toEqual({ dtypes: ['fp32'], checked: true });
    // Its own weights (fp32, every layer) and its fp32 ONNX export.
    expect(await worker.api.modelDtypes('poolscope/tiny-bert')).toEqual({ dtypes: ['fp32', 'onnx'], checked: true });
    expect(await worker.api.modelDtypes('poolscope/ckpt-mpnet')).toEqual({ dtypes: ['fp32'], checked: true });
    // A folder with only a quantised build (the fp32 file renamed to the q8 name).
    const id = await worker.api.registerFolder('only-q8', await folderFiles({ 'onnx/model.onnx': 'onnx/model_quantized.onnx' }), 'q8');
    expect(await worker.api.modelDtypes(id)).toEqual({ dtypes: ['q8'], checked: true });
    // The hub cannot be reached here: only fp32 is offered, and it says it could not check.
    expect(await worker.api.modelDtypes('nobody/no-such-model')).toEqual({ dtypes: ['fp32'], checked: false });
  });

  it('q8 on a served model without the file, or fp32 on a folder with only q8, names the file and what there is', async () => {
    await expect(worker.api.load({ model: 'poolscope/tiny-bert', dtype: 'q8' })).rejects.toThrowError(
      'poolscope/tiny-bert has no quantised (q8) build: onnx/model_quantized.onnx is not in the served models directory (/models/poolscope/tiny-bert/); it has fp32 (its own weights, model.safetensors, every layer): pick that as the dtype',
    );
    // A checkpoint with its weights only: q8 offers those.
    await expect(worker.api.load({ model: 'poolscope/ckpt-bert', dtype: 'q8' })).rejects.toThrowError(
      /^poolscope\/ckpt-bert has no quantised \(q8\) build: onnx\/model_quantized\.onnx is not in .*; it has fp32 \(its own weights, model\.safetensors, every layer\): pick that as the dtype$/,
    );
    const id = await worker.api.registerFolder('q8-only', await folderFiles({ 'onnx/model.onnx': 'onnx/model_quantized.onnx' }), 'fp32');
    await expect(worker.api.load({ model: id, dtype: 'fp32' })).rejects.toThrowError(
      `${id}: the folder "q8-only" is missing onnx/model.onnx (a model needs config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx); it has q8 (onnx/model_quantized.onnx): pick that as the dtype`,
    );
    // The q8 "build" here is the fp32 file under the q8 name: it loads, so the check did not get in the way.
    const loaded = await worker.api.load({ model: id, dtype: 'q8', device: 'wasm' });
    const [e] = await worker.api.encode(loaded.key, ['the first paper']);
    expect(e.tokens).toEqual(['[CLS]', 'the', 'first', 'paper', '[SEP]']);
  });
});
