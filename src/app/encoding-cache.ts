import type { EncodedText } from '../encoders/types';

/**
 * A loaded model's encodings by text, least recently used first out: typing in A leaves B's
 * encoding in place, so only A goes to the encoder. Bounded by entries and by vector bytes
 * (a 10,000-word paste is cut by the model to a few hundred tokens, ~1 MB).
 */
export class EncodingCache {
  private entries = new Map<string, EncodedText>();
  private bytes = 0;

  constructor(readonly maxEntries = 64, readonly maxBytes = 64 * 2 ** 20) {}

  get(text: string): EncodedText | undefined {
    const hit = this.entries.get(text);
    if (hit) {
      this.entries.delete(text);
      this.entries.set(text, hit);
    }
    return hit;
  }

  set(text: string, encoded: EncodedText): void {
    const old = this.entries.get(text);
    if (old) {
      this.entries.delete(text);
      this.bytes -= old.vectors.byteLength;
    }
    this.entries.set(text, encoded);
    this.bytes += encoded.vectors.byteLength;
    for (const [key, e] of this.entries) {
      if (this.entries.size <= 1 || (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes)) break;
      this.entries.delete(key);
      this.bytes -= e.vectors.byteLength;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get byteLength(): number {
    return this.bytes;
  }
}
