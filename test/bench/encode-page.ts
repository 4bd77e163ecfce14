/**
 * Runs in Chromium (served by Vite): load time and encoding throughput of the encoder worker per
 * route (weights: built from safetensors; onnx: transformers.js on the ONNX export) and device.
 */
import { startEncoderWorker } from '../../src/worker/client';

interface Result { route: string; device: string; loadMs: number; tokens: number; seconds: number; tokensPerSecond: number; fallbackReason?: string }

async function run(): Promise<{ model: string; texts: number; results: Result[] }> {
  const params = new URLSearchParams(location.search);
  const model = params.get('model') ?? 'poolscope/tiny-bert';
  const count = Number(params.get('texts') ?? 200);
  const routes = (params.get('routes') ?? 'onnx').split(',') as ('weights' | 'onnx')[];
  const devices = (params.get('devices') ?? 'wasm,webgpu').split(',') as ('wasm' | 'webgpu')[];
  const words = 'the paper was first known as one of the new city school music game season team film world state'.split(' ');
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const texts = Array.from({ length: count }, () => Array.from({ length: 8 + Math.floor(random() * 30) }, () => words[Math.floor(random() * words.length)]).join(' '));
  const { api, terminate } = startEncoderWorker();
  const results: Result[] = [];
  try {
    const caps = await api.capabilities();
    const software = params.get('software') !== 'skip';
    for (const device of devices) {
      if (device === 'webgpu' && (!caps.webgpu || (caps.fallbackAdapter && !software))) continue;
      // Warm-up: the first session on a device pays onnxruntime's own start-up (wasm instantiation, adapter).
      const warm = await api.load({ model, device, route: routes[0] });
      await api.encode(warm.key, texts.slice(0, 1));
      await api.unload(warm.key);
      for (const route of routes) {
        const t0 = performance.now();
        const { key, info } = await api.load({ model, device, route });
        const loadMs = performance.now() - t0;
        await api.encode(key, texts.slice(0, 3));
        const t = performance.now();
        const encoded = await api.encode(key, texts);
        const seconds = (performance.now() - t) / 1000;
        const tokens = encoded.reduce((s, e) => s + e.n, 0);
        results.push({ route, device: info.device, loadMs, tokens, seconds, tokensPerSecond: tokens / seconds, fallbackReason: info.fallbackReason });
        await api.unload(key);
      }
    }
  } finally {
    terminate();
  }
  return { model, texts: count, results };
}

run().then(
  (r) => {
    (window as unknown as { __bench: unknown }).__bench = r;
    document.getElementById('status')!.textContent = 'done';
  },
  (e: Error) => {
    (window as unknown as { __bench: unknown }).__bench = { error: e.message };
  },
);
