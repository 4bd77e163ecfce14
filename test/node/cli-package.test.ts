/**
 * Installable: `npm pack` makes a tarball that `npm install -g` turns into a working `poolscope`
 * outside the checkout: compiled JavaScript (no TypeScript compiler at run time), the GloVe vectors
 * and the WGSL shaders included. Dependencies come from npm's cache when it has them.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { poolscope, root } from '../support/cli';

/** The environment of a fresh shell: no npm lifecycle variables, no fixture models. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|POOLSCOPE_|INIT_CWD)/i.test(k)));

function sh(command: string, args: string[], options: SpawnSyncOptions): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', env: cleanEnv, timeout: 240_000, ...options });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('npm pack → npm install -g, outside the checkout', () => {
  it('installs a poolscope that scores with GloVe, prints --help and --version, and finds its shaders', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'poolscope-install-'));
    onTestFinished(() => rmSync(tmp, { recursive: true, force: true }));
    const pack = sh('npm', ['pack', '--pack-destination', tmp], { cwd: root });
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = readdirSync(tmp).find((f) => /^poolscope-.*\.tgz$/.test(f))!;
    expect(tarball).toBeDefined();

    const files = sh('tar', ['tzf', join(tmp, tarball)], {}).stdout.trim().split('\n');
    expect(files).toContain('package/bin/poolscope.js');
    expect(files).toContain('package/dist/cli/poolscope.js');
    expect(files).toContain('package/public/glove/glove-100d.bin');
    expect(files.filter((f) => f.endsWith('.wgsl')).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((f) => /\.tsx?$/.test(f))).toEqual([]);

    // The documented command; --ignore-scripts because onnxruntime-node's own would fetch CUDA
    // libraries from api.nuget.org that Poolscope never uses (see the README).
    const prefix = join(tmp, 'prefix');
    const install = sh('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', `./${tarball}`], { cwd: tmp });
    expect(install.status, install.stderr).toBe(0);
    const installed = join(prefix, 'lib/node_modules/poolscope');
    expect(existsSync(join(installed, 'node_modules/typescript'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(prefix, 'lib/node_modules/tsx'))).toBe(false);

    const exe = join(prefix, 'bin/poolscope');
    const score = sh(exe, ['score', '--model', 'glove', 'the cat sat', 'stock markets fell'], { cwd: tmp });
    expect(score.status, score.stderr).toBe(0);
    const got = JSON.parse(score.stdout);
    const want = JSON.parse(poolscope(['score', '--model', 'glove', 'the cat sat', 'stock markets fell']).stdout);
    expect(got).toEqual(want);
    expect(got.tokensA).toBe(3);

    const help = sh(exe, ['--help'], { cwd: tmp });
    expect([help.status, /^usage: poolscope/.test(help.stdout)]).toEqual([0, true]);
    const version = sh(exe, ['--version'], { cwd: tmp });
    expect([version.status, version.stdout.trim()]).toEqual([0, '0.1.0']);
    const tableHelp = sh(exe, ['table1', '--help'], { cwd: tmp });
    expect(tableHelp.status).toBe(0);

    // The WGSL kernels ship as files beside the compiled code.
    const gpu = sh(exe, ['score', '--model', 'glove', '--backend', 'webgpu', 'the cat sat', 'stock markets fell'], { cwd: tmp });
    expect(gpu.status, gpu.stderr).toBe(0);
    expect(Math.abs(JSON.parse(gpu.stdout).socm - want.socm)).toBeLessThan(1e-4);
  }, 300_000);
});
