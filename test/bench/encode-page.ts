/** Runs in Chromium (served by Vite): encoding throughput of the encoder worker per device. */
import { startEncoderWorker } from '../../src/worker/client';

interface DeviceResult { device: string; tokens: number; seconds: number; tokensPerSecond: number; fallbackReason?: string }

async function run(): Promise<{ model: string; texts: number; results: DeviceResult[] }> {
  const params = new URLSearchParams(location.search);
  const model = params.get('model') ?? 'poolscope/tiny-bert';
  const count = Number(params.get('texts') ?? 200);
  const words = 'the paper was first known as one of the new city school music game season team film world state'.split(' ');
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const texts = Array.from({ length: count }, () => Array.from({ length: 8 + Math.floor(random() * 30) }, () => words[Math.floor(random() * words.length)]).join(' '));
  const { api, terminate } = startEncoderWorker();
  const results: DeviceResult[] = [];
  try {
    for (const device of ['wasm', 'webgpu'] as const) {
      const caps = await api.capabilities();
      if (device === 'webgpu' && !caps.webgpu) continue;
      const { key, info } = await api.load({ model, device });
      await api.encode(key, texts.slice(0, 5));
      const t = performance.now();
      const encoded = await api.encode(key, texts);
      const seconds = (performance.now() - t) / 1000;
      const tokens = encoded.reduce((s, e) => s + e.n, 0);
      results.push({ device: info.device, tokens, seconds, tokensPerSecond: tokens / seconds, fallbackReason: info.fallbackReason });
      await api.unload(key);
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
