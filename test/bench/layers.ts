/**
 * Bench section "layers" (issue 10): (7) keystroke to refreshed layers in the playground — two ~30-token
 * texts, two models, every layer's statistics — with the statistics on the page (hidden states of
 * every layer sent over from the encoder worker) and in the encoder worker beside the encoder, same
 * run, same keystrokes, at fixture size and real size; (8) per-layer corpus throughput for 300 texts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { layerSummaries } from '../../src/corpus/layers';
import { allPairsPlan } from '../../src/corpus/pairs';
import { createNodeEngine } from '../../src/engine/node';
import { loadNodeEncoder } from '../../src/encoders/node';
import { layerClouds } from '../../src/encoders/types';
import type { TokenMatrix } from '../../src/math';
import { sharedDir } from '../support/shared';
import { repoRoot, typeAndTime, withBuiltApp, type LatencySample } from './app-timing';
import { realSizeModels } from './routes';

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3));
const median = (xs: number[]) => xs.slice().sort((p, q) => p - q)[Math.floor(xs.length / 2)] ?? NaN;
const row = (cells: (string | number)[], widths: number[]) => cells.map((c, k) => String(c).padStart(widths[k])).join('  ');

const A = 'the first city school was known as the new music school of the world state and the team made a film about its first season';
const B = 'after the war the national university had more than two new schools and one music team that played during the season';

async function refresh(url: string, models: string[], rounds: number, label: string): Promise<void> {
  const page = `${url}?${new URLSearchParams({ a: A, b: B, models: models.join(',') })}`;
  const { samples: before } = await typeAndTime(page, { statsInWorker: false }, rounds);
  const { samples: after } = await typeAndTime(page, undefined, rounds);
  const pick = (xs: LatencySample[], key: keyof LatencySample) => median(xs.map((s) => s[key]));
  console.log(`\n${label}: ${models.join(' and ')}, medians over ${before.length} and ${after.length} panel updates (ms)`);
  const w = [34, 9, 11, 11, 9, 9, 9];
  console.log(row(['statistics computed', 'encode', 'pair stats', 'all layers', 'draw', 'other', 'total'], w));
  for (const [name, xs] of [['before: on the page', before], ['after: in the encoder worker', after]] as const) {
    const total = pick(xs, 'total'), enc = pick(xs, 'encode'), st = pick(xs, 'stats'), ly = pick(xs, 'layers'), ren = pick(xs, 'render');
    console.log(row([name, fmt(enc), fmt(st), fmt(ly), fmt(ren), fmt(Math.max(0, total - pick(xs, 'wait') - enc - st - ly - ren)), fmt(total)], w));
  }
  const ratio = pick(before, 'total') / pick(after, 'total');
  console.log(`  worker vs page, keystroke to refreshed layers: ${ratio.toFixed(2)}× (${ratio >= 1 ? 'faster' : 'slower'}); encode here includes, before, sending every layer's hidden states to the page`);
}

function corpusTexts(count: number): { texts: string[]; source: string } {
  const wiki = resolve(sharedDir, 'data/wiki1m-sample-1000.txt');
  if (existsSync(wiki)) return { texts: readFileSync(wiki, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean).slice(0, count), source: 'wiki1m sentences' };
  const words = A.split(' ');
  let seed = 3;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  return { texts: Array.from({ length: count }, () => Array.from({ length: 10 + Math.floor(random() * 30) }, () => words[Math.floor(random() * words.length)]).join(' ')), source: 'synthetic texts' };
}

async function corpusPerLayer(model: string, count: number, backend: 'cpu' | 'webgpu'): Promise<void> {
  const { texts, source } = corpusTexts(count);
  const encoder = await loadNodeEncoder(model);
  const t0 = performance.now();
  const byLayer: TokenMatrix[][] = Array.from({ length: (encoder.info.layers ?? 0) + 1 }, () => []);
  let tokens = 0;
  for (let k = 0; k < texts.length; k += 16) {
    for (const e of await encoder.encode(texts.slice(k, k + 16), { layer: 'all' })) {
      layerClouds(e).forEach((c, l) => byLayer[l].push(c));
      tokens += e.n;
    }
  }
  const encodeS = (performance.now() - t0) / 1000;
  await encoder.dispose();
  const engine = await createNodeEngine(backend);
  const plan = allPairsPlan(texts.length);
  const t1 = performance.now();
  const times: number[] = [];
  let last = t1;
  await layerSummaries(engine, byLayer, plan, { onLayer: () => { const now = performance.now(); times.push(now - last); last = now; } });
  const statsS = (performance.now() - t1) / 1000;
  engine.dispose();
  const perLayer = plan.count / (median(times) / 1000);
  console.log(row([model, `${byLayer.length}`, `${(tokens / encodeS).toFixed(0)}`, `${(plan.count * byLayer.length / statsS).toFixed(0)}`, perLayer.toFixed(0), (encodeS + statsS).toFixed(1), engine.description.split(' (')[0].slice(0, 30)], [22, 7, 12, 14, 14, 9, 30]));
  void source;
}

export async function layersBench(): Promise<void> {
  const rounds = Number(process.env.BENCH_LAYER_ROUNDS ?? 6);
  console.log('\n7. Keystroke to refreshed layers in the playground (production build, headless Chromium; encoding on WASM; statistics on this machine\'s WebGPU adapter — SwiftShader here, a software GPU)');
  await withBuiltApp((url) => refresh(url, ['poolscope/ckpt-bert', 'poolscope/ckpt-nomic'], rounds, 'fixture size (32 wide; 3 and 2 layers)'));
  const real = realSizeModels([7, 8]);
  if (typeof real === 'string') console.log(`real size: skipped — ${real}`);
  else {
    try {
      await withBuiltApp((url) => refresh(url, real.ids, Number(process.env.BENCH_REAL_ROUNDS ?? 3), 'real size (two random-weight BERTs, 768 wide, 12 layers)'), real.dir);
    } finally {
      real.cleanup();
    }
  }

  const count = Number(process.env.BENCH_LAYER_TEXTS ?? 300);
  console.log(`\n8. Corpus, every layer: ${count} ${corpusTexts(count).source}, ${(count * (count - 1)) / 2} pairs at each layer (Node; encoding on onnxruntime-node CPU)`);
  console.log(row(['model', 'layers', 'tokens/s', 'pairs/s (all)', 'pairs/s/layer', 'total s', 'statistics'], [22, 7, 12, 14, 14, 9, 30]));
  process.env.POOLSCOPE_MODELS_DIR ??= resolve(repoRoot, 'test/fixtures/models');
  process.env.POOLSCOPE_OFFLINE = '1';
  await corpusPerLayer('poolscope/ckpt-bert', count, 'cpu');
  await corpusPerLayer('poolscope/ckpt-bert', Math.min(count, Number(process.env.BENCH_LAYER_GPU_TEXTS ?? 60)), 'webgpu');
  const big = realSizeModels([7]);
  if (typeof big === 'string') console.log(`real size: skipped — ${big}`);
  else {
    const saved = process.env.POOLSCOPE_MODELS_DIR;
    process.env.POOLSCOPE_MODELS_DIR = big.dir;
    try {
      await corpusPerLayer(big.ids[0], count, 'cpu');
    } finally {
      process.env.POOLSCOPE_MODELS_DIR = saved;
      big.cleanup();
    }
  }
  console.log('  (webgpu rows use fewer texts: SwiftShader is a software GPU; pairs/s/layer is the median layer\'s all-pairs rate)');
}
