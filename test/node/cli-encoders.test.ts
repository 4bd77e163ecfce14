import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodeEncoder } from '../../src/encoders/node';
import { tokenCloud } from '../../src/encoders/types';
import { socmOfTexts } from '../../src/math';
import { expectClose } from '../support/assert';
import { fixtureModelsDir } from '../support/fixtures';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/poolscope.js');
const env = { ...process.env, POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' };

function poolscope(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, error: r.stderr.split('\n').find((l) => l.startsWith('poolscope:')) ?? '' };
}

const A = 'Virginia Woolf set many scenes of her novel Night and Day in Russell Square.';
const B = 'He was born on an island, north of the city (1919).';

describe('poolscope score', () => {
  const saved = { ...process.env };
  beforeAll(() => Object.assign(process.env, { POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' }));
  afterAll(() => {
    for (const k of ['POOLSCOPE_MODELS_DIR', 'POOLSCOPE_OFFLINE']) if (saved[k] === undefined) delete process.env[k];
  });

  for (const model of ['poolscope/tiny-bert', 'glove']) {
    for (const excludeSpecial of [false, true]) {
      it(`${model}${excludeSpecial ? ' --exclude-special' : ''} equals encoding and scoring in-process`, async () => {
        const r = poolscope('score', '--model', model, ...(excludeSpecial ? ['--exclude-special'] : []), A, B);
        expect(r.status, r.stderr).toBe(0);
        const got = JSON.parse(r.stdout);
        const encoder = await loadNodeEncoder(model);
        const [a, b] = await encoder.encode([A, B]);
        const want = socmOfTexts(tokenCloud(a, excludeSpecial), tokenCloud(b, excludeSpecial));
        await encoder.dispose();
        expect(got.model).toBe(model);
        expect([got.tokensA, got.tokensB]).toEqual([want.tokensA, want.tokensB]);
        for (const k of ['d1', 'd2', 'socm', 'traceA', 'traceB'] as const) expectClose(got[k], want[k], 1e-12, 1e-15, k);
        if (model !== 'glove') expect(got.tokensA).toBe(a.n - (excludeSpecial ? 2 : 0));
      });
    }
  }

  it('--backend webgpu agrees with the CPU within 1e-4', () => {
    const cpu = JSON.parse(poolscope('score', '--model', 'poolscope/tiny-bert-wide', A, B).stdout);
    const gpu = JSON.parse(poolscope('score', '--model', 'poolscope/tiny-bert-wide', '--backend', 'webgpu', A, B).stdout);
    for (const k of ['d1', 'd2', 'socm'] as const) expectClose(gpu[k], cpu[k], 0, 1e-4, k);
    expect(gpu.backend).toMatch(/^WebGPU/);
  });

  it('flags a truncated text', () => {
    const long = Array.from({ length: 100 }, () => 'cloud').join(' ');
    const out = JSON.parse(poolscope('score', '--model', 'poolscope/tiny-bert', long, B).stdout);
    expect(out.flags).toContain('truncated-A');
    expect(out.tokensA).toBe(64);
  });

  const errors: [string, string[], RegExp][] = [
    ['unknown model', ['score', '--model', 'nobody/nothing', 'a', 'b'], /model "nobody\/nothing" not found in POOLSCOPE_MODELS_DIR/],
    ['folder without model files', ['score', '--model', tmpdir(), 'a', 'b'], /folder .* is missing config\.json, tokenizer\.json/],
    ['ONNX without last_hidden_state', ['score', '--model', 'poolscope/wrong-output', 'a', 'b'], /no output named last_hidden_state/],
    ['no --model', ['score', 'a', 'b'], /score needs --model/],
    ['empty text', ['score', '--model', 'glove', '  ', 'b'], /text A is empty/],
    ['no known words', ['score', '--model', 'glove', '😀', 'the cat'], /text A has no tokens with a word vector/],
    ['one text', ['score', '--model', 'glove', 'a'], /score needs exactly two texts, got 1/],
  ];
  for (const [name, args, message] of errors) {
    it(`error: ${name}`, () => {
      const r = poolscope(...args);
      expect(r.status).not.toBe(0);
      expect(r.error).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    });
  }
});

describe('poolscope embed', () => {
  it('prints one JSON line per text from --file lines and arguments', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'poolscope-embed-')), 'texts.txt');
    writeFileSync(file, 'the paper\n\nmean pooling\n');
    const r = poolscope('embed', '--model', 'poolscope/tiny-bert', '--file', file, 'a');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.text)).toEqual(['the paper', 'mean pooling', 'a']);
    expect(lines[2].tokens).toEqual(['[CLS]', 'a', '[SEP]']);
    expect(lines[2].special).toEqual([1, 0, 1]);
    expect(lines[2].vectors).toHaveLength(3);
    expect(lines[2].vectors[0]).toHaveLength(32);
  });

  it('notes truncation on stderr', () => {
    const r = poolscope('embed', '--model', 'poolscope/tiny-bert', Array.from({ length: 80 }, () => 'paper').join(' '));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/has 82 tokens; poolscope\/tiny-bert takes 64, so it was truncated/);
  });
});
