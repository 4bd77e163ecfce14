/**
 * Every option of every command, in one table, parsed by node:util's parseArgs. A command lists
 * the names it takes; adding an option is one entry here and its name in those commands' lists.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseSpecSuffix, specProblem } from '../encoders/model-spec';
import { CliError } from './io';
import { didYouMean } from './suggest';

export type Format = 'json' | 'jsonl' | 'csv' | 'md';

interface StringOption<T> {
  type: 'string';
  /** How the value reads in help: ID, N, FILE. */
  value: string;
  help: string;
  parse: (raw: string, flag: string) => T;
}
interface BooleanOption {
  type: 'boolean';
  help: string;
  short?: string;
}

const text = (raw: string) => raw;

function oneOf<T extends string>(...allowed: T[]) {
  return (raw: string, flag: string): T => {
    if (!(allowed as string[]).includes(raw)) throw new CliError(`${flag} must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}, not ${raw}${didYouMean(raw, allowed)}`, 2);
    return raw as T;
  };
}

function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string, flag: string): number => {
    const n = Number(raw);
    if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new CliError(`${flag} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}, not ${raw}`, 2);
    }
    return n;
  };
}

function list(raw: string, flag: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => !s)) throw new CliError(`${flag} takes names separated by commas, with none empty: ${raw}`, 2);
  const twice = items.find((s, k) => items.indexOf(s) !== k);
  if (twice) throw new CliError(`${flag} names ${twice} twice`, 2);
  return items;
}

/** A layer number (0 = embeddings … L = last; negative counts from the end), or 'all' where allowed. */
function layerValue(raw: string, flag: string): number | 'all' {
  if (raw === 'all') return 'all';
  if (!/^\s*-?\d+\s*$/.test(raw)) throw new CliError(`${flag} must be a layer number (0 = embeddings, -1 = last) or all, not ${raw}`, 2);
  return Number(raw);
}

const option = (value: string, help: string): StringOption<string> => ({ type: 'string', value, help, parse: text });
const parsed = <T>(value: string, help: string, parse: (raw: string, flag: string) => T): StringOption<T> => ({ type: 'string', value, help, parse });
const flag = (help: string, short?: string): BooleanOption => ({ type: 'boolean', help, short });

export const OPTIONS = {
  model: option('ID', 'the encoder: glove (static GloVe vectors, no download), a folder (config.json with model.safetensors and tokenizer files, or an ONNX export), or an org/name[@revision] id (looked for under POOLSCOPE_MODELS_DIR first, then on the Hugging Face Hub)'),
  layer: parsed('K|all', 'which hidden state: 0 = the embeddings after their LayerNorm … L = the last (default); negative counts from the end (--layer=-2); all = every layer (weights route only)', layerValue),
  route: parsed('auto|weights|onnx', 'weights: build the model from its safetensors (every layer); onnx: its transformers.js ONNX export (last layer); auto (default): weights where the model has them', oneOf('auto', 'weights', 'onnx')),
  models: parsed('ID,ID,…', 'encoders, separated by commas (each as for --model)', list),
  file: option('FILE.txt', 'texts, one per line'),
  pairs: option('PAIRS.tsv', 'explicit pairs instead of all pairs: two texts per line, separated by a tab'),
  limit: parsed('N', 'only the first N texts (the first N pairs with --pairs)', wholeNumber(1)),
  'sample-pairs': parsed('N', 'N pairs drawn uniformly from all pairs (for corpora too large for all of them); the interval says how close the estimate is to the all-pairs mean', wholeNumber(1)),
  seed: parsed('S', 'seed of the pair sample and the bootstrap (default 1; 32 bits): the same seed gives the same numbers', wholeNumber(0, 2 ** 32 - 1)),
  bootstrap: parsed('B', 'bootstrap replicates for the 95% intervals (default 1000; 0: no intervals)', wholeNumber(0)),
  backend: parsed('cpu|webgpu', 'cpu (default): the float64 reference; webgpu: the WGSL kernels through Dawn (the machine\'s Vulkan GPU, or Chromium\'s SwiftShader)', oneOf('cpu', 'webgpu')),
  dtype: parsed('fp32|q8', 'the ONNX weights to load: fp32 (default) or q8', oneOf('fp32', 'q8', 'fp16')),
  'exclude-special': flag('leave special tokens ([CLS], [SEP], …) out of the clouds'),
  format: parsed('FORMAT', 'output format', (raw) => raw as Format),
  out: option('FILE', 'also write every pair to FILE (CSV; JSON lines when FILE ends in .jsonl)'),
  summary: option('FILE', 'with --format jsonl|csv: write the summary JSON to FILE (else it goes to stderr)'),
  svg: option('FILE', 'also draw the scatter as an SVG file'),
  quiet: flag('no progress and no notes on stderr (errors still go there)'),
  help: flag('show this help', 'h'),
} satisfies Record<string, StringOption<unknown> | BooleanOption>;

export type OptionName = keyof typeof OPTIONS;
type ValueOf<S> = S extends BooleanOption ? boolean : S extends StringOption<infer T> ? T : never;
export type OptionValues = { -readonly [K in OptionName]?: ValueOf<(typeof OPTIONS)[K]> };

