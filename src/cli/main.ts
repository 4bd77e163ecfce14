import { readFileSync, writeFileSync } from 'node:fs';
import { pairsCsv, runCorpus } from '../corpus/run';
import { createNodeEngine } from '../engine/node';
import type { Backend, SocmEngine } from '../engine/types';
import { loadNodeEncoder } from '../encoders/node';
import { EncoderLoadError, tokenCloud, type Encoder, type EncoderDtype } from '../encoders/types';
import { SocmAbortError, SocmInputError, tokenMatrixFromRows, type TokenMatrix } from '../math';

const USAGE = `usage: poolscope <command> [options]

commands:
  stats FILE.json [--backend cpu|webgpu]       SOCM of one pair; FILE holds {"a": [[...]], "b": [[...]]}
  pairwise FILE.json [--backend cpu|webgpu]    all pairs; FILE holds {"texts": [X1, X2, ...]}
  embed --model ID [--file FILE.txt] ["text" ...]
                                               one JSON line per text: tokens, ids, special, vectors
  score --model ID [--exclude-special] [--backend cpu|webgpu] "text A" "text B"
                                               SOCM of two texts under one encoder
  corpus --model ID [--limit N] [--backend cpu|webgpu] [--out pairs.csv] [--exclude-special] FILE.txt
                                               the paper's Table 1: all pairs of FILE's lines

Token lists are rows = tokens (as in shared/reference/socm-golden.json).
--backend cpu (default) is the float64 reference; webgpu runs the WGSL kernels (Dawn).
--model takes glove (static GloVe vectors, no download), a folder with config.json,
tokenizer.json, tokenizer_config.json and onnx/model.onnx, or an org/name id: looked for
under POOLSCOPE_MODELS_DIR first, then on the Hugging Face Hub. --dtype fp32 (default) | q8.`;

/** A usage or input problem: printed as one line, exit status 2 (usage) or 1 (input). */
class CliError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

interface Parsed {
  command: string;
  positional: string[];
  backend: Backend;
  model?: string;
  file?: string;
  out?: string;
  limit?: number;
  dtype: EncoderDtype;
  excludeSpecial: boolean;
}

const COMMANDS = ['stats', 'pairwise', 'embed', 'score', 'corpus'];

function parse(argv: string[]): Parsed {
  const positional: string[] = [];
  const values: Record<string, string> = {};
  let excludeSpecial = false;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (arg === '--exclude-special') {
      excludeSpecial = true;
    } else if (/^--(backend|model|file|dtype|out|limit)(=|$)/.test(arg)) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s);
      const value = inline ?? argv[++k];
      if (value === undefined) throw new CliError(`--${name} needs a value`, 2);
      values[name] = value;
    } else if (arg.startsWith('--')) {
      throw new CliError(`unknown option ${arg}`, 2);
    } else {
      positional.push(arg);
    }
  }
  const [command, ...rest] = positional;
  if (!COMMANDS.includes(command)) throw new CliError(command ? `unknown command ${command}` : 'no command given', 2);
  const backend = values.backend ?? 'cpu';
  if (backend !== 'cpu' && backend !== 'webgpu') throw new CliError(`--backend must be cpu or webgpu, not ${backend}`, 2);
  const dtype = values.dtype ?? 'fp32';
  if (dtype !== 'fp32' && dtype !== 'q8' && dtype !== 'fp16') throw new CliError(`--dtype must be fp32, q8 or fp16, not ${dtype}`, 2);
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 2) throw new CliError(`--limit must be a whole number of at least 2, not ${values.limit}`, 2);
  }
  return { command, positional: rest, backend, model: values.model, file: values.file, out: values.out, limit, dtype, excludeSpecial };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
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

function onlyFile(args: Parsed): string {
  const [file, ...rest] = args.positional;
  if (!file) throw new CliError(`${args.command} needs a FILE.json`, 2);
  if (rest.length) throw new CliError(`unexpected argument ${rest[0]}`, 2);
  return file;
}

function needModel(args: Parsed): string {
  if (!args.model) throw new CliError(`${args.command} needs --model ID_OR_DIR (glove, a folder, or org/name)`, 2);
  return args.model;
}

