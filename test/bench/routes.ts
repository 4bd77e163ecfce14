/**
 * Bench section "routes": Poolscope's weights route (an ONNX graph built in the app from safetensors,
 * every layer as an output) against the transformers.js route (the torch.onnx export, last layer only)
 * on the same weights: load time and tokens/s, in Node (onnxruntime-node, CPU) and in Chromium's
 * encoder worker (onnxruntime-web, WASM and WebGPU), at fixture size and at real size (a random
 * 768-wide, 12-layer BERT written at bench time by test/bench/generate_bench_bert.py).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadNodeEncoder } from '../../src/encoders/node';
import { launchChromium } from '../support/app-server';
import { sharedDir } from '../support/shared';
import { repoRoot, withDevServer } from './app-timing';

interface Figure { where: string; route: string; loadMs: number; tokensPerSecond: number }

const words = 'the paper was first known as one of the new city school music game season team film world state'.split(' ');
function benchTexts(count: number): string[] {
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: count }, () => Array.from({ length: 8 + Math.floor(random() * 30) }, () => words[Math.floor(random() * words.length)]).join(' '));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Node: both routes, interleaved over `rounds` so load on the machine hits both alike. */
async function nodeFigures(model: string, texts: string[], rounds: number): Promise<Figure[]> {
  const samples: Record<string, { load: number[]; rate: number[] }> = { weights: { load: [], rate: [] }, onnx: { load: [], rate: [] } };
  for (let r = 0; r < rounds; r++) {
    for (const route of ['weights', 'onnx'] as const) {
      const t0 = performance.now();
      const encoder = await loadNodeEncoder(model, { route });
      samples[route].load.push(performance.now() - t0);
      await encoder.encode(texts.slice(0, 2));
      const t1 = performance.now();
      const out = await encoder.encode(texts);
      samples[route].rate.push(out.reduce((s, e) => s + e.n, 0) / ((performance.now() - t1) / 1000));
      await encoder.dispose();
    }
  }
  return (['weights', 'onnx'] as const).map((route) => ({ where: 'Node, onnxruntime-node CPU', route, loadMs: median(samples[route].load), tokensPerSecond: median(samples[route].rate) }));
}

