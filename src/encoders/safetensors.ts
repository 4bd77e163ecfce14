/**
 * The safetensors format, read directly: an 8-byte little-endian header length N, N bytes of JSON
 * ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}), then the raw
 * little-endian tensor data, offsets relative to its start. Every offset is checked against the
 * file before a byte is read, so a truncated download or a lying header fails with a clear line.
 */
import { EncoderLoadError } from './types';

export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte range in the file (absolute, header included). */
  begin: number;
  end: number;
}

export interface SafetensorsFile {
  file: string;
  bytes: Uint8Array;
  entries: Map<string, TensorEntry>;
}

const ITEM_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1,
};
/** The storage types Poolscope turns into float32 weights. */
export const READABLE_DTYPES = ['F32', 'F16', 'BF16'];

export function parseSafetensors(file: string, bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new EncoderLoadError(`${file} is not a safetensors file: it has ${bytes.length} bytes (empty or cut short)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw new EncoderLoadError(`${file} is truncated or not a safetensors file: its header says ${headerLength} bytes of JSON follow, but the file has ${bytes.length} bytes in all (download or copy it again)`);
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (error) {
    throw new EncoderLoadError(`${file} is not a safetensors file: its header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new EncoderLoadError(`${file} is not a safetensors file: its header is not a JSON object`);
  }
  const dataLength = bytes.length - dataStart;
  const entries = new Map<string, TensorEntry>();
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const r = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const offsets = r.data_offsets;
    if (typeof r.dtype !== 'string' || !Array.isArray(r.shape) || !r.shape.every((d) => Number.isInteger(d) && d >= 0) ||
        !Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
      throw new EncoderLoadError(`${file}: the header entry for ${name} is malformed (needs dtype, shape and data_offsets [begin, end])`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataLength) {
      throw new EncoderLoadError(`${file} is truncated: tensor ${name} ends at byte ${end} of the data, but the file holds only ${dataLength} bytes of data (download or copy it again)`);
    }
    const item = ITEM_BYTES[r.dtype];
    const count = (r.shape as number[]).reduce((a, b) => a * b, 1);
    if (item !== undefined && count * item !== end - begin) {
      throw new EncoderLoadError(`${file}: the header's offsets for ${name} do not match its shape: ${r.dtype} [${r.shape.join(', ')}] needs ${count * item} bytes, the offsets span ${end - begin}`);
    }
    entries.set(name, { name, dtype: r.dtype, shape: r.shape as number[], begin: dataStart + begin, end: dataStart + end });
  }
  return { file, bytes, entries };
}

let halfTable: Float32Array | undefined;

/** Every float16 bit pattern as float32 (256 KB, built once). */
function halfToFloat(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    halfTable[h] = exponent === 0 ? sign * mantissa * 2 ** -24
      : exponent === 31 ? (mantissa ? NaN : sign * Infinity)
      : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return halfTable;
}

/** A tensor's values as float32: F32 is viewed in place when aligned, F16 and BF16 are widened exactly. */
export function decodeTensor(source: SafetensorsFile, entry: TensorEntry): Float32Array {
  const { bytes } = source;
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const offset = bytes.byteOffset + entry.begin;
  switch (entry.dtype) {
    case 'F32':
      return offset % 4 === 0
        ? new Float32Array(bytes.buffer, offset, count)
        : new Float32Array(bytes.slice(entry.begin, entry.end).buffer);
    case 'F16': {
      const halves = offset % 2 === 0 ? new Uint16Array(bytes.buffer, offset, count) : new Uint16Array(bytes.slice(entry.begin, entry.end).buffer);
      const table = halfToFloat();
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = table[halves[i]];
      return out;
    }
    case 'BF16': {
      const halves = offset % 2 === 0 ? new Uint16Array(bytes.buffer, offset, count) : new Uint16Array(bytes.slice(entry.begin, entry.end).buffer);
      const words = new Uint32Array(count);
      for (let i = 0; i < count; i++) words[i] = halves[i] << 16;
      return new Float32Array(words.buffer);
    }
    case 'F64': {
      const src = new DataView(bytes.buffer, offset, count * 8);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = src.getFloat64(8 * i, true);
      return out;
    }
    default:
      throw new EncoderLoadError(`${source.file}: weight ${entry.name} is stored as ${entry.dtype}; Poolscope reads ${READABLE_DTYPES.join(', ')} (and F64) weights`);
  }
}

/** model.safetensors.index.json: which shard holds each weight. */
export function parseShardIndex(file: string, text: string): { shards: string[]; weightMap: Map<string, string> } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EncoderLoadError(`${file} is not valid JSON (${(error as Error).message})`);
  }
  const map = (json as { weight_map?: unknown })?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map) || !Object.values(map).every((v) => typeof v === 'string')) {
    throw new EncoderLoadError(`${file} has no weight_map of weight names to shard files`);
  }
  const weightMap = new Map(Object.entries(map as Record<string, string>));
  for (const shard of weightMap.values()) {
    if (shard.includes('..') || shard.startsWith('/')) throw new EncoderLoadError(`${file} names a shard outside the model folder: ${shard}`);
  }
  return { shards: [...new Set(weightMap.values())].sort(), weightMap };
}