export async function run(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    out(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  let engine: SocmEngine | undefined;
  let encoder: Encoder | undefined;
  try {
    const args = parse(argv);
    if (args.command === 'stats' || args.command === 'pairwise') {
      const file = onlyFile(args);
      const json = readJson(file);
      let texts: TokenMatrix[];
      if (args.command === 'stats') {
        const shape = '{"a": [[...]], "b": [[...]]}';
        texts = [tokenMatrixFromRows(field(json, 'a', file, shape), 'text A'), tokenMatrixFromRows(field(json, 'b', file, shape), 'text B')];
      } else {
        const list = field(json, 'texts', file, '{"texts": [X1, X2, ...]}');
        if (!Array.isArray(list)) throw new CliError(`${file}: "texts" must be a list of token lists`);
        texts = list.map((rows, i) => tokenMatrixFromRows(rows, `text ${i}`));
      }
      engine = await createNodeEngine(args.backend);
      if (args.command === 'stats') {
        out(JSON.stringify({ ...(await engine.pair(texts[0], texts[1])), backend: engine.description }));
      } else {
        const showProgress = process.stderr.isTTY;
        const result = await engine.pairwise(texts, {
          onProgress: showProgress ? (p) => process.stderr.write(`\rpairs ${p.done}/${p.total}`) : undefined,
        });
        if (showProgress) process.stderr.write('\n');
        out(JSON.stringify({ texts: texts.length, ...result, backend: engine.description }));
      }
      return 0;
    }

    const model = needModel(args);
    if (args.command === 'embed') {
      const texts = [...(args.file ? readText(args.file).split(/\r?\n/).filter((l) => l.trim() !== '') : []), ...args.positional];
      if (!texts.length) throw new CliError('embed needs texts: --file FILE.txt (one per line) and/or "text" arguments', 2);
      encoder = await loadNodeEncoder(model, { dtype: args.dtype });
      for (const e of await encoder.encode(texts)) {
        if (e.truncated) err(`poolscope: note: a text has ${e.fullLength} tokens; ${model} takes ${e.n}, so it was truncated`);
        const vectors = Array.from({ length: e.n }, (_, i) => Array.from(e.vectors.subarray(i * e.d, (i + 1) * e.d)));
        out(JSON.stringify({ text: e.text, tokens: e.tokens, ids: e.ids, special: Array.from(e.special), truncated: e.truncated, ...(e.unknown ? { unknown: e.unknown } : {}), vectors }));
      }
      return 0;
    }

    if (args.command === 'corpus') {
      const [file, ...rest] = args.positional;
      if (!file) throw new CliError('corpus needs a FILE.txt (one text per line)', 2);
      if (rest.length) throw new CliError(`unexpected argument ${rest[0]}`, 2);
      let texts = readText(file).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      if (args.limit) texts = texts.slice(0, args.limit);
      if (texts.length < 2) throw new CliError(`${file} has ${texts.length} non-empty line(s): a corpus needs at least 2 texts`);
      encoder = await loadNodeEncoder(model, { dtype: args.dtype });
      const clouds: TokenMatrix[] = [];
      const kept: string[] = [];
      let truncated = 0;
      for (let k = 0; k < texts.length; k++) {
        const [e] = await encoder.encode([texts[k]]);
        const cloud = tokenCloud(e, args.excludeSpecial);
        if (e.truncated) truncated++;
        if (cloud.n === 0) err(`poolscope: note: line ${k + 1} has no tokens to measure under ${model}; left out`);
        else {
          clouds.push(cloud);
          kept.push(texts[k]);
        }
        if (process.stderr.isTTY || k + 1 === texts.length) process.stderr.write(`\rtexts encoded ${k + 1}/${texts.length}${k + 1 === texts.length ? '\n' : ''}`);
      }
      engine = await createNodeEngine(args.backend);
      const started = Date.now();
      let lastTenth = -1;
      const result = await runCorpus(engine, clouds, {
        onProgress: (p) => {
          // A terminal gets a live line; a log gets one line per tenth.
          const tenth = Math.floor((10 * p.done) / p.total);
          if (!process.stderr.isTTY && tenth === lastTenth) return;
          lastTenth = tenth;
          const eta = p.done ? ((Date.now() - started) / p.done) * (p.total - p.done) / 1000 : 0;
          const line = `pairs ${p.done}/${p.total}${p.done < p.total ? `, about ${eta.toFixed(0)} s left` : ''}`;
          process.stderr.write(process.stderr.isTTY ? `\r${line}${p.done === p.total ? '\n' : ''}` : `${line}\n`);
        },
      });
      if (args.out) writeFileSync(args.out, pairsCsv(result.rows, kept));
      out(JSON.stringify({
        model, ...result.summary, skipped: texts.length - kept.length, truncated, excludeSpecial: args.excludeSpecial, backend: engine.description,
      }));
      return 0;
    }

    // score
    if (args.positional.length !== 2) throw new CliError(`score needs exactly two texts, got ${args.positional.length}`, 2);
    const [textA, textB] = args.positional;
    for (const [label, t] of [['A', textA], ['B', textB]]) {
      if (t.trim() === '') throw new CliError(`text ${label} is empty: give some text to score`);
    }
    encoder = await loadNodeEncoder(model, { dtype: args.dtype });
    const [a, b] = await encoder.encode([textA, textB]);
    const clouds = [tokenCloud(a, args.excludeSpecial), tokenCloud(b, args.excludeSpecial)];
    clouds.forEach((c, k) => {
      if (c.n === 0) {
        throw new CliError(`text ${'AB'[k]} has no tokens ${encoder!.info.kind === 'static' ? 'with a word vector' : 'left without special tokens'}: nothing to measure`);
      }
    });
    engine = await createNodeEngine(args.backend);
    const st = await engine.pair(clouds[0], clouds[1]);
    const flags: string[] = [...st.flags];
    if (a.truncated) flags.push('truncated-A');
    if (b.truncated) flags.push('truncated-B');
    out(JSON.stringify({ model, ...st, flags, excludeSpecial: args.excludeSpecial, backend: engine.description }));
    return 0;
  } catch (error) {
    if (process.env.POOLSCOPE_DEBUG) err(String((error as Error).stack));
    const known = error instanceof CliError || error instanceof SocmInputError || error instanceof SocmAbortError ||
      error instanceof EncoderLoadError || (error as Error).name === 'GpuUnavailableError';
    err(`poolscope: ${known ? (error as Error).message : `internal error: ${(error as Error).message}`}`);
    if (error instanceof CliError && error.status === 2) err('run "poolscope --help" for usage');
    return error instanceof CliError ? error.status : 1;
  } finally {
    engine?.dispose();
    await encoder?.dispose();
  }
}
