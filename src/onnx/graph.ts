/**
 * An ONNX graph built in code and serialised to a ModelProto that onnxruntime (web or node) loads.
 * DOM-free. Only standard ONNX ops (default domain, opset 17) are emitted, so every execution
 * provider that runs a transformers.js export runs these too.
 */
import { ProtoMessage } from './proto';

export type ElemType = 'float32' | 'int64';
export type Dim = number | string;

const ELEM: Record<ElemType, number> = { float32: 1, int64: 7 };
export const OPSET = 17;
const IR_VERSION = 8;

/** An attribute value: a plain number is an int, `{ f }` a float, a number[] ints, a string a string. */
export type Attr = number | { f: number } | number[] | string;

interface NodeSpec { op: string; inputs: string[]; outputs: string[]; attrs: Record<string, Attr>; name: string }
interface ValueSpec { name: string; type: ElemType; dims: Dim[] }
interface InitSpec { name: string; type: ElemType; dims: number[]; bytes: Uint8Array }

export class Graph {
  private readonly nodes: NodeSpec[] = [];
  private readonly inits: InitSpec[] = [];
  private readonly inputs: ValueSpec[] = [];
  private readonly outputs: ValueSpec[] = [];
  private readonly constants = new Map<string, string>();
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name = 'poolscope') {}

  private fresh(hint: string): string {
    let name = hint;
    while (this.names.has(name)) name = `${hint}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  input(name: string, type: ElemType, dims: Dim[]): string {
    const id = this.fresh(name);
    this.inputs.push({ name: id, type, dims });
    return id;
  }

  /** Marks `value` as a graph output called `name` (an Identity node gives it that name). */
  output(value: string, name: string, type: ElemType, dims: Dim[]): string {
    const out = this.fresh(name);
    this.nodes.push({ op: 'Identity', inputs: [value], outputs: [out], attrs: {}, name: `out_${out}` });
    this.outputs.push({ name: out, type, dims });
    return out;
  }

  /** A float32 initializer; `data` is referenced, not copied, until the model is serialised. */
  weight(name: string, data: Float32Array, dims: number[]): string {
    if (data.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`initializer ${name}: ${data.length} values for shape [${dims}]`);
    const id = this.fresh(name);
    this.inits.push({ name: id, type: 'float32', dims, bytes: littleEndianBytes(data) });
    return id;
  }

  /** A 1-D int64 constant (shapes, axes, indices), shared between uses. */
  ints(values: number[]): string {
    const key = `i:${values.join(',')}`;
    let id = this.constants.get(key);
    if (!id) {
      id = this.fresh(`const_i64_${this.constants.size}`);
      this.inits.push({ name: id, type: 'int64', dims: [values.length], bytes: littleEndianBytes(BigInt64Array.from(values, BigInt)) });
      this.constants.set(key, id);
    }
    return id;
  }

  /** A float32 scalar constant, shared between uses. */
  scalar(value: number): string {
    const key = `f:${value}`;
    let id = this.constants.get(key);
    if (!id) {
      id = this.fresh(`const_f32_${this.constants.size}`);
      this.inits.push({ name: id, type: 'float32', dims: [], bytes: littleEndianBytes(Float32Array.of(value)) });
      this.constants.set(key, id);
    }
    return id;
  }

  /** Adds a node with one output and returns that output's name. */
  op(op: string, inputs: string[], attrs: Record<string, Attr> = {}, hint = op.toLowerCase()): string {
    return this.opN(op, inputs, 1, attrs, hint)[0];
  }

  /** Adds a node with `count` outputs. An empty input name marks an omitted optional input. */
  opN(op: string, inputs: string[], count: number, attrs: Record<string, Attr> = {}, hint = op.toLowerCase()): string[] {
    const outputs = Array.from({ length: count }, (_, k) => this.fresh(count === 1 ? hint : `${hint}_${k}`));
    this.nodes.push({ op, inputs, outputs, attrs, name: this.fresh(`node_${hint}`) });
    return outputs;
  }

  /** The serialised ModelProto. Weights are copied into it once; large models stay well under protobuf's 2 GiB. */
  toModel(): Uint8Array {
    const graph = new ProtoMessage();
    for (const n of this.nodes) graph.message(1, nodeProto(n));
    graph.string(2, this.name);
    for (const t of this.inits) graph.message(5, tensorProto(t));
    for (const v of this.inputs) graph.message(11, valueInfo(v));
    for (const v of this.outputs) graph.message(12, valueInfo(v));
    const model = new ProtoMessage()
      .int(1, IR_VERSION)
      .string(2, 'poolscope')
      .string(3, '1')
      .message(7, graph)
      .message(8, new ProtoMessage().string(1, '').int(2, OPSET));
    if (model.length >= 2 ** 31) throw new Error(`the model graph is ${(model.length / 2 ** 30).toFixed(1)} GiB, over protobuf's 2 GiB limit`);
    return model.finish();
  }
}

function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new Error('this platform is big-endian; ONNX raw data is little-endian');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function nodeProto(n: NodeSpec): ProtoMessage {
  const m = new ProtoMessage();
  for (const i of n.inputs) m.string(1, i);
  for (const o of n.outputs) m.string(2, o);
  m.string(3, n.name).string(4, n.op);
  for (const [name, value] of Object.entries(n.attrs)) m.message(5, attribute(name, value));
  return m;
}

function attribute(name: string, value: Attr): ProtoMessage {
  const m = new ProtoMessage().string(1, name);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer (use { f } for floats)`);
    return m.int(3, value).int(20, 2);
  }
  if (typeof value === 'string') return m.string(4, value).int(20, 3);
  if (Array.isArray(value)) return m.packedInts(8, value).int(20, 7);
  return m.float(2, value.f).int(20, 1);
}

function tensorProto(t: InitSpec): ProtoMessage {
  const m = new ProtoMessage();
  if (t.dims.length) m.packedInts(1, t.dims);
  return m.int(2, ELEM[t.type]).string(8, t.name).bytes(9, t.bytes);
}

function valueInfo(v: ValueSpec): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of v.dims) shape.message(1, typeof d === 'number' ? new ProtoMessage().int(1, d) : new ProtoMessage().string(2, d));
  const tensor = new ProtoMessage().int(1, ELEM[v.type]).message(2, shape);
  return new ProtoMessage().string(1, v.name).message(2, new ProtoMessage().message(1, tensor));
}
