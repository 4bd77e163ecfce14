/** Small pieces several commands share. */
import { createNodeEngine } from '../engine/node';
import type { SocmEngine } from '../engine/types';
import type { Encoder, EncoderDtype } from '../encoders/types';
import { CliError, type Io } from './io';
import { csvLine, jsonLine } from './format';
import type { Format, OptionValues } from './options';

/** The one positional argument a command takes. */
export function onePositional(positionals: readonly string[], missing: string): string {
  const [first, ...rest] = positionals;
  if (!first) throw new CliError(missing, 2);
  if (rest.length) throw new CliError(`unexpected argument ${rest[0]}`, 2);
  return first;
}

export function field(json: unknown, key: string, file: string, shape: string): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !(key in json)) {
    throw new CliError(`${file} must hold ${shape}; "${key}" is missing`);
  }
  return (json as Record<string, unknown>)[key];
}

export function needModel(values: OptionValues, command: string): string {
  if (!values.model) throw new CliError(`${command} needs --model ID (glove, a folder, or org/name)`, 2);
  return values.model;
}

/** Runs fn with an engine for --backend, and frees it. */
export async function withEngine<T>(values: OptionValues, fn: (engine: SocmEngine) => Promise<T>): Promise<T> {
  const engine = await createNodeEngine(values.backend ?? 'cpu');
  try {
    return await fn(engine);
  } finally {
    engine.dispose();
  }
}

/**
 * Loads an encoder only when a command needs one: transformers.js (and onnxruntime) are imported
 * here and nowhere on the way to `stats` or `pairwise`.
 */
export async function loadEncoder(model: string, values: OptionValues): Promise<Encoder> {
  const { loadNodeEncoder } = await import('../encoders/node');
  return loadNodeEncoder(model, { dtype: (values.dtype ?? 'fp32') as EncoderDtype, route: values.route });
}

export async function withEncoder<T>(model: string, values: OptionValues, fn: (encoder: Encoder) => Promise<T>): Promise<T> {
  const encoder = await loadEncoder(model, values);
  try {
    return await fn(encoder);
  } finally {
    await encoder.dispose();
  }
}

/** --layer for commands that measure one layer: a number (default: the last), never 'all'. */
export function oneLayer(values: OptionValues, command: string): number | undefined {
  if (values.layer === 'all') throw new CliError(`${command} measures one layer; for every layer use poolscope layers --model ID "A" "B"`, 2);
  return values.layer;
}

/** One record as JSON (one line) or CSV (a header and one row). */
export async function writeRecord(io: Io, format: Format | undefined, record: Record<string, unknown>): Promise<void> {
  if (format === 'csv') await io.out.write(`${csvLine(Object.keys(record))}${csvLine(Object.values(record))}`);
  else await io.out.write(jsonLine(record));
}

/** A note on stderr, unless --quiet. */
export function note(io: Io, values: OptionValues, line: string): void {
  if (!values.quiet) io.err(`poolscope: note: ${line}`);
}