export interface ParsedArgs {
  positionals: string[];
  values: OptionValues;
}

/** What a command takes, for parsing and for its --help. */
export interface CommandSpec {
  name: string;
  options: readonly OptionName[];
  /** Output formats, the default first (the command then takes --format). */
  formats?: readonly Format[];
}

export function formatHelp(spec: CommandSpec): string {
  return `output format: ${spec.formats!.join(' | ')} (default ${spec.formats![0]})`;
}

/**
 * Parses a command's arguments (after the command name). Unknown options, missing values and bad
 * values are usage errors (status 2) that name the option, with a suggestion for a typo.
 */
export function parseCommandArgs(argv: readonly string[], spec: CommandSpec): ParsedArgs {
  const accepted: OptionName[] = [...spec.options, 'help', ...(spec.formats ? ['format' as const] : [])];
  const config = Object.fromEntries(accepted.map((name) => {
    const o = OPTIONS[name] as StringOption<unknown> | BooleanOption;
    return [name, o.type === 'boolean' && o.short ? { type: o.type, short: o.short } : { type: o.type }];
  }));
  const { tokens } = parseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const longNames = accepted.map((n) => `--${n}`);
  // --help wins over every other problem.
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { positionals, values: { help: true } };
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const typed = token.rawName;
    if (!(accepted as string[]).includes(token.name)) {
      const known = token.name in OPTIONS;
      throw new CliError(known
        ? `${spec.name} takes no option ${typed} (poolscope ${spec.name} --help lists its options)`
        : `unknown option ${typed} for ${spec.name}${didYouMean(typed.replace(/=.*/, ''), longNames)}`, 2);
    }
    const o = OPTIONS[token.name as OptionName] as StringOption<unknown> | BooleanOption;
    if (token.name in values) throw new CliError(`${typed} is given twice`, 2);
    if (o.type === 'boolean') {
      if (token.inlineValue) throw new CliError(`${typed} takes no value`, 2);
      values[token.name] = true;
      continue;
    }
    const raw = token.value;
    if (raw === undefined || (!token.inlineValue && raw.startsWith('--') && raw.slice(2).split('=')[0] in OPTIONS)) {
      throw new CliError(`${typed} needs a value (${o.value})`, 2);
    }
    values[token.name] = o.parse(raw, typed);
  }
  if (typeof values.model === 'string') applyModelSpec(values, accepted);
  if (spec.formats) {
    const format = (values.format as string | undefined) ?? spec.formats[0];
    if (!(spec.formats as string[]).includes(format)) {
      throw new CliError(`--format for ${spec.name} must be ${spec.formats.slice(0, -1).join(', ')}${spec.formats.length > 1 ? ' or ' : ''}${spec.formats.at(-1)}, not ${format}${didYouMean(format, spec.formats)}`, 2);
    }
    values.format = format;
  }
  return { positionals, values: values as OptionValues };
}

/**
 * `--model` as the app writes it, `org/name[:build][~layer]` (a panel's heading, a link's models=):
 * the build becomes --dtype (or --route onnx) and the layer --layer, unless those are given too.
 * A folder on disk is taken as it is, whatever its name.
 */
function applyModelSpec(values: Record<string, unknown>, accepted: readonly OptionName[]): void {
  const given = values.model as string;
  if (existsSync(given)) return;
  const { model, build, layer } = parseSpecSuffix(given);
  if (build === undefined && layer === undefined) {
    const problem = specProblem(given);
    if (problem && !/^[A-Za-z]:[\\/]/.test(given)) throw new CliError(problem, 2);
    return;
  }
  const take = (name: OptionName, value: unknown, what: string) => {
    if (!accepted.includes(name)) throw new CliError(`--model ${given} names ${what}, which this command does not take: drop it`, 2);
    if (values[name] !== undefined && values[name] !== value) throw new CliError(`--model ${given} names ${what}, and --${name} says otherwise: give one of them`, 2);
    values[name] = value;
  };
  if (build === 'onnx') take('route', 'onnx', 'the ONNX build (:onnx)');
  else if (build !== undefined) take('dtype', build, `a build (:${build})`);
  if (layer !== undefined) take('layer', layer, `a layer (~${layer})`);
  values.model = model;
}

/** The options part of a command's --help. */
export function optionsHelp(spec: CommandSpec): string {
  const names: OptionName[] = [...spec.options, ...(spec.formats ? ['format' as const] : []), 'help'];
  const rows = names.map((name) => {
    const o = OPTIONS[name] as StringOption<unknown> | BooleanOption;
    const head = o.type === 'boolean' ? `${o.short ? `-${o.short}, ` : ''}--${name}` : `--${name} ${name === 'format' ? spec.formats!.join('|') : o.value}`;
    return [head, name === 'format' ? formatHelp(spec) : o.help] as const;
  });
  const width = Math.min(28, Math.max(...rows.map(([h]) => h.length)) + 2);
  return rows.map(([head, help]) => `  ${head.padEnd(width)}${head.length >= width ? `\n  ${' '.repeat(width)}` : ''}${wrap(help, 78 - width - 2).join(`\n  ${' '.repeat(width)}`)}`).join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
