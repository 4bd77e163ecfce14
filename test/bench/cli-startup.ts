/**
 * Start-up of `poolscope stats` on one pair: the whole process, as a user waits for it (CPU, this
 * machine). Median wall time of several runs of each route, measured in the same run:
 *   node alone                       the floor: Node starting and exiting;
 *   before (tsx, eager encoders)     the CLI as it was: TypeScript compiled at run time by tsx, and
 *                                    transformers.js imported up front (it was, for every command);
 *   compiled, eager encoders         today's compiled CLI with transformers.js preloaded (--import);
 *   compiled, lazy (today)           bin/poolscope.js: dist/cli, encoders imported only by commands that encode.
 * Standalone: tsx test/bench/cli-startup.ts (BENCH_STARTUP_RUNS, default 9); `npm run bench` runs it as
 * the `startup` section.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCli } from '../../src/build/cli';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const TIME = '/usr/bin/time';

/**
 * Median wall time (ms) of a whole process after one warm-up run, and its median CPU time (user +
 * system, ms, via /usr/bin/time where present: less sensitive to other work on the machine).
 */
function measure(args: string[], runs: number): { wall: number; cpu: number } {
  const timed = existsSync(TIME);
  const once = () => {
    const t = performance.now();
    const r = timed
      ? spawnSync(TIME, ['-f', '%U %S', process.execPath, ...args], { cwd: root, encoding: 'utf8' })
      : spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    const wall = performance.now() - t;
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    const [user, sys] = timed ? r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) : [Number.NaN, Number.NaN];
    return { wall, cpu: (user + sys) * 1000 };
  };
  once();
  const samples = Array.from({ length: runs }, once);
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

export async function cliStartup(): Promise<void> {
  const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 9);
  await buildCli();
  const dir = mkdtempSync(join(tmpdir(), 'poolscope-startup-'));
  const pair = join(dir, 'pair.json');
  writeFileSync(pair, JSON.stringify({ a: [[1, 2, 3], [2, 1, 0]], b: [[0, 1, 1], [3, 1, 2]] }));
  // The CLI as it was before it was compiled: tsx registered at start, encoders imported eagerly.
  const before = join(dir, 'before.mjs');
  const src = (path: string) => pathToFileURL(resolve(root, path)).href;
  writeFileSync(before, [
    `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};`,
    'register();',
    `await import(${JSON.stringify(src('src/encoders/node.ts'))});`,
    `await import(${JSON.stringify(src('src/cli/bin.ts'))});`,
  ].join('\n'));

  console.log(`\nCLI start-up: \`poolscope stats\` on one pair, whole process, median of ${runs} (CPU, Node ${process.version})`);
  const routes: [string, string[]][] = [
    ['node alone (floor)', ['-e', '']],
    ['before: tsx, eager encoders', [before, 'stats', pair]],
    ['compiled, eager encoders', ['--import', '@huggingface/transformers', resolve(root, 'bin/poolscope.js'), 'stats', pair]],
    ['compiled, lazy (today)', [resolve(root, 'bin/poolscope.js'), 'stats', pair]],
  ];
  const times = routes.map(([, args]) => measure(args, runs));
  const today = times[3];
  console.log(`${'route'.padEnd(30)}${'wall ms'.padStart(9)}${'vs today'.padStart(10)}${'CPU ms'.padStart(9)}`);
  routes.forEach(([name], k) => {
    const t = times[k];
    console.log(`${name.padEnd(30)}${t.wall.toFixed(0).padStart(9)}${`${(t.wall / today.wall).toFixed(2)}×`.padStart(10)}${(Number.isFinite(t.cpu) ? t.cpu.toFixed(0) : '—').padStart(9)}`);
  });
  console.log(`today: ${(today.wall / 1000).toFixed(3)} s wall (goal < 0.15 s), of which Node's own start-up ${times[0].wall.toFixed(0)} ms; CPU time is the less load-sensitive figure`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await cliStartup();
