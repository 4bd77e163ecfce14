import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { median, pairsCsv } from '../../src/corpus/run';
import { fieldsOf, formatOf, parseCorpus, parseCsv } from '../../src/corpus/parse';
import { SAMPLE_TEXTS } from '../../src/corpus/sample';
import { streamWiki1m } from '../../src/corpus/wiki1m';
import { loadNodeEncoder } from '../../src/encoders/node';
import { tokenCloud } from '../../src/encoders/types';
import { socmOfTexts } from '../../src/math';
import { fixtureModelsDir } from '../support/fixtures';
import { sharedDir } from '../support/shared';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/poolscope.js');
const wiki = resolve(sharedDir, 'data/wiki1m-sample-1000.txt');
const hasWiki = existsSync(wiki);
if (!hasWiki) console.warn(`[poolscope tests] ${wiki} is absent: corpus tests on the paper's sentences are skipped`);
const env = { ...process.env, POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' };
const saved = { dir: process.env.POOLSCOPE_MODELS_DIR, offline: process.env.POOLSCOPE_OFFLINE };
beforeAll(() => Object.assign(process.env, { POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' }));
afterAll(() => {
  if (saved.dir === undefined) delete process.env.POOLSCOPE_MODELS_DIR;
  else process.env.POOLSCOPE_MODELS_DIR = saved.dir;
  if (saved.offline === undefined) delete process.env.POOLSCOPE_OFFLINE;
});

describe.skipIf(!hasWiki)('poolscope corpus on 100 sentences of the paper corpus (../shared/data)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poolscope-corpus-'));
  const file = join(dir, 'wiki100.txt');
  const texts = hasWiki ? readFileSync(wiki, 'utf8').split('\n').filter((l) => l.trim()).slice(0, 100) : [];
  writeFileSync(file, `${texts.join('\n')}\n`);

  for (const model of ['poolscope/tiny-bert', 'glove']) {
    it(`${model}: the WGSL corpus mean equals the mean of CPU pairs computed one by one (1e-5)`, async () => {
      const csv = join(dir, `${model.replace(/\W/g, '-')}.csv`);
      const r = spawnSync(process.execPath, [bin, 'corpus', '--model', model, '--backend', 'webgpu', '--out', csv, file], { encoding: 'utf8', env, timeout: 300_000 });
      expect(r.status, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout);
      expect([got.texts, got.pairs, got.skipped]).toEqual([100, 4950, 0]);
      expect(r.stderr).toMatch(/texts encoded 100\/100/);
      expect(r.stderr).toMatch(/pairs 4950\/4950/);

      const encoder = await loadNodeEncoder(model);
      const encoded = await encoder.encode(texts);
      await encoder.dispose();
      const clouds = encoded.map((e) => tokenCloud(e));
      let sum = 0;
      const socms: number[] = [];
      for (let i = 0; i < clouds.length; i++) {
        for (let j = i + 1; j < clouds.length; j++) {
          const s = socmOfTexts(clouds[i], clouds[j]).socm;
          sum += s;
          socms.push(s);
        }
      }
      expect(Math.abs(got.mean_socm - sum / 4950)).toBeLessThan(1e-5);
      expect(Math.abs(got.median_socm - median(socms))).toBeLessThan(1e-4);
      const rows = readFileSync(csv, 'utf8').trim().split('\n');
      expect(rows[0]).toBe('i,j,d1,d2,socm,text_i,text_j');
      expect(rows).toHaveLength(4951);
      expect(got.mean_trace).toBeGreaterThan(0);
      expect(got.mean_within_cosine).toBeGreaterThan(-1);
      expect(got.mean_within_cosine).toBeLessThan(1);
    }, 300_000);
  }

  it('--limit, and errors for too few texts', () => {
    const r = spawnSync(process.execPath, [bin, 'corpus', '--model', 'glove', '--limit', '5', file], { encoding: 'utf8', env });
    expect(JSON.parse(r.stdout).pairs).toBe(10);
    const one = join(dir, 'one.txt');
    writeFileSync(one, 'just one line\n\n');
    const bad = spawnSync(process.execPath, [bin, 'corpus', '--model', 'glove', one], { encoding: 'utf8', env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/has 1 non-empty line\(s\): a corpus needs at least 2 texts/);
  });
});

describe('corpus input', () => {
  it('lines, CSV (quotes, commas, newlines in fields) and JSONL, by column or field', () => {
    expect(parseCorpus('a\n\n b \r\nc', 'lines')).toEqual(['a', 'b', 'c']);
    const csv = 'id,text\n1,"Hello, ""world"""\n2,"two\nlines"\n3,\n';
    expect(parseCsv(csv)).toEqual([['id', 'text'], ['1', 'Hello, "world"'], ['2', 'two\nlines'], ['3', '']]);
    expect(parseCorpus(csv, 'csv', 'text')).toEqual(['Hello, "world"', 'two\nlines']);
    expect(fieldsOf(csv, 'csv')).toEqual(['id', 'text']);
    expect(() => parseCorpus(csv, 'csv', 'body')).toThrowError(/no column "body" \(columns: id, text\)/);
    const jsonl = '{"id": 1, "sentence": "first", "lang": "en"}\n{"id": 2, "sentence": "second", "lang": "en"}\n';
    expect(fieldsOf(jsonl, 'jsonl')).toEqual(['sentence', 'lang']);
    expect(parseCorpus(jsonl, 'jsonl', 'sentence')).toEqual(['first', 'second']);
    expect(() => parseCorpus('{"a": 1}\nnot json', 'jsonl', 'a')).toThrowError(/line 1 has no text field "a"/);
    expect(() => parseCorpus('{"a": "x"}\nnot json', 'jsonl', 'a')).toThrowError(/line 2 is not valid JSON/);
    expect([formatOf('x.CSV'), formatOf('x.jsonl'), formatOf('x.txt')]).toEqual(['csv', 'jsonl', 'lines']);
  });

  it('the built-in sample is varied and offline', () => {
    expect(SAMPLE_TEXTS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(SAMPLE_TEXTS).size).toBe(SAMPLE_TEXTS.length);
  });

  it('per-pair CSV quotes texts', () => {
    expect(pairsCsv([[0, 1, 0.5, 0.25, 0.125]], ['a "b"', 'c,d'])).toBe('i,j,d1,d2,socm,text_i,text_j\n0,1,0.5,0.25,0.125,"a ""b""","c,d"\n');
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('streaming the head of wiki1m with a range request', () => {
  const body = Array.from({ length: 50 }, (_, i) => `sentence number ${i} of the corpus`).join('\n');
  /** A server that honours Range like the hub: 206 and the first bytes only, in small chunks. */
  const rangeFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    const range = new Headers(init?.headers).get('Range') ?? '';
    const end = Number(/bytes=0-(\d+)/.exec(range)?.[1] ?? body.length - 1);
    const bytes = new TextEncoder().encode(body).slice(0, end + 1);
    const partial = end + 1 < new TextEncoder().encode(body).length;
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, at + 37));
        at += 37;
      },
    });
    return new Response(stream, { status: partial ? 206 : 200 });
  }) as typeof fetch;

  it('asks for a byte range and returns whole lines only', async () => {
    let asked = '';
    const spy = ((url: string | URL | Request, init?: RequestInit) => {
      asked = new Headers(init?.headers).get('Range') ?? '';
      return rangeFetch(url, init);
    }) as typeof fetch;
    const lines = await streamWiki1m(10, 'http://example.invalid/wiki1m.txt', spy);
    expect(asked).toBe('bytes=0-3999');
    expect(lines).toHaveLength(10);
    expect(lines[9]).toBe('sentence number 9 of the corpus');
  });

  it('keeps the last line of a complete file and never returns a cut one', async () => {
    expect(await streamWiki1m(1000, 'http://example.invalid/', rangeFetch)).toHaveLength(50);
    const tiny = ((url: string | URL | Request, init?: RequestInit) => rangeFetch(url, { ...init, headers: { Range: 'bytes=0-100' } })) as typeof fetch;
    const cut = await streamWiki1m(1000, 'http://example.invalid/', tiny);
    for (const l of cut) expect(l).toMatch(/^sentence number \d+ of the corpus$/);
  });

  it('says which URL failed', async () => {
    const notFound = (async () => new Response('no', { status: 404 })) as typeof fetch;
    await expect(streamWiki1m(5, 'http://example.invalid/x', notFound)).rejects.toThrowError(/could not fetch http:\/\/example.invalid\/x: HTTP 404/);
  });
});
