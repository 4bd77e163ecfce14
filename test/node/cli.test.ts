import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { socmOfTexts } from '../../src/math';
import { expectClose } from '../support/assert';
import { randomCloud, rng, toMatrix } from '../support/random';
import { hasGolden, loadGolden } from '../support/shared';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/poolscope.js');
const dir = mkdtempSync(join(tmpdir(), 'poolscope-cli-'));

function poolscope(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** The last stderr line, ignoring Dawn's native driver warnings. */
function errorLine(stderr: string): string {
  return stderr.split('\n').filter((l) => l.startsWith('poolscope:'))[0] ?? '';
}

describe.skipIf(!hasGolden)('poolscope stats on the golden cases', () => {
  const cases = loadGolden();
  for (const backend of ['cpu', 'webgpu'] as const) {
    it(`--backend ${backend}`, () => {
      for (const c of cases) {
        const r = poolscope('stats', file(`${c.name}.json`, { a: c.a, b: c.b }), '--backend', backend);
        expect(r.status, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout);
        for (const k of ['d1', 'd2', 'socm', 'traceA', 'traceB'] as const) {
          if (backend === 'cpu') expectClose(out[k], c.expected[k], 1e-9, 1e-14, `${c.name} ${k}`);
          else expectClose(out[k], c.expected[k], k.startsWith('trace') ? 1e-4 : 0, 1e-4, `${c.name} ${k}`);
        }
        expect([out.tokensA, out.tokensB]).toEqual([c.a.length, c.b.length]);
        expect(out.flags).toEqual(c.expected.traceA > 2 || c.expected.traceB > 2 ? ['trace-over-2'] : []);
      }
    });
  }
});

describe('poolscope pairwise', () => {
  const r = rng(6);
  const rows = Array.from({ length: 6 }, (_, i) => randomCloud(r, 2 + 2 * i, 16, 0.3));
  const path = file('texts.json', { texts: rows });

  for (const backend of ['cpu', 'webgpu'] as const) {
    it(`--backend ${backend}: every pair, and the means of them`, () => {
      const res = poolscope('pairwise', path, `--backend=${backend}`);
      expect(res.status, res.stderr).toBe(0);
      const out = JSON.parse(res.stdout);
      expect(out.pairs).toHaveLength(15);
      let sum = 0;
      for (const [i, j, d1, d2, socm] of out.pairs) {
        const want = socmOfTexts(toMatrix(rows[i]), toMatrix(rows[j]));
        const tol = backend === 'cpu' ? 1e-12 : 1e-4;
        expectClose(d1, want.d1, 0, tol, 'd1');
        expectClose(d2, want.d2, 0, tol, 'd2');
        expectClose(socm, want.socm, 0, tol, 'socm');
        sum += socm;
      }
      expectClose(out.mean_socm, sum / 15, 1e-9, 0, 'mean_socm');
      expect(out).toHaveProperty('mean_d1');
      expect(out).toHaveProperty('mean_d2');
    });
  }
});

describe('poolscope bad input: one line naming the problem, non-zero exit, no stack trace', () => {
  const cases: [string, string, string, RegExp][] = [
    ['ragged rows', 'stats', JSON.stringify({ a: [[1, 2], [1]], b: [[1, 2]] }), /text A: ragged rows: token 1 has 1 values/],
    ['NaN (null in JSON)', 'stats', JSON.stringify({ a: [[1, null]], b: [[1, 2]] }), /text A: token 0, dimension 1 is null/],
    ['zero-norm mean', 'stats', JSON.stringify({ a: [[1, 1], [-1, -1]], b: [[1, 2]] }), /text A: the mean of its token vectors has zero norm/],
    ['empty list', 'stats', JSON.stringify({ a: [], b: [[1, 2]] }), /text A: has no tokens/],
    ['mismatched widths', 'stats', JSON.stringify({ a: [[1, 2]], b: [[1, 2, 3]] }), /width 2 .* width 3/],
    ['non-JSON', 'stats', '{"a": [[1, 2]', /is not valid JSON/],
    ['missing key', 'stats', JSON.stringify({ a: [[1]] }), /must hold \{"a": \[\[\.\.\.\]\], "b": \[\[\.\.\.\]\]\}; "b" is missing/],
    ['one text for pairs', 'pairwise', JSON.stringify({ texts: [[[1, 2]]] }), /need at least 2 texts/],
  ];
  for (const [name, command, content, message] of cases) {
    for (const backend of ['cpu', 'webgpu']) {
      it(`${name} (${backend})`, () => {
        const r = poolscope(command, file(`bad-${name.replace(/\W/g, '')}.json`, content), '--backend', backend);
        expect(r.status).toBe(1);
        expect(errorLine(r.stderr)).toMatch(message);
        expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(r.stdout).toBe('');
      });
    }
  }

  it('a missing file, an unknown command and a bad backend', () => {
    expect(errorLine(poolscope('stats', join(dir, 'absent.json')).stderr)).toMatch(/cannot read .*absent.json: no such file/);
    const unknown = poolscope('frobnicate', 'x');
    expect(unknown.status).toBe(2);
    expect(errorLine(unknown.stderr)).toBe('poolscope: unknown command frobnicate');
    expect(errorLine(poolscope('stats', 'x.json', '--backend', 'cuda').stderr)).toMatch(/--backend must be cpu or webgpu, not cuda/);
  });

  it('--help prints usage and exits 0', () => {
    const r = poolscope('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/poolscope stats|stats FILE.json/);
  });
});
