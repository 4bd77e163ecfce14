/**
 * Compiles the command line to plain JavaScript in dist/cli (esbuild: ES modules for Node 20,
 * one chunk per command, dependencies left to node_modules), so `poolscope` runs without a
 * TypeScript compiler and loads only what the command needs.
 *   tsx src/build/cli.ts      (npm run build:cli; npm install, npm pack and the tests run it)
 *
 * dist/cli sits two folders below the package root, as src/cli does, so paths the sources
 * resolve from import.meta.url (../../shaders, ../../public/glove, ../../package.json) hold
 * in both.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cliOutDir = join(root, 'dist/cli');
export const cliEntry = join(cliOutDir, 'poolscope.js');
const STAMP = '.sources-hash';

/** A hash of every TypeScript source (and this file): the build is redone only when one changes. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|json)$/.test(entry.name)) hash.update(path).update(readFileSync(path));
    }
  };
  walk(join(root, 'src'));
  return hash.digest('hex');
}

/** Builds dist/cli unless it is up to date; returns whether it built. */
export async function buildCli(options: { force?: boolean } = {}): Promise<boolean> {
  const hash = sourcesHash();
  const stamp = join(cliOutDir, STAMP);
  if (!options.force && existsSync(cliEntry) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return false;
  // Build beside, then swap, so a run that starts meanwhile never sees half a build.
  const next = `${cliOutDir}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  await build({
    // The CPU route's worker (src/engine/node.ts starts ./cpu-worker.js beside the CLI's chunks).
    entryPoints: { poolscope: join(root, 'src/cli/bin.ts'), 'cpu-worker': join(root, 'src/engine/cpu-worker-node.ts') },
    outdir: next,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
    banner: { js: '// poolscope command line, compiled from src/cli by src/build/cli.ts' },
  });
  writeFileSync(join(next, STAMP), hash);
  const old = `${cliOutDir}.old-${process.pid}`;
  if (existsSync(cliOutDir)) renameSync(cliOutDir, old);
  renameSync(next, cliOutDir);
  rmSync(old, { recursive: true, force: true });
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = Date.now();
  const built = await buildCli({ force: process.argv.includes('--force') });
  console.log(`CLI: ${cliEntry} (${built ? `built in ${Date.now() - t} ms` : 'up to date'})`);
}
