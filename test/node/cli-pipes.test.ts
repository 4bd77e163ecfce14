/**
 * Nothing lost through a pipe: every command's stdout, read through a real shell pipe by a reader
 * that starts late (so the 64 KiB pipe buffer fills many times over), arrives whole, and the exit
 * status is still right. Progress goes to stderr only: a bar on a terminal, plain lines in a log.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_TEXTS } from '../../src/corpus/sample';
import { socmOfTexts } from '../../src/math';
import { bin, fixtureEnv, poolscope, throughPipe } from '../support/cli';
import { randomCloud, rng, toMatrix } from '../support/random';

const dir = mkdtempSync(join(tmpdir(), 'poolscope-pipes-'));
const PIPE_BUFFER = 64 * 1024;

/** n distinct texts made from the built-in sample. */
function lines(n: number): string[] {
  return Array.from({ length: n }, (_, k) => `${SAMPLE_TEXTS[k % SAMPLE_TEXTS.length]} (${k})`);
}

const texts1000 = join(dir, 'texts1000.txt');
writeFileSync(texts1000, `${lines(1000).join('\n')}\n`);
const texts150 = join(dir, 'texts150.txt');
writeFileSync(texts150, `${lines(150).join('\n')}\n`);
const clouds = (() => {
  const r = rng(11);
  return Array.from({ length: 120 }, (_, i) => randomCloud(r, 2 + (i % 5), 8, 0.3));
})();
const pairsJson = join(dir, 'texts.json');
writeFileSync(pairsJson, JSON.stringify({ texts: clouds }));

describe('stdout through a pipe is complete', () => {
  it('embed --file on 1,000 lines prints 1,000 complete JSON lines', () => {
    const r = throughPipe(['embed', '--model', 'glove', '--file', texts1000]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(20 * PIPE_BUFFER);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(1000);
    expect(out.map((e) => e.text)).toEqual(lines(1000));
    expect(out[999].vectors).toHaveLength(out[999].tokens.length);
  });

  it('pairwise: the JSON document holds every pair (7,140), equal to the reference', () => {
    const r = throughPipe(['pairwise', pairsJson]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(5 * PIPE_BUFFER);
    const out = JSON.parse(r.stdout);
    expect(out.texts).toBe(120);
    expect(out.pairs).toHaveLength(7140);
    const [i, j, d1, d2, socm] = out.pairs[7139];
    expect([i, j]).toEqual([118, 119]);
    const want = socmOfTexts(toMatrix(clouds[i]), toMatrix(clouds[j]));
    expect([d1, d2, socm]).toEqual([want.d1, want.d2, want.socm]);
  });

  it('pairwise --format jsonl and csv: one line per pair', () => {
    const jsonl = throughPipe(['pairwise', pairsJson, '--format', 'jsonl']);
    expect(jsonl.status).toBe(0);
    const rows = jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(7140);
    expect(Object.keys(rows[0])).toEqual(['i', 'j', 'd1', 'd2', 'socm']);
    const csv = throughPipe(['pairwise', pairsJson, '--format', 'csv']);
    const csvLines = csv.stdout.trimEnd().split('\n');
    expect(csvLines[0]).toBe('i,j,d1,d2,socm');
    expect(csvLines).toHaveLength(7141);
    expect(csvLines[7140].split(',').map(Number)).toEqual(Object.values(rows[7139]));
  });

  it('corpus --format jsonl prints every pair (4,950 of 100 texts) and the summary on stderr', () => {
    const r = throughPipe(['corpus', '--model', 'glove', '--format', 'jsonl', '--limit', '100', texts150]);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(r.stdout.length).toBeGreaterThan(10 * PIPE_BUFFER);
    expect(rows).toHaveLength(4950);
    expect(new Set(rows.map((p) => `${p.i},${p.j}`)).size).toBe(4950);
    expect(rows[4949]).toMatchObject({ i: 98, j: 99, text_i: lines(100)[98], text_j: lines(100)[99] });
    const summary = JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('poolscope: summary '))!.slice('poolscope: summary '.length));
    expect(summary.pairs).toBe(4950);
    const mean = rows.reduce((s, p) => s + p.socm, 0) / rows.length;
    expect(Math.abs(summary.mean_socm - mean)).toBeLessThan(1e-12);
  });

  it('into a file as well (stdout redirected), and --out writes the same rows', () => {
    const file = join(dir, 'corpus.csv');
    const out = join(dir, 'corpus-out.csv');
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" corpus --model glove --limit 60 --format csv --out "${out}" --quiet "${texts150}" > "${file}"`], { env: fixtureEnv, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const rows = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('i,j,d1,d2,socm,text_i,text_j');
    expect(rows).toHaveLength(1 + 1770);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(file, 'utf8'));
  });

  it('a reader that stops early (| head -n 1) ends the run quietly with status 141', () => {
    const r = throughPipe(['embed', '--model', 'glove', '--file', texts1000], { reader: 'head -n 1' });
    expect(r.status).toBe(141);
    expect(JSON.parse(r.stdout).text).toBe(lines(1)[0]);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
  });

  it('a failing command still says why and exits 1 through a pipe, with nothing on stdout', () => {
    const r = throughPipe(['pairwise', join(dir, 'absent.json')]);
    expect(r.status).toBe(1);
    expect(r.error).toMatch(/cannot read .*absent.json: no such file/);
    expect(r.stdout).toBe('');
  });
});

describe('progress goes to stderr only', () => {
  it('in a log: plain lines, one per tenth, ending with the total', () => {
    const r = poolscope(['corpus', '--model', 'glove', '--limit', '60', texts150]);
    expect(r.status, r.stderr).toBe(0);
    JSON.parse(r.stdout);
    const progress = r.stderr.split('\n').filter((l) => /^pairs /.test(l));
    expect(progress.at(-1)).toBe('pairs 1770/1770');
    expect(progress.length).toBeLessThanOrEqual(11);
    expect(r.stderr).toMatch(/^texts encoded 60\/60$/m);
    expect(r.stderr).not.toMatch(/\r|\x1b\[/);
  });

  it.skipIf(!existsSync('/usr/bin/script'))('on a terminal: a redrawn bar on stderr, while stdout (a file) gets only data', () => {
    const out = join(dir, 'tty.csv');
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${bin}" pairwise --format csv "${pairsJson}" > "${out}"`, '/dev/null'], { encoding: 'utf8', env: fixtureEnv });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/\r\x1b\[Kpairs [█░]+ 7140\/7140 100%/);
    const csv = readFileSync(out, 'utf8');
    expect(csv.trimEnd().split('\n')).toHaveLength(7141);
    expect(csv).not.toMatch(/pairs|█/);
  });

  it('--quiet: nothing on stderr', () => {
    const r = poolscope(['corpus', '--model', 'glove', '--limit', '20', '--quiet', texts150]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
