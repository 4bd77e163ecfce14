/** Test helpers: copy a fixture checkpoint into a temp folder and rewrite its safetensors to break it. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSafetensors } from '../../src/encoders/safetensors';
import { fixtureModelsDir } from './fixtures';

export interface RawTensor { dtype: string; shape: number[]; data: Uint8Array }

/** A fixture model folder copied to a fresh temp dir (so a test may break it). */
export function copyFixture(model: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'poolscope-ckpt-')), model.split('/').pop()!);
  cpSync(join(fixtureModelsDir, model), dir, { recursive: true });
  return dir;
}

export function readTensors(file: string): Map<string, RawTensor> {
  const parsed = parseSafetensors(file, new Uint8Array(readFileSync(file)));
  return new Map([...parsed.entries.values()].map((e) => [e.name, { dtype: e.dtype, shape: e.shape, data: parsed.bytes.slice(e.begin, e.end) }]));
}

/** Writes tensors as a safetensors file; `offsets` may override a tensor's data_offsets (to make a header lie). */
export function writeTensors(file: string, tensors: Map<string, RawTensor>, offsets: Record<string, [number, number]> = {}): void {
  const header: Record<string, unknown> = {};
  let at = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: offsets[name] ?? [at, at + t.data.length] };
    at += t.data.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = new Uint8Array(8);
  new DataView(head.buffer).setBigUint64(0, BigInt(json.length), true);
  writeFileSync(file, Buffer.concat([head, Buffer.from(json), ...[...tensors.values()].map((t) => t.data)]));
}
