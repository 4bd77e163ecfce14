/**
 * npm run bench — SOCM speed, as ratios against baselines measured in the same run. Sections
 * pair, corpus and memory live in socm-routes.ts (Poolscope CPU and WebGPU against SciPy,
 * torchmetrics, PyTorch and NumPy routes on the same clouds, with the machine's matmul peak).
 * Environment: BENCH_TEXTS (default 300) clouds for the all-pairs batch; BENCH_MEMORY_TEXTS (2000)
 * for the memory run; BENCH_ENCODE_TEXTS (200) texts for the encoder;
 * BENCH_SECTIONS=pair,corpus,corpus-growth,encode,latency,routes,startup,memory,layers (default all) picks
 * sections; BENCH_CORPUS_FULL=1 runs the 300- and 1,000-text corpora to the end instead of 30 s.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeEngine } from '../../src/engine/node';
import { launchChromium } from '../support/app-server';
import type { WebGpuSocmEngine } from '../../src/engine/webgpu';
import { corpusBatch, memoryRun, pairTable } from './socm-routes';
import { encoderRoutes } from './routes';
import { typeAndTime, withBuiltApp, withDevServer, type LatencySample } from './app-timing';
import { layersBench } from './layers';

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3));
const ratio = (x: number, y: number) => `${(x / y).toFixed(x / y >= 10 ? 0 : 2)}×`;

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, k) => String(c).padStart(widths[k])).join('  ');
}

async function main(): Promise<void> {
  const engine = (await createNodeEngine('webgpu')) as WebGpuSocmEngine;
  const adapter = engine.context.adapter;
  console.log(`Poolscope SOCM benchmark — ${new Date().toISOString()}`);
  console.log(`WGSL adapter: ${engine.description}`);
  console.log(`CPU: Node ${process.version}, float64`);
  const swiftShader = adapter.isFallbackAdapter || /swiftshader/i.test(`${adapter.architecture} ${adapter.description}`);
  if (swiftShader) {
    console.log('NOTE: this adapter is SwiftShader, a software GPU on the CPU. Its WGSL figures say nothing about');
    console.log('      real GPUs; run `npm run bench` on a machine with a GPU for those.');
  }

  const sections = (process.env.BENCH_SECTIONS ?? 'pair,corpus,corpus-growth,encode,latency,routes,startup,memory,layers').split(',');
  if (sections.includes('pair')) await pairTable(engine, swiftShader);
  if (sections.includes('corpus')) await corpusBatch(engine, swiftShader);
  if (sections.includes('corpus-growth')) await corpusGrowth(engine);
  engine.dispose();
  if (sections.includes('encode')) await encodingThroughput();
  if (sections.includes('latency')) await keystrokeLatency();
  if (sections.includes('routes')) await encoderRoutes();
  if (sections.includes('layers')) await layersBench();
  if (sections.includes('startup')) await (await import('./cli-startup')).cliStartup();
  if (sections.includes('memory')) await memoryRun();
}

/**
 * 5. Corpus mode: all pairs of K real sentences (GloVe tokens of wiki1m from ../shared/data), WGSL
 * batch vs CPU reference, K = 100, 300, 1000. Runs longer than the cap are stopped and
 * extrapolated from their measured rate (pairs grow as K², so time does too).
 */
async function corpusGrowth(engine: WebGpuSocmEngine): Promise<void> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const shared = process.env.POOLSCOPE_SHARED ?? resolve(root, '../shared');
  const file = resolve(shared, 'data/wiki1m-sample-1000.txt');
  const { existsSync, readFileSync } = await import('node:fs');
  if (!existsSync(file)) {
    console.log(`\n5. Corpus growth: skipped, ${file} is absent`);
    return;
  }
  const { loadNodeEncoder } = await import('../../src/encoders/node');
  const { tokenCloud } = await import('../../src/encoders/types');
  const { pairwiseCpu } = await import('../../src/math');
  const lines = readFileSync(file, 'utf8').split('\n').filter((l: string) => l.trim());
  const glove = await loadNodeEncoder('glove');
  const clouds = (await glove.encode(lines)).map((e) => tokenCloud(e)).filter((c) => c.n > 0);
  const capSeconds = process.env.BENCH_CORPUS_FULL ? Infinity : 30;
  const measure = async (run: (signal: AbortSignal, onProgress: (p: { done: number }) => void) => Promise<unknown>) => {
    const controller = new AbortController();
    let done = 0;
    const t = performance.now();
    const timer = Number.isFinite(capSeconds) ? setTimeout(() => controller.abort(), capSeconds * 1000) : undefined;
    try {
      await run(controller.signal, (p) => (done = p.done));
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    } finally {
      clearTimeout(timer);
    }
    return { done, seconds: (performance.now() - t) / 1000, cut: controller.signal.aborted };
  };
  console.log(`\n5. Corpus mode: all pairs of K wiki1m sentences (GloVe tokens, d = 100), pairs/second${Number.isFinite(capSeconds) ? `; runs over ${capSeconds} s are cut and extrapolated (*)` : ''}`);
  const w = [6, 9, 14, 14, 10, 14, 14];
  console.log(row(['K', 'pairs', 'WGSL pairs/s', 'CPU pairs/s', 'WGSL/CPU', 'WGSL total s', 'CPU total s'], w));
  for (const K of [100, 300, 1000]) {
    const texts = clouds.slice(0, K);
    const pairs = (texts.length * (texts.length - 1)) / 2;
    const batchSize = Math.min(8192, Math.max(256, Math.ceil(pairs / 50)));
    const gpu = await measure((signal, onProgress) => engine.pairwise(texts, { signal, onProgress, batchSize }));
    const cpu = await measure((signal, onProgress) => pairwiseCpu(texts, { signal, onProgress }));
    const rate = (m: { done: number; seconds: number }) => m.done / m.seconds;
    const total = (m: { done: number; seconds: number; cut: boolean }) => `${(pairs / rate(m)).toFixed(0)}${m.cut ? '*' : ''}`;
    console.log(row([texts.length, pairs, rate(gpu).toFixed(0), rate(cpu).toFixed(0), ratio(rate(gpu), rate(cpu)), total(gpu), total(cpu)], w));
  }
  console.log('Time grows with the number of pairs, K(K−1)/2: at a steady pairs/second, 10× the texts is ~100× the time.');
  await glove.dispose();
}