async function browserFigures(model: string, count: number, modelsDir: string, devices: string, software = true): Promise<Figure[]> {
  return withDevServer(async (url) => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${url}test/bench/encode.html?${new URLSearchParams({ model, texts: String(count), routes: 'weights,onnx', devices, software: software ? 'run' : 'skip' })}`);
      await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench !== undefined, undefined, { timeout: 900_000 });
      const result = (await page.evaluate(() => (window as unknown as { __bench: unknown }).__bench)) as
        { error?: string; results: { route: string; device: string; loadMs: number; tokensPerSecond: number }[] };
      if (result.error) throw new Error(`the browser run failed: ${result.error}`);
      const adapter = await page.evaluate(async () => {
        const a = await (navigator as Navigator & { gpu?: GPU }).gpu?.requestAdapter();
        return a ? `${a.info.vendor} ${a.info.architecture}`.trim() : 'none';
      });
      return result.results.map((r) => ({
        where: `Chromium worker, ${r.device === 'webgpu' ? `WebGPU (${/swiftshader/i.test(adapter) ? 'SwiftShader, software' : adapter})` : 'WASM'}`,
        route: r.route, loadMs: r.loadMs, tokensPerSecond: r.tokensPerSecond,
      }));
    } finally {
      await browser.close();
    }
  }, modelsDir);
}

function print(title: string, figures: Figure[]): void {
  console.log(`\n${title}`);
  const w = [44, 8, 9, 10];
  console.log(['where', 'route', 'load ms', 'tokens/s'].map((c, k) => c.padStart(w[k])).join('  '));
  for (const f of figures) console.log([f.where, f.route, f.loadMs.toFixed(0), f.tokensPerSecond.toFixed(0)].map((c, k) => c.padStart(w[k])).join('  '));
  const places = [...new Set(figures.map((f) => f.where))];
  for (const where of places) {
    const weights = figures.find((f) => f.where === where && f.route === 'weights');
    const onnx = figures.find((f) => f.where === where && f.route === 'onnx');
    if (weights && onnx) {
      console.log(`  ${where}: weights vs ONNX route — tokens/s ${(weights.tokensPerSecond / onnx.tokensPerSecond).toFixed(2)}×, load time ${(weights.loadMs / onnx.loadMs).toFixed(2)}× (weights route also returns every layer)`);
    }
  }
}

/**
 * Writes real-size random BERTs (768 wide, 12 layers; one per seed, as bench/bert-768x12[-sSEED])
 * into a temp models directory beside the fixtures, or says why it cannot.
 */
export function realSizeModels(seeds: number[] = [7]): { dir: string; ids: string[]; cleanup: () => void } | string {
  const tokenizer = resolve(sharedDir, 'model-assets/thenlper/gte-small');
  if (!existsSync(tokenizer)) return `${tokenizer} is absent (it holds the bert-base-uncased tokenizer the bench model uses)`;
  const root = mkdtempSync(join(tmpdir(), 'poolscope-bench-models-'));
  const ids: string[] = [];
  for (const [k, seed] of seeds.entries()) {
    const id = `bench/bert-768x12${k ? `-s${seed}` : ''}`;
    const folder = join(root, id);
    mkdirSync(folder, { recursive: true });
    const python = spawnSync('/usr/bin/python3', [resolve(repoRoot, 'test/bench/generate_bench_bert.py'), folder, '--seed', String(seed)], { encoding: 'utf8' });
    if (python.status !== 0) {
      rmSync(root, { recursive: true, force: true });
      return `generate_bench_bert.py failed (needs Debian's python3-torch): ${(python.stderr || python.error?.message || '').trim().split('\n').at(-1)}`;
    }
    for (const f of ['tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'special_tokens_map.json']) copyFileSync(join(tokenizer, f), join(folder, f));
    ids.push(id);
  }
  // The fixture models stay reachable beside them.
  symlinkSync(resolve(repoRoot, 'test/fixtures/models/poolscope'), join(root, 'poolscope'));
  return { dir: root, ids, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export async function encoderRoutes(): Promise<void> {
  console.log('\n6. Encoder routes on the same weights: weights (graph built from safetensors, every layer) vs ONNX export (transformers.js)');
  const fixtureTexts = Number(process.env.BENCH_ENCODE_TEXTS ?? 200);
  process.env.POOLSCOPE_MODELS_DIR ??= resolve(repoRoot, 'test/fixtures/models');
  const fixture = [
    ...(await nodeFigures('poolscope/tiny-bert', benchTexts(fixtureTexts), 3)),
    ...(await browserFigures('poolscope/tiny-bert', fixtureTexts, resolve(repoRoot, 'test/fixtures/models'), 'wasm,webgpu')),
  ];
  print(`fixture size: poolscope/tiny-bert (32 wide, 2 layers), ${fixtureTexts} texts of 10–40 tokens`, fixture);

  const real = realSizeModels();
  if (typeof real === 'string') {
    console.log(`\nreal size: skipped — ${real}`);
    return;
  }
  try {
    const count = Number(process.env.BENCH_REAL_TEXTS ?? 30);
    const savedDir = process.env.POOLSCOPE_MODELS_DIR;
    process.env.POOLSCOPE_MODELS_DIR = real.dir;
    const node = await nodeFigures('bench/bert-768x12', benchTexts(count), 2);
    process.env.POOLSCOPE_MODELS_DIR = savedDir;
    // A 110 M-parameter model on SwiftShader takes minutes per text: software WebGPU is left out here unless asked for.
    const software = process.env.BENCH_REAL_SOFTWARE_GPU === '1';
    const browserTexts = Math.min(count, Number(process.env.BENCH_REAL_BROWSER_TEXTS ?? 10));
    const browser = await browserFigures('bench/bert-768x12', browserTexts, real.dir, 'wasm,webgpu', software);
    print(`real size: random-weight BERT, 768 wide, 12 layers (110 M parameters, 436 MB safetensors), ${count} texts in Node, ${browserTexts} in Chromium`, [...node, ...browser]);
    if (!software && !browser.some((f) => f.where.includes('WebGPU'))) console.log('  (WebGPU left out: the only adapter is software — BENCH_REAL_SOFTWARE_GPU=1 runs it anyway, minutes per text)');
  } finally {
    real.cleanup();
  }
}
