// TensorFlow.js graph models (model.json plus weight shards): the node list and the weights,
// decoded to float32 (float16 and uint8-quantised weights are expanded), checked by zod.
import { z } from 'zod';
import { err, ok, type Result } from '../../core/result';

const attrValue = z
  .object({
    i: z.union([z.string(), z.number()]).optional(),
    f: z.number().optional(),
    b: z.boolean().optional(),
    s: z.string().optional(),
    type: z.string().optional(),
    list: z
      .object({
        i: z.array(z.union([z.string(), z.number()])).optional(),
        f: z.array(z.number()).optional(),
        s: z.array(z.string()).optional(),
      })
      .optional(),
    shape: z.unknown().optional(),
    tensor: z.unknown().optional(),
  })
  .loose();
export type AttrValue = z.infer<typeof attrValue>;

const nodeSchema = z.object({
  name: z.string(),
  op: z.string(),
  input: z.array(z.string()).optional(),
  attr: z.record(z.string(), attrValue).optional(),
});
export type GraphNode = z.infer<typeof nodeSchema>;

const weightSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().min(0)),
  dtype: z.enum(['float32', 'int32']),
  quantization: z
    .object({
      dtype: z.enum(['float16', 'uint8', 'uint16']),
      min: z.number().optional(),
      scale: z.number().optional(),
      original_dtype: z.string().optional(),
    })
    .optional(),
});

export const weightsManifestSchema = z.array(z.object({ paths: z.array(z.string()), weights: z.array(weightSchema) }));

export const graphModelSchema = z.object({
  format: z.literal('graph-model').optional(),
  modelTopology: z.object({ node: z.array(nodeSchema) }),
  weightsManifest: weightsManifestSchema,
  signature: z.unknown().optional(),
});
export type GraphModelJson = z.infer<typeof graphModelSchema>;

export interface Weight {
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly values: Float32Array | Int32Array;
}

function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Decodes the weights of a manifest from its shards, concatenated in manifest order. */
export function decodeWeights(manifest: z.infer<typeof weightsManifestSchema>, shards: readonly Uint8Array[]): Result<Map<string, Weight>, string> {
  const total = shards.reduce((n, s) => n + s.length, 0);
  const buffer = new Uint8Array(total);
  let at = 0;
  for (const shard of shards) {
    buffer.set(shard, at);
    at += shard.length;
  }
  const view = new DataView(buffer.buffer);
  const weights = new Map<string, Weight>();
  let offset = 0;
  for (const group of manifest) {
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization;
      const bytesPer = q ? (q.dtype === 'uint8' ? 1 : 2) : 4;
      if (offset + count * bytesPer > total) return err(`weights end before ${w.name}`);
      let values: Float32Array | Int32Array;
      if (w.dtype === 'int32' && !q) {
        values = new Int32Array(count);
        for (let i = 0; i < count; i += 1) values[i] = view.getInt32(offset + i * 4, true);
      } else {
        const out = new Float32Array(count);
        for (let i = 0; i < count; i += 1) {
          if (!q) out[i] = view.getFloat32(offset + i * 4, true);
          else if (q.dtype === 'float16') out[i] = float16ToFloat32(view.getUint16(offset + i * 2, true));
          else if (q.dtype === 'uint8') out[i] = (q.min ?? 0) + (q.scale ?? 1) * view.getUint8(offset + i);
          else out[i] = (q.min ?? 0) + (q.scale ?? 1) * view.getUint16(offset + i * 2, true);
        }
        values = out;
      }
      weights.set(w.name, { shape: w.shape, dtype: w.dtype, values });
      offset += count * bytesPer;
    }
  }
  if (offset !== total) return err(`weights use ${offset} of ${total} bytes`);
  return ok(weights);
}

export function attrInts(node: GraphNode, key: string): number[] | undefined {
  return node.attr?.[key]?.list?.i?.map(Number);
}

export function attrString(node: GraphNode, key: string): string | undefined {
  const s = node.attr?.[key]?.s;
  return s === undefined ? undefined : Buffer.from(s, 'base64').toString('latin1');
}

export function attrStrings(node: GraphNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('latin1'));
}

export function attrBool(node: GraphNode, key: string): boolean {
  return node.attr?.[key]?.b === true;
}

export function attrFloat(node: GraphNode, key: string): number | undefined {
  return node.attr?.[key]?.f;
}

export function attrInt(node: GraphNode, key: string): number | undefined {
  const i = node.attr?.[key]?.i;
  return i === undefined ? undefined : Number(i);
}

const shapeAttr = z.object({ shape: z.object({ dim: z.array(z.object({ size: z.union([z.string(), z.number()]).optional() })).optional() }) });

/** A placeholder's declared shape; -1 for free dimensions. */
export function placeholderDims(node: GraphNode): number[] {
  const parsed = shapeAttr.safeParse(node.attr?.shape);
  return parsed.success ? (parsed.data.shape.dim ?? []).map((d) => Number(d.size ?? -1)) : [];
}