/**
 * 4. Keystroke to updated plot in the playground: two ~30-token texts, two fixture models, the
 * previous scheduling (250 ms debounce, both texts encoded each time) and the live one (start at
 * once, latest wins, unchanged texts from the cache), same texts and keystrokes, same run.
 */
async function keystrokeLatency(): Promise<void> {
  await withBuiltApp(async (url) => {
    const a = 'the first city school was known as the new music school of the world state and the team made a film about its first season';
    const b = 'after the war the national university had more than two new schools and one music team that played during the season';
    const page = `${url}?${new URLSearchParams({ a, b, models: 'poolscope/tiny-bert,poolscope/tiny-bert-wide' })}`;
    const { samples: before } = await typeAndTime(page, { debounceMs: 250, cacheEncodings: false });
    const { samples: after, engine } = await typeAndTime(page, undefined);
    const median = (xs: number[]) => xs.slice().sort((p, q) => p - q)[Math.floor(xs.length / 2)];
    const pick = (xs: LatencySample[], key: keyof LatencySample) => median(xs.map((s) => s[key]));
    console.log(`\n4. Keystroke → updated plot in the playground (medians over ${before.length} and ${after.length} panel updates, ms)`);
    console.log(`   production build; two ~30-token texts; poolscope/tiny-bert and poolscope/tiny-bert-wide encoded on WASM in headless Chromium; ${engine}`);
    const w = [26, 9, 9, 11, 9, 9, 9, 14];
    console.log(row(['schedule', 'wait', 'encode', 'statistics', 'render', 'other', 'total', 'texts encoded'], w));
    for (const [name, xs] of [['before: 250 ms debounce', before], ['after: live, latest wins', after]] as const) {
      const total = pick(xs, 'total'), wait = pick(xs, 'wait'), enc = pick(xs, 'encode'), st = pick(xs, 'stats'), ren = pick(xs, 'render');
      console.log(row([name, fmt(wait), fmt(enc), fmt(st), fmt(ren), fmt(Math.max(0, total - wait - enc - st - ren)), fmt(total), pick(xs, 'encoded')], w));
    }
    console.log(`Live vs debounced keystroke-to-plot: ${ratio(pick(before, 'total'), pick(after, 'total'))} faster (median).`);
    console.log('wait: debounce, or a superseded run still busy; encode: texts not in the cache (live: only the one typed in);');
    console.log('other: React, the URL, and the two panels queueing for the main thread and the GPU (statistics here run on SwiftShader).');
  });
}

/** 3. Encoder worker throughput in headless Chromium, WASM vs WebGPU, on the fixture model. */
async function encodingThroughput(): Promise<void> {
  await withDevServer(async (url) => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const texts = Number(process.env.BENCH_ENCODE_TEXTS ?? 200);
      await page.goto(`${url}test/bench/encode.html?model=poolscope/tiny-bert&texts=${texts}&routes=onnx`);
      await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench !== undefined, undefined, { timeout: 300_000 });
      const result = (await page.evaluate(() => (window as unknown as { __bench: unknown }).__bench)) as
        { error?: string; model: string; texts: number; results: { device: string; tokens: number; seconds: number; tokensPerSecond: number }[] };
      if (result.error) throw new Error(`encoding benchmark failed in the browser: ${result.error}`);
      console.log(`\n3. Encoding in the worker, headless Chromium: ${result.model}, ${result.texts} texts (one forward pass each)`);
      const w = [10, 8, 10, 12];
      console.log(row(['device', 'tokens', 'seconds', 'tokens/s'], w));
      for (const r of result.results) console.log(row([r.device, r.tokens, r.seconds.toFixed(2), r.tokensPerSecond.toFixed(0)], w));
      const [wasm, gpu] = result.results;
      if (wasm && gpu) console.log(`WebGPU vs WASM tokens/s: ${ratio(gpu.tokensPerSecond, wasm.tokensPerSecond)} (WebGPU here is SwiftShader unless a GPU is present)`);
    } finally {
      await browser.close();
    }
  });
}

main().then(() => process.exit(0), (error) => {
  console.error(`bench failed: ${(error as Error).message}`);
  process.exit(1);
});
