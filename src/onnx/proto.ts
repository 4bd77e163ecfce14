/**
 * The few protobuf wire-format pieces an ONNX ModelProto needs, written without a protobuf library:
 * varints, length-delimited fields and packed repeated int64s. A message is built as a list of byte
 * chunks with a known total length, so a 400 MB model is copied into its final buffer exactly once.
 */

export class ProtoMessage {
  readonly chunks: Uint8Array[] = [];
  length = 0;

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private key(field: number, wire: 0 | 2 | 5): this {
    return this.push(varint(BigInt(field * 8 + wire)));
  }

  /** int32/int64/enum/bool (wire type 0). Negative values take ten bytes, as protobuf's int64. */
  int(field: number, value: number | bigint): this {
    return this.key(field, 0).push(varint(BigInt.asUintN(64, BigInt(value))));
  }

  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.key(field, 5).push(bytes);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.key(field, 2).push(varint(BigInt(value.length))).push(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: ProtoMessage): this {
    this.key(field, 2).push(varint(BigInt(value.length)));
    for (const chunk of value.chunks) this.push(chunk);
    return this;
  }

  /** A packed repeated int64 field. */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const body = new ProtoMessage();
    for (const v of values) body.push(varint(BigInt.asUintN(64, BigInt(v))));
    return this.message(field, body);
  }

  /** The whole message as one buffer. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function varint(value: bigint): Uint8Array {
  const bytes: number[] = [];
  do {
    let byte = Number(value & 0x7fn);
    value >>= 7n;
    if (value > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (value > 0n);
  return Uint8Array.from(bytes);
}
