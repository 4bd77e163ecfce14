/** Running the compiled `poolscope` as users do: a subprocess, its stdout through a real pipe. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureModelsDir } from './fixtures';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = resolve(root, 'bin/poolscope.js');
/** The fixture encoders, and no hub. */
export const fixtureEnv = { ...process.env, POOLSCOPE_MODELS_DIR: fixtureModelsDir, POOLSCOPE_OFFLINE: '1' };

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The `poolscope:` line on stderr (errors), or ''. */
  error: string;
}

export function poolscope(args: readonly string[], env: NodeJS.ProcessEnv = fixtureEnv): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 300_000, maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, error: r.stderr.split('\n').find((l) => l.startsWith('poolscope:') && !l.startsWith('poolscope: note')) ?? '' };
}

/**
 * `poolscope ARGS | READER` in bash: stdout goes through a real pipe to a reader that starts late
 * (the default sleeps, then reads), so the pipe fills while poolscope writes. Returns what the
 * reader received and poolscope's own exit status (PIPESTATUS).
 */
export function throughPipe(args: readonly string[], options: { reader?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const dir = mkdtempSync(join(tmpdir(), 'poolscope-pipe-'));
  const [out, err, status] = ['out', 'err', 'status'].map((f) => join(dir, f));
  const reader = options.reader ?? 'sleep 0.5; cat';
  const script = `"${process.execPath}" "${bin}" "$@" 2>"${err}" | { ${reader}; } >"${out}"; echo "\${PIPESTATUS[0]}" >"${status}"`;
  const r = spawnSync('bash', ['-c', script, 'bash', ...args], { encoding: 'utf8', env: options.env ?? fixtureEnv, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`bash failed: ${r.stderr}`);
  const stderr = readFileSync(err, 'utf8');
  return {
    status: Number(readFileSync(status, 'utf8').trim()),
    stdout: readFileSync(out, 'utf8'),
    stderr,
    error: stderr.split('\n').find((l) => l.startsWith('poolscope:') && !l.startsWith('poolscope: note')) ?? '',
  };
}
