import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refSocm } from '../support/reference';
import { checkpointReference } from '../support/fixtures';
import { expectClose } from '../support/assert';
import { poolscope, throughPipe } from '../support/cli';

const refs = checkpointReference();
const nomic = refs.find((r) => r.model_type === 'nomic_bert')!;
const bert = refs.find((r) => r.model === 'poolscope/ckpt-bert')!;

describe('poolscope layers / --layer (the CLI as a subprocess, stdout through a pipe)', () => {
  it('layers: every layer of two texts equals the float64 reference on PyTorch\'s hidden states', () => {
    for (const ref of [nomic, bert]) {
      const [a, b] = [ref.texts[0], ref.texts[1]];
      const r = throughPipe(['layers', '--model', ref.model, a.text, b.text]);
      expect(r.status, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout);
      expect(got.model).toBe(ref.model);
      expect([got.tokensA, got.tokensB]).toEqual([a.ids.length, b.ids.length]);
      expect(got.layers.map((l: { layer: number }) => l.layer)).toEqual(Array.from({ length: ref.layers + 1 }, (_, k) => k));
      got.layers.forEach((l: Record<string, number>, k: number) => {
        const want = refSocm(a.hidden_states[k], b.hidden_states[k]);
        for (const key of ['d1', 'd2', 'socm', 'traceA', 'traceB'] as const) expectClose(l[key], want[key], 0, 1e-4, `${ref.model} layer ${k} ${key}`);
        expect(l.withinCosA).toBeGreaterThan(-1);
        expect(l.withinCosA).toBeLessThan(1);
      });
    }
  });

  it('layers --format csv: a header and one row per layer', () => {
    const r = throughPipe(['layers', '--model', nomic.model, '--format', 'csv', 'the paper', 'a city school'], { reader: 'cat' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('layer,d1,d2,socm,traceA,traceB,withinCosA,withinCosB');
    expect(lines).toHaveLength(nomic.layers + 2);
  });

  it('embed --layer all prints L+1 token matrices equal to PyTorch\'s; --layer 1 that layer alone', () => {
    const text = bert.texts[0];
    const all = throughPipe(['embed', '--model', bert.model, '--layer', 'all', text.text]);
    expect(all.status, all.stderr).toBe(0);
    const row = JSON.parse(all.stdout);
    expect(row.vectors).toBeUndefined();
    expect(row.layers).toHaveLength(bert.layers + 1);
    row.layers.forEach((m: number[][], k: number) => m.forEach((r: number[], i: number) => r.forEach((v, j) => expectClose(v, text.hidden_states[k][i][j], 0, 1e-4, `layer ${k} (${i},${j})`))));
    const one = JSON.parse(throughPipe(['embed', '--model', bert.model, '--layer', '1', text.text]).stdout);
    expect(one.layer).toBe(1);
    expect(one.vectors).toEqual(row.layers[1]);
    const last = JSON.parse(throughPipe(['embed', '--model', bert.model, '--layer=-1', text.text]).stdout);
    expect(last.layer).toBe(bert.layers);
  });

  it('score --layer K equals the reference at that layer; the default is the last', () => {
    const [a, b] = [nomic.texts[0], nomic.texts[2]];
    for (const layer of [1, undefined]) {
      const r = poolscope(['score', '--model', nomic.model, ...(layer === undefined ? [] : ['--layer', String(layer)]), a.text, b.text]);
      expect(r.status, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout);
      const k = layer ?? nomic.layers;
      expect(got.layer).toBe(k);
      const want = refSocm(a.hidden_states[k], b.hidden_states[k]);
      for (const key of ['d1', 'd2', 'socm'] as const) expectClose(got[key], want[key], 0, 1e-4, `layer ${k} ${key}`);
    }
  });

  it('corpus --layer all adds the summary at every layer; its last layer is the main summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poolscope-layers-'));
    const file = join(dir, 'texts.txt');
    writeFileSync(file, `${bert.texts.map((t) => t.text).join('\n')}\nthe city school\nmusic of the world\n`);
    const r = throughPipe(['corpus', '--model', bert.model, '--layer', 'all', '--bootstrap', '0', file]);
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout);
    expect(got.layers).toHaveLength(bert.layers + 1);
    const last = got.layers.at(-1);
    for (const key of ['mean_socm', 'median_socm', 'mean_d1', 'mean_d2', 'mean_trace', 'mean_within_cosine']) expectClose(last[key], got[key], 0, 1e-12, key);
    // Layer 0 over the reference texts' pairs, from the PyTorch hidden states.
    const k = 0;
    const refTexts = bert.texts;
    let sum = 0;
    let pairs = 0;
    const spreads = refTexts.map((t) => Math.sqrt(refSocm(t.hidden_states[k], t.hidden_states[k]).traceA));
    for (let i = 0; i < refTexts.length; i++) for (let j = i + 1; j < refTexts.length; j++) { sum += refSocm(refTexts[i].hidden_states[k], refTexts[j].hidden_states[k]).socm; pairs++; }
    const only = JSON.parse(throughPipe(['corpus', '--model', bert.model, '--layer', 'all', '--bootstrap', '0', '--limit', String(refTexts.length), file]).stdout);
    expectClose(only.layers[0].mean_socm, sum / pairs, 0, 1e-4, 'layer 0 mean SOCM');
    expectClose(only.layers[0].mean_spread, spreads.reduce((s, x) => s + x, 0) / spreads.length, 0, 1e-4, 'layer 0 mean spread');
  });

  it('--layer K on corpus measures that layer and says which', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poolscope-layers-'));
    const file = join(dir, 'texts.txt');
    writeFileSync(file, nomic.texts.map((t) => t.text).join('\n'));
    const got = JSON.parse(poolscope(['corpus', '--model', nomic.model, '--layer', '0', '--bootstrap', '0', file]).stdout);
    expect(got.layer).toBe(0);
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i < nomic.texts.length; i++) for (let j = i + 1; j < nomic.texts.length; j++) { sum += refSocm(nomic.texts[i].hidden_states[0], nomic.texts[j].hidden_states[0]).socm; pairs++; }
    expectClose(got.mean_socm, sum / pairs, 0, 1e-4, 'mean SOCM at layer 0');
  });

  it('errors: one line each', () => {
    expect(poolscope(['layers', '--model', 'glove', 'a cat', 'a dog']).error).toMatch(/glove gives only its word vectors, not layer all: static word vectors have no layers/);
    expect(poolscope(['layers', '--model', 'poolscope/tiny-bert', '--route', 'onnx', 'a', 'b']).error).toMatch(/gives only its last layer, not layer all: this is an ONNX export/);
    const r = poolscope(['score', '--model', bert.model, '--layer', 'all', 'a', 'b']);
    expect([r.status, r.error]).toEqual([2, expect.stringMatching(/score measures one layer; for every layer use poolscope layers/)]);
    expect(poolscope(['score', '--model', bert.model, '--layer', '9', 'a', 'b']).error).toMatch(/has layers 0…3 .*no layer 9/);
    expect(poolscope(['score', '--model', bert.model, '--layer', 'x', 'a', 'b']).error).toMatch(/--layer must be a layer number .* or all, not x/);
    expect(poolscope(['layers', '--model', bert.model, 'only one']).error).toMatch(/layers needs exactly two texts, got 1/);
  });
});
