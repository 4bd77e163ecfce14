import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { browserCache, httpFiles, type ByteCache } from '../../src/encoders/model-files';
import { layerClouds } from '../../src/encoders/types';
import { socmOfTexts } from '../../src/math';
import type { LoadProgress } from '../../src/encoders/types';
import { Comlink, startEncoderWorker, type EncoderWorker } from '../../src/worker/client';
import { expectClose } from '../support/assert';
import type { CheckpointReference } from '../support/fixtures';

let worker: { api: EncoderWorker; terminate: () => void };
let reference: CheckpointReference[];

beforeAll(async () => {
  worker = startEncoderWorker();
  reference = JSON.parse(await commands.checkpointReference()).models;
});
afterAll(() => worker?.terminate());

describe('the weights route in the encoder worker (Chromium)', () => {
  for (const device of ['wasm', 'webgpu'] as const) {
    it(`every checkpoint fixture on ${device}: every layer and the attention equal PyTorch within 1e-4`, async () => {
      for (const ref of reference) {
        const progress: LoadProgress[] = [];
        const loaded = await worker.api.load({ model: ref.model, device }, Comlink.proxy((p: LoadProgress) => void progress.push(p)));
        expect(loaded.info).toMatchObject({ route: 'weights', device, layers: ref.layers, modelType: ref.model_type, storage: ref.storage });
        expect(progress.some((p) => p.status === 'download' && p.file.endsWith('.safetensors') && p.loaded > 0)).toBe(true);
        const encoded = await worker.api.encode(loaded.key, ref.texts.map((t) => t.text), { layer: 'all', attentions: true });
        encoded.forEach((e, k) => {
          const want = ref.texts[k];
          expect(e.ids).toEqual(want.ids);
          want.hidden_states.forEach((layer, l) => layer.forEach((row, i) => row.forEach((v, j) => expectClose(e.layers![l][i * e.d + j], v, 0, 1e-4, `${ref.model} ${device} text ${k} layer ${l}`))));
          want.attentions?.forEach((layer, l) => layer.forEach((head, h) => head.forEach((row, i) => row.forEach((v, j) => expectClose(e.attentions![l][(h * e.n + i) * e.n + j], v, 0, 1e-4, `${ref.model} ${device} attention ${l + 1}`)))));
        });
        const [first] = await worker.api.encode(loaded.key, [ref.texts[0].text], { layer: 1 });
        expect(Array.from(first.vectors)).toEqual(Array.from(encoded[0].layers![1]));
        await worker.api.unload(loaded.key);
      }
    });
  }

  it('panel statistics run in the worker, on the GPUDevice onnxruntime encodes on, and equal the CPU reference at every layer', async () => {
    const isolated = startEncoderWorker();
    try {
      const ref = reference.find((r) => r.model_type === 'nomic_bert')!;
      const [a, b] = [ref.texts[0].text, ref.texts[2].text];
      const loaded = await isolated.api.load({ model: ref.model, device: 'webgpu' });
      const analysis = await isolated.api.analyse(loaded.key, a, b, { layer: 1, excludeSpecial: false });
      expect(await isolated.api.statsEngineInfo()).toMatchObject({ backend: 'webgpu', sharesEncoderDevice: true });
      if (analysis?.kind !== 'result') throw new Error('no result');
      expect(analysis.layer).toBe(1);
      const [ea, eb] = await isolated.api.encode(loaded.key, [a, b], { layer: 'all' });
      const [ca, cb] = [layerClouds(ea), layerClouds(eb)];
      analysis.layers!.forEach((got, k) => {
        const want = socmOfTexts(ca[k], cb[k]);
        for (const key of ['d1', 'd2', 'socm', 'traceA', 'traceB'] as const) expectClose(got[key], want[key], 0, 1e-4, `layer ${k} ${key}`);
      });
      const atOne = socmOfTexts(ca[1], cb[1]);
      expectClose(analysis.result.stats.socm, atOne.socm, 0, 1e-4, 'the shown layer');
    } finally {
      isolated.terminate();
    }
  });

  it('a picked folder with safetensors and only vocab.txt loads like the served copy', async () => {
    const names = ['config.json', 'vocab.txt', 'tokenizer_config.json', 'model.safetensors'];
    const files = await Promise.all(names.map(async (path) => ({
      path: `ckpt-mpnet/${path}`, file: new File([await (await fetch(`/models/poolscope/ckpt-mpnet/${path}`)).blob()], path),
    })));
    const id = await worker.api.registerFolder('ckpt-mpnet', files);
    const picked = await worker.api.load({ model: id, device: 'wasm' });
    const served = await worker.api.load({ model: 'poolscope/ckpt-mpnet', device: 'wasm' });
    expect(picked.info.route).toBe('weights');
    const [p] = await worker.api.encode(picked.key, ['the first paper'], { layer: 0 });
    const [q] = await worker.api.encode(served.key, ['the first paper'], { layer: 0 });
    expect(p.tokens).toEqual(['<s>', 'the', 'first', 'paper', '</s>']);
    expect(Array.from(p.vectors)).toEqual(Array.from(q.vectors));
    await worker.api.unload(picked.key);
    await worker.api.unload(served.key);
  });

  it('a model two panels ask for is loaded once, and stays until the last one lets go', async () => {
    const [a, b] = await Promise.all([
      worker.api.load({ model: 'poolscope/ckpt-bert', device: 'wasm' }),
      worker.api.load({ model: 'poolscope/ckpt-bert', device: 'wasm' }),
    ]);
    expect(a.key).not.toBe(b.key);
    expect((await worker.api.held()).filter((h) => h.model === 'poolscope/ckpt-bert')).toEqual([{ model: 'poolscope/ckpt-bert', users: 2 }]);
    await worker.api.unload(a.key);
    const [e] = await worker.api.encode(b.key, ['still here']);
    expect(e.n).toBeGreaterThan(2);
    await worker.api.unload(b.key);
    expect((await worker.api.held()).some((h) => h.model === 'poolscope/ckpt-bert')).toBe(false);
  });

  it('inspect says the route and what is left to download before loading', async () => {
    expect(await worker.api.inspect('poolscope/ckpt-bert-f16')).toMatchObject({ route: 'weights', source: 'served', downloadBytes: 0 });
    expect(await worker.api.inspect('poolscope/wrong-output')).toMatchObject({ route: 'onnx', source: 'served' });
    expect(await worker.api.inspect('poolscope/tiny-bert')).toMatchObject({ route: 'weights', onnxAvailable: true });
    expect(await worker.api.inspect('glove')).toMatchObject({ route: 'static', downloadBytes: 0 });
    await expect(worker.api.inspect('bert-base-uncased')).rejects.toThrowError(/bert-base-uncased: could not reach the Hugging Face Hub .*no network/);
  });

  it('downloads go through the cache: a second read needs no network, and sizes come from it', async () => {
    const store = new Map<string, Uint8Array>();
    const cache: ByteCache = {
      get: async (url) => store.get(url), put: async (url, bytes) => void store.set(url, bytes), has: async (url) => store.has(url), size: async (url) => store.get(url)?.length,
    };
    let fetches = 0;
    let online = true;
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
      fetches++;
      if (!online) throw new TypeError('Failed to fetch');
      return fetch(input, init);
    }) as typeof fetch;
    const files = httpFiles(new URL('/models/poolscope/ckpt-bert/', location.href).href, { label: 'ckpt-bert', where: 'the test server', hub: true, cache, fetch: fetcher });
    const seen: number[] = [];
    const first = await files.bytes('model.safetensors', (loaded) => seen.push(loaded));
    expect(seen.at(-1)).toBe(first.length);
    expect(await files.local('model.safetensors')).toBe(true);
    online = false;
    const before = fetches;
    const again = await files.bytes('model.safetensors');
    expect(fetches).toBe(before);
    expect(again).toEqual(first);
    expect(await files.size('model.safetensors')).toBe(first.length);
    await expect(files.bytes('config.json')).rejects.toThrowError(/ckpt-bert: could not reach the test server for config\.json \(no network\?/);
  });

  it('the Cache API tells a cached file\'s size without reading it; a body that ends early is refused, not cached', async () => {
    const cache = (await browserCache('poolscope-test-sizes'))!;
    await cache.put('https://example.test/w.bin', new Uint8Array(1234));
    expect([await cache.size('https://example.test/w.bin'), await cache.size('https://example.test/none.bin')]).toEqual([1234, undefined]);
    const store = new Map<string, Uint8Array>();
    const memory: ByteCache = {
      get: async (url) => store.get(url), put: async (url, bytes) => void store.set(url, bytes), has: async (url) => store.has(url), size: async (url) => store.get(url)?.length,
    };
    // The server says 100 bytes and sends 50, then ends the stream cleanly.
    const short = (async () => new Response(new ReadableStream({ start(c) { c.enqueue(new Uint8Array(50)); c.close(); } }), { headers: { 'Content-Length': '100' } })) as unknown as typeof fetch;
    const files = httpFiles('https://example.test/m/', { label: 'm', where: 'the test server', hub: true, cache: memory, fetch: short });
    await expect(files.bytes('model.safetensors', () => {})).rejects.toThrowError(/^m: the download of model\.safetensors broke off \(it ended after 50 of 100 bytes\); try again$/);
    expect(store.size).toBe(0);
    await caches.delete('poolscope-test-sizes');
  });
});
