/**
 * The command line's surface: --help for the tool and each command, --version, options parsed by
 * node:util's parseArgs with "did you mean" for typos, and encoders loaded only by the commands
 * that use them (`stats` never imports transformers.js).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io';
import { run } from '../../src/cli/main';
import { COMMANDS } from '../../src/cli/registry';
import { editDistance } from '../../src/cli/suggest';
import { bin, fixtureEnv, poolscope, root } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'poolscope-options-'));

/** Runs a command line in-process; returns status, stdout and stderr. */
async function cli(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: { write: async (t) => void out.push(t), close: async () => {} },
    err: (line) => void err.push(line),
    progress: { isTTY: false, write: () => {} },
    file: () => ({ write: async () => {}, close: async () => {} }),
  };
  const status = await run(argv, io);
  return { status, stdout: out.join(''), stderr: err.join('\n') };
}

describe('help and version', () => {
  it('--help lists every command and exits 0', async () => {
    const r = await cli('--help');
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`\n  ${c.name} ${c.args}\n      ${c.summary}\n`);
    expect((await cli('help')).stdout).toBe(r.stdout);
  });

  for (const c of COMMANDS) {
    it(`${c.name} --help shows its usage and options`, async () => {
      const r = await cli(c.name, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: poolscope ${c.name} `));
      expect(r.stdout).toMatch(/^ {2}-h, --help +show this help$/m);
      expect(await cli('help', c.name)).toEqual(r);
      // --help wins over anything else on the line, even a bad option.
      expect((await cli(c.name, '--bogus', '-h')).status).toBe(0);
    });
  }

  it('--version prints the package version, as an installed poolscope does', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(await cli('--version')).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
    const r = poolscope(['--version']);
    expect([r.status, r.stdout]).toEqual([0, `${version}\n`]);
  });

  it('no command: the usage on stderr, status 2', async () => {
    const r = await cli();
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usage: poolscope <command>/);
  });
});

describe('usage errors: one line, status 2, a suggestion for a typo', () => {
  const cases: [string[], RegExp][] = [
    [['corpsu', 'x.txt'], /^poolscope: unknown command corpsu; did you mean corpus\?$/],
    [['tabel1'], /did you mean table1\?/],
    [['score', '--modle', 'glove', 'a', 'b'], /^poolscope: unknown option --modle for score; did you mean --model\?$/],
    [['corpus', '--sample-pair', '10', 'x.txt'], /did you mean --sample-pairs\?/],
    [['corpus', '--exclude', 'x.txt'], /did you mean --exclude-special\?/],
    [['stats', '--wibble', 'x.json'], /^poolscope: unknown option --wibble for stats$/],
    [['score', '--pairs', 'p.tsv'], /^poolscope: score takes no option --pairs \(poolscope score --help lists its options\)$/],
    [['stats', 'x.json', '--backend'], /--backend needs a value \(cpu\|webgpu\)/],
    [['score', '--model', '--backend', 'cpu', 'a', 'b'], /--model needs a value/],
    [['stats', 'x.json', '--backend', 'cuda'], /--backend must be cpu or webgpu, not cuda$/],
    [['stats', 'x.json', '--backend', 'webgup'], /not webgup; did you mean webgpu\?/],
    [['pairwise', 'x.json', '--format', 'jsnl'], /--format for pairwise must be json, jsonl or csv, not jsnl; did you mean jsonl\?/],
    [['stats', 'x.json', '--format', 'jsonl'], /--format for stats must be json or csv, not jsonl/],
    [['corpus', '--model', 'glove', '--limit', '0', 'x.txt'], /--limit must be a whole number of at least 1, not 0/],
    [['corpus', '--model', 'glove', '--limit', '2.5', 'x.txt'], /--limit must be a whole number of at least 1, not 2.5/],
    [['corpus', '--model', 'glove', '--sample-pairs', '5', '--seed', '4294967296', 'x.txt'], /--seed must be a whole number from 0 to 4294967295, not 4294967296/],
    [['score', '--model', 'glove', '--exclude-special=yes', 'a', 'b'], /--exclude-special takes no value/],
    [['score', '--model', 'glove', '--model', 'x', 'a', 'b'], /--model is given twice/],
    [['table1', '--models', 'glove,,x', 'f.txt'], /--models takes names separated by commas, with none empty/],
    [['table1', '--models', 'glove,glove', 'f.txt'], /--models names glove twice/],
    [['table1', 'f.txt'], /table1 needs --models/],
    [['corpus', '--model', 'glove'], /corpus needs a FILE.txt \(one text per line\) or --pairs PAIRS.tsv/],
    [['corpus', '--model', 'glove', '--pairs', 'p.tsv', 'f.txt'], /corpus takes FILE.txt or --pairs PAIRS.tsv, not both/],
    [['--backend', 'cpu', 'stats'], /the command comes first/],
    [['correlate', 'a.json'], /correlate needs TABLE1.json and SCORES.csv, got 1/],
    [['score', '--model', 'poolscope/ckpt-bert:q4', 'a', 'b'], /"poolscope\/ckpt-bert:q4" is not a model spec: after the model may come a build \(:fp32, :onnx, :q8 or :fp16\) and then a layer \(~K/],
    [['score', '--model', 'poolscope/ckpt-bert~', 'a', 'b'], /is not a model spec/],
    [['score', '--model', 'poolscope/ckpt-bert~1', '--layer', '2', 'a', 'b'], /--model poolscope\/ckpt-bert~1 names a layer \(~1\), and --layer says otherwise: give one of them/],
    [['score', '--model', 'poolscope/tiny-bert:q8', '--dtype', 'fp32', 'a', 'b'], /names a build \(:q8\), and --dtype says otherwise/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      const r = await cli(...argv);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const [line, hint] = r.stderr.split('\n');
      expect(line).toMatch(message);
      expect(hint).toMatch(/^run "poolscope (\w+ )?--help" for usage$/);
    });
  }

  it('--model takes a spec as the app writes it: org/name~K is --layer K, :onnx is --route onnx', () => {
    const [a, b] = ['the cat sat on the mat', 'stock markets fell'];
    const score = (...argv: string[]) => {
      const r = poolscope(['score', ...argv, a, b]);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { socm: number };
    };
    expect(score('--model', 'poolscope/ckpt-bert~1')).toEqual(score('--model', 'poolscope/ckpt-bert', '--layer', '1'));
    expect(score('--model', 'poolscope/tiny-bert-wide:onnx')).toEqual(score('--model', 'poolscope/tiny-bert-wide', '--route', 'onnx'));
    expect(score('--model', 'poolscope/ckpt-bert~1').socm).not.toBe(score('--model', 'poolscope/ckpt-bert').socm);
  });

  it('an output file in a missing folder stops the run before any work', () => {
    const texts = join(dir, 'two.txt');
    writeFileSync(texts, 'one text\nanother text\n');
    const r = poolscope(['corpus', '--model', 'glove', '--out', join(dir, 'no/such/folder/pairs.csv'), texts]);
    expect(r.status).toBe(1);
    expect(r.error).toMatch(/^poolscope: cannot write .*no\/such\/folder\/pairs.csv: no such folder$/);
  });

  it('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('modle', 'model')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('a text that starts with a dash goes after --', () => {
    const r = poolscope(['score', '--model', 'glove', '--', '-5 degrees outside', 'a warm day']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).tokensA).toBeGreaterThan(1);
  });
});

describe('encoders load only when a command needs one', () => {
  // A loader hook that refuses transformers.js and onnxruntime: what `stats` must never import.
  const hook = join(dir, 'block-encoders.mjs');
  writeFileSync(hook, `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
export async function resolve(specifier, context, next) {
  if (/^(@huggingface\\\\/transformers|onnxruntime-(node|web|common))/.test(specifier)) throw new Error('blocked import of ' + specifier);
  return next(specifier, context);
}\`));
`);
  const pair = join(dir, 'pair.json');
  writeFileSync(pair, JSON.stringify({ a: [[1, 2, 3], [2, 1, 0]], b: [[0, 1, 1], [3, 1, 2]] }));
  const withHook = (...args: string[]) => spawnSync(process.execPath, ['--import', hook, bin, ...args], { encoding: 'utf8', env: fixtureEnv });

  it('stats, pairwise and --help run with transformers.js made unimportable', () => {
    const stats = withHook('stats', pair);
    expect(stats.status, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout).socm).toBeGreaterThan(0);
    expect(withHook('embed', '--help').status).toBe(0);
    const texts = join(dir, 'texts.json');
    writeFileSync(texts, JSON.stringify({ texts: [[[1, 2]], [[2, 1]], [[1, 1]]] }));
    expect(withHook('pairwise', texts).status).toBe(0);
  });

  it('the hook does block it: a transformer model then cannot load', () => {
    const score = withHook('score', '--model', 'poolscope/tiny-bert', 'a', 'b');
    expect(score.status).toBe(1);
    expect(score.stderr).toMatch(/blocked import of (@huggingface\/transformers|onnxruntime-node)/);
  });
});
