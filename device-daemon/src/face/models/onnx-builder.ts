// Builds an ONNX model (opset 13) node by node and writes it as a ModelProto. Field numbers follow
// onnx/onnx.proto3. Names are made unique and stable, so the same conversion gives the same bytes.
import { ProtoWriter } from './protobuf-writer';

export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

export type AttributeValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string };

export const ints = (value: readonly number[]): AttributeValue => ({ kind: 'ints', value });
export const int = (value: number): AttributeValue => ({ kind: 'int', value });
export const float = (value: number): AttributeValue => ({ kind: 'float', value });
export const str = (value: string): AttributeValue => ({ kind: 'string', value });

interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

interface TensorSpec {
  readonly name: string;
  readonly dims: readonly number[];
  readonly type: typeof ONNX_FLOAT | typeof ONNX_INT64;
  readonly raw: Uint8Array;
}

export interface ValueSpec {
  readonly name: string;
  /** A number is a fixed size; a string names a free dimension (the batch). Absent: not declared. */
  readonly dims?: readonly (number | string)[];
}

export class OnnxBuilder {
  readonly #nodes: NodeSpec[] = [];
  readonly #initializers: TensorSpec[] = [];
  readonly #inputs: ValueSpec[] = [];
  readonly #outputs: ValueSpec[] = [];
  #counter = 0;

  constructor(readonly graphName: string) {}

  /** A fresh value name. */
  fresh(hint: string): string {
    this.#counter += 1;
    return `${hint.replace(/[^A-Za-z0-9_]/g, '_')}__${this.#counter}`;
  }

  input(spec: ValueSpec): string {
    this.#inputs.push(spec);
    return spec.name;
  }

  output(spec: ValueSpec): void {
    this.#outputs.push(spec);
  }

  floatTensor(hint: string, dims: readonly number[], data: Float32Array): string {
    const name = this.fresh(hint);
    const raw = new Uint8Array(data.length * 4);
    const view = new DataView(raw.buffer);
    data.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.#initializers.push({ name, dims, type: ONNX_FLOAT, raw });
    return name;
  }

  int64Tensor(hint: string, data: readonly number[], dims: readonly number[] = [data.length]): string {
    const name = this.fresh(hint);
    const raw = new Uint8Array(data.length * 8);
    const view = new DataView(raw.buffer);
    data.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.#initializers.push({ name, dims, type: ONNX_INT64, raw });
    return name;
  }

  /** Adds a node; returns its (first) output name. */
  node(op: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> = {}, output?: string): string {
    const out = output ?? this.fresh(op);
    this.#nodes.push({ op, inputs, outputs: [out], name: this.fresh(`${op}_node`), attributes });
    return out;
  }

  get nodeCount(): number {
    return this.#nodes.length;
  }

  toBytes(producer: string): Uint8Array {
    const w = new ProtoWriter();
    w.int(1, 8); // ir_version
    w.string(2, producer);
    w.string(3, '1');
    w.message(7, (g) => {
      for (const n of this.#nodes) {
        g.message(1, (nw) => {
          for (const i of n.inputs) nw.string(1, i);
          for (const o of n.outputs) nw.string(2, o);
          nw.string(3, n.name);
          nw.string(4, n.op);
          for (const [key, value] of Object.entries(n.attributes).sort(([a], [b]) => a.localeCompare(b))) {
            nw.message(5, (aw) => writeAttribute(aw, key, value));
          }
        });
      }
      g.string(2, this.graphName);
      for (const t of this.#initializers) {
        g.message(5, (tw) => {
          for (const d of t.dims) tw.int(1, d);
          tw.int(2, t.type);
          tw.string(8, t.name);
          tw.bytes(9, t.raw);
        });
      }
      for (const v of this.#inputs) g.message(11, (vw) => writeValueInfo(vw, v));
      for (const v of this.#outputs) g.message(12, (vw) => writeValueInfo(vw, v));
    });
    w.message(8, (o) => {
      o.string(1, '');
      o.int(2, 13);
    });
    return w.finish();
  }
}

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  w.string(1, name);
  switch (value.kind) {
    case 'float':
      w.float(2, value.value);
      w.int(20, 1);
      break;
    case 'int':
      w.int(3, value.value);
      w.int(20, 2);
      break;
    case 'string':
      w.string(4, value.value);
      w.int(20, 3);
      break;
    case 'floats':
      for (const v of value.value) w.float(7, v);
      w.int(20, 6);
      break;
    case 'ints':
      for (const v of value.value) w.int(8, v);
      w.int(20, 7);
      break;
  }
}

function writeValueInfo(w: ProtoWriter, v: ValueSpec): void {
  w.string(1, v.name);
  w.message(2, (t) =>
    t.message(1, (tt) => {
      tt.int(1, ONNX_FLOAT);
      const dims = v.dims;
      if (dims) {
        tt.message(2, (s) => {
          for (const d of dims) s.message(1, (dw) => (typeof d === 'number' ? dw.int(1, d) : dw.string(2, d)));
        });
      }
    }),
  );
}
