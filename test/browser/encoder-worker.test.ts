import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createBrowserEngine } from '../../src/engine/browser';
import type { SocmEngine } from '../../src/engine/types';
import { tokenCloud, type EncodedText, type LoadProgress } from '../../src/encoders/types';
import { socmOfTexts } from '../../src/math';
import { Comlink, startEncoderWorker, type EncoderWorker } from '../../src/worker/client';
import { expectClose } from '../support/assert';

interface Reference { model: string; hidden_size: number; texts: { text: string; ids: number[]; last_hidden_state: number[][] }[] }

let worker: { api: EncoderWorker; terminate: () => void };
let reference: Reference[];
let engine: SocmEngine;

beforeAll(async () => {
  worker = startEncoderWorker();
  reference = JSON.parse(await commands.fixtureReference()).models;
  engine = await createBrowserEngine();
});
afterAll(() => {
  worker?.terminate();
  engine?.dispose();
});

function maxDiff(a: EncodedText, b: EncodedText): number {
  let m = 0;
  for (let k = 0; k < a.vectors.length; k++) m = Math.max(m, Math.abs(a.vectors[k] - b.vectors[k]));
  return m;
}

describe('the encoder worker (comlink) in headless Chromium', () => {
  it('sees WebGPU (SwiftShader here); auto picks WASM over a software fallback adapter and says why', async () => {
    const caps = await worker.api.capabilities();
    expect(caps.webgpu, caps.reason).toBe(true);
    const auto = await worker.api.load({ model: 'poolscope/tiny-bert', route: 'onnx' });
    if (caps.fallbackAdapter) {
      expect(auto.info.device).toBe('wasm');
      expect(auto.info.fallbackReason).toMatch(/software fallback/);
    } else {
      expect(auto.info.device).toBe('webgpu');
    }
    await worker.api.unload(auto.key);
  });

  it('loads the ONNX fixture from the served models directory on WebGPU and on WASM, with progress; both match PyTorch and each other', async () => {
    const ref = reference[0];
    const texts = ref.texts.map((t) => t.text);
    const progress: LoadProgress[] = [];
    const gpu = await worker.api.load({ model: ref.model, device: 'webgpu', route: 'onnx' }, Comlink.proxy((p: LoadProgress) => void progress.push(p)));
    const wasm = await worker.api.load({ model: ref.model, device: 'wasm', route: 'onnx' });
    expect(gpu.info.device).toBe('webgpu');
    expect(wasm.info.device).toBe('wasm');
    expect(progress.some((p) => p.status === 'done' && p.file === 'onnx/model.onnx')).toBe(true);
    expect(progress.at(-1)?.status).toBe('ready');
    const onGpu = await worker.api.encode(gpu.key, texts);
    const onWasm = await worker.api.encode(wasm.key, texts);
    onGpu.forEach((e, k) => {
      expect(e.vectors).toBeInstanceOf(Float32Array);
      expect(e.ids).toEqual(ref.texts[k].ids);
      expect(maxDiff(e, onWasm[k])).toBeLessThan(1e-4);
      ref.texts[k].last_hidden_state.forEach((row, i) => row.forEach((v, j) => expectClose(onWasm[k].vectors[i * e.d + j], v, 0, 1e-4, `${k}:${i},${j}`)));
    });
    await worker.api.unload(gpu.key);
    await worker.api.unload(wasm.key);
  });

  it('turns worker token clouds into the same SOCM as `poolscope score` in Node (CPU and WGSL)', async () => {
    const a = 'Virginia Woolf set many scenes of her novel Night and Day in Russell Square.';
    const b = 'Mean pooling collapses the covariance of a token cloud!';
    for (const model of ['poolscope/tiny-bert', 'poolscope/tiny-bert-wide', 'poolscope/ckpt-nomic', 'poolscope/ckpt-mpnet', 'glove']) {
      const loaded = await worker.api.load({ model });
      const [ea, eb] = await worker.api.encode(loaded.key, [a, b]);
      const node = await commands.poolscopeScore(model, a, b);
      const cpu = socmOfTexts(tokenCloud(ea), tokenCloud(eb));
      const gpu = await engine.pair(tokenCloud(ea), tokenCloud(eb));
      expect([cpu.tokensA, cpu.tokensB]).toEqual([node.tokensA, node.tokensB]);
      for (const k of ['d1', 'd2', 'socm'] as const) {
        expectClose(cpu[k], node[k], 0, 1e-4, `${model} CPU ${k}`);
        expectClose(gpu[k], node[k], 0, 1e-4, `${model} WGSL ${k}`);
      }
      await worker.api.unload(loaded.key);
    }
  });

  it('a bad model id gives a clear error and the worker stays usable', async () => {
    const error = await worker.api.load({ model: 'nobody/no-such-model' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/nobody\/no-such-model: could not reach the Hugging Face Hub .*no network/);
    const bad = await worker.api.load({ model: 'not a model id!' }).catch((e: Error) => e);
    expect((bad as Error).message).toMatch(/is not a model id like org\/name/);
    // A spec gone wrong (a build or layer that is not one) names the builds and the layer form.
    for (const spec of ['poolscope/ckpt-bert:q4', 'poolscope/ckpt-bert~', 'poolscope/ckpt-bert~1:onnx']) {
      const wrong = await worker.api.load({ model: spec }).catch((e: Error) => e);
      expect((wrong as Error).message, spec).toMatch(/is not a model spec: after the model may come a build \(:fp32, :onnx, :q8 or :fp16\) and then a layer/);
    }
    const ok = await worker.api.load({ model: 'poolscope/tiny-bert', route: 'onnx' });
    const [e] = await worker.api.encode(ok.key, ['a']);
    expect(e.tokens).toEqual(['[CLS]', 'a', '[SEP]']);
    const wrong = await worker.api.load({ model: 'poolscope/wrong-output' }).catch((x: Error) => x);
    expect((wrong as Error).message).toMatch(/no output named last_hidden_state/);
  });

  it('loads a folder the user picked (File objects) like the served copy, and names missing files', async () => {
    const names = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
    const files = await Promise.all(names.map(async (path) => ({
      path: `tiny-bert/${path}`,
      file: new File([await (await fetch(`/models/poolscope/tiny-bert/${path}`)).blob()], path.split('/').pop()!),
    })));
    const id = await worker.api.registerFolder('tiny-bert', files);
    expect(id).toBe('local-folder/tiny-bert');
    const picked = await worker.api.load({ model: id, device: 'wasm' });
    const served = await worker.api.load({ model: 'poolscope/tiny-bert', device: 'wasm', route: 'onnx' });
    const [p] = await worker.api.encode(picked.key, ['the first paper']);
    const [q] = await worker.api.encode(served.key, ['the first paper']);
    expect(p.ids).toEqual(q.ids);
    expect(Array.from(p.vectors)).toEqual(Array.from(q.vectors));
    // Another folder of the same name (run2/checkpoint-500 after run1/checkpoint-500) is a model of its own.
    const wideFiles = await Promise.all(names.map(async (path) => ({
      path: `tiny-bert/${path}`,
      file: new File([await (await fetch(`/models/poolscope/tiny-bert-wide/${path}`)).blob()], path.split('/').pop()!),
    })));
    const second = await worker.api.registerFolder('tiny-bert', wideFiles);
    expect(second).toBe('local-folder/tiny-bert-2');
    const wide = await worker.api.load({ model: second, device: 'wasm' });
    const [w] = await worker.api.encode(wide.key, ['the first paper']);
    expect([w.d, p.d]).toEqual([48, 32]);
    await expect(worker.api.registerFolder('broken', files.filter((f) => !f.path.endsWith('tokenizer.json'))))
      .rejects.toThrowError(/folder "broken" is missing tokenizer\.json/);
    await expect(worker.api.registerFolder('ptbin', [{ path: 'config.json', file: new Blob(['{}']) }, { path: 'pytorch_model.bin', file: new Blob(['PK']) }]))
      .rejects.toThrowError(/^the folder "ptbin" has only pytorch_model\.bin in it, a PyTorch pickle that Poolscope does not read .*model\.safetensors/);
    await expect(worker.api.registerFolder('no-config', [{ path: 'model.safetensors', file: new Blob(['x']) }]))
      .rejects.toThrowError(/folder "no-config" is missing config\.json/);
  });

  it('maps a catalog name without an ONNX build to an explanation (ONNX route)', async () => {
    await expect(worker.api.load({ model: 'microsoft/MiniLM-L12-H384-uncased', route: 'onnx' })).rejects.toThrowError(/no ONNX build known/);
  });

  it('truncates long texts with a notice', async () => {
    const loaded = await worker.api.load({ model: 'poolscope/tiny-bert', device: 'wasm' });
    const [e] = await worker.api.encode(loaded.key, [Array.from({ length: 100 }, () => 'paper').join(' ')]);
    expect(e.truncated).toBe(true);
    expect([e.n, e.fullLength]).toEqual([64, 102]);
  });

  it('without WebGPU, loads fall back to WASM and say why', async () => {
    const isolated = startEncoderWorker();
    try {
      await isolated.api.forceNoWebGpu('no adapter (simulated)');
      const loaded = await isolated.api.load({ model: 'poolscope/tiny-bert' });
      expect(loaded.info.device).toBe('wasm');
      expect(loaded.info.fallbackReason).toBe('no adapter (simulated)');
      const [e] = await isolated.api.encode(loaded.key, ['the paper']);
      expect(e.n).toBe(4);
      await expect(isolated.api.load({ model: 'poolscope/tiny-bert', device: 'webgpu' })).rejects.toThrowError(/WebGPU was asked for but no adapter/);
    } finally {
      isolated.terminate();
    }
  });
});
