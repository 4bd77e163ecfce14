import { readFileSync } from 'node:fs';
import { createNodeEngine } from '../engine/node';
import type { Backend, SocmEngine } from '../engine/types';
import { SocmAbortError, SocmInputError, tokenMatrixFromRows, type TokenMatrix } from '../math';

const USAGE = `usage: poolscope <command> [options]

commands:
  stats FILE.json [--backend cpu|webgpu]      SOCM of one pair; FILE holds {"a": [[...]], "b": [[...]]}
  pairwise FILE.json [--backend cpu|webgpu]   all pairs; FILE holds {"texts": [X1, X2, ...]}

Token lists are rows = tokens (as in shared/reference/socm-golden.json).
--backend cpu (default) is the float64 reference; webgpu runs the WGSL kernels (Dawn).`;

/** A usage or input problem: printed as one line, exit status 2 (usage) or 1 (input). */
class CliError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

interface Parsed {
  command: string;
  file: string;
  backend: Backend;
}

function parse(argv: string[]): Parsed {
  const positional: string[] = [];
  let backend: Backend = 'cpu';
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (arg === '--backend' || arg.startsWith('--backend=')) {
      const value = arg.includes('=') ? arg.slice('--backend='.length) : argv[++k];
      if (value !== 'cpu' && value !== 'webgpu') throw new CliError(`--backend must be cpu or webgpu, not ${value ?? 'nothing'}`, 2);
      backend = value;
    } else if (arg.startsWith('-')) {
      throw new CliError(`unknown option ${arg}`, 2);
    } else {
      positional.push(arg);
    }
  }
  const [command, file, ...rest] = positional;
  if (command !== 'stats' && command !== 'pairwise') throw new CliError(command ? `unknown command ${command}` : 'no command given', 2);
  if (!file) throw new CliError(`${command} needs a FILE.json`, 2);
  if (rest.length) throw new CliError(`unexpected argument ${rest[0]}`, 2);
  return { command, file, backend };
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON (${(error as Error).message})`);
  }
}

function field(json: unknown, key: string, file: string, shape: string): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !(key in json)) {
    throw new CliError(`${file} must hold ${shape}; "${key}" is missing`);
  }
  return (json as Record<string, unknown>)[key];
}

export async function run(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    out(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  let engine: SocmEngine | undefined;
  try {
    const args = parse(argv);
    const json = readJson(args.file);
    let texts: TokenMatrix[];
    if (args.command === 'stats') {
      const shape = '{"a": [[...]], "b": [[...]]}';
      texts = [
        tokenMatrixFromRows(field(json, 'a', args.file, shape), 'text A'),
        tokenMatrixFromRows(field(json, 'b', args.file, shape), 'text B'),
      ];
    } else {
      const list = field(json, 'texts', args.file, '{"texts": [X1, X2, ...]}');
      if (!Array.isArray(list)) throw new CliError(`${args.file}: "texts" must be a list of token lists`);
      texts = list.map((rows, i) => tokenMatrixFromRows(rows, `text ${i}`));
    }
    engine = await createNodeEngine(args.backend);
    if (args.command === 'stats') {
      const st = await engine.pair(texts[0], texts[1]);
      out(JSON.stringify({ ...st, backend: engine.description }));
    } else {
      const showProgress = process.stderr.isTTY;
      const result = await engine.pairwise(texts, {
        onProgress: showProgress ? (p) => process.stderr.write(`\rpairs ${p.done}/${p.total}`) : undefined,
      });
      if (showProgress) process.stderr.write('\n');
      out(JSON.stringify({ texts: texts.length, ...result, backend: engine.description }));
    }
    return 0;
  } catch (error) {
    if (process.env.POOLSCOPE_DEBUG) err(String((error as Error).stack));
    const known = error instanceof CliError || error instanceof SocmInputError || error instanceof SocmAbortError ||
      (error as Error).name === 'GpuUnavailableError';
    err(`poolscope: ${known ? (error as Error).message : `internal error: ${(error as Error).message}`}`);
    if (error instanceof CliError && error.status === 2) err('run "poolscope --help" for usage');
    return error instanceof CliError ? error.status : 1;
  } finally {
    engine?.dispose();
  }
}
