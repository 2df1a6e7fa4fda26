// Converts a TensorFlow.js graph model to ONNX, op by op. Activations stay NHWC as in TensorFlow;
// every layout-bound op (convolutions, pooling, resizing) is wrapped in a pair of transposes to
// ONNX's NCHW, which onnxruntime's transpose optimiser folds away between neighbouring ops.
// Weights are laid out for ONNX at conversion time. The ops covered are those of the face models
// (BlazeFace, FaceMesh, selfie segmentation); anything else is refused by name.
import { err, ok, type Result } from '../../core/result';
import { float, int, ints, OnnxBuilder, str } from './onnx-builder';
import { attrBool, attrFloat, attrInts, attrString, attrStrings, placeholderDims, type GraphModelJson, type GraphNode, type Weight } from './tfjs-graph';

export interface ConvertOptions {
  readonly name: string;
  /**
   * Graph outputs to expose, by TensorFlow node name, with the ONNX name to give each. Several
   * nodes are concatenated along `axis` (BlazeFace answers in two anchor groups).
   */
  readonly outputs: readonly { readonly nodes: readonly string[]; readonly as: string; readonly axis?: number }[];
  /** Pixel normalisation done in the graph, so callers feed raw 0-255 RGB: x * scale + offset. */
  readonly input?: { readonly scale: number; readonly offset: number };
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** HWIO filter to OIHW. */
function filterOIHW(w: Weight): { dims: number[]; data: Float32Array } {
  const [h, wd, i, o] = w.shape as [number, number, number, number];
  const out = new Float32Array(o * i * h * wd);
  for (let y = 0; y < h; y += 1)
    for (let x = 0; x < wd; x += 1)
      for (let c = 0; c < i; c += 1) for (let k = 0; k < o; k += 1) out[((k * i + c) * h + y) * wd + x] = w.values[((y * wd + x) * i + c) * o + k] ?? 0;
  return { dims: [o, i, h, wd], data: out };
}

/** Depthwise HWCM filter to (C*M)1HW. */
function depthwiseFilter(w: Weight): { dims: number[]; data: Float32Array; channels: number } {
  const [h, wd, c, m] = w.shape as [number, number, number, number];
  const out = new Float32Array(c * m * h * wd);
  for (let y = 0; y < h; y += 1)
    for (let x = 0; x < wd; x += 1)
      for (let ch = 0; ch < c; ch += 1) for (let k = 0; k < m; k += 1) out[((ch * m + k) * h + y) * wd + x] = w.values[((y * wd + x) * c + ch) * m + k] ?? 0;
  return { dims: [c * m, 1, h, wd], data: out, channels: c };
}

/** Conv2DBackpropInput's HW(out)(in) filter to ConvTranspose's (in)(out)HW. */
function transposedFilter(w: Weight): { dims: number[]; data: Float32Array } {
  const [h, wd, o, i] = w.shape as [number, number, number, number];
  const out = new Float32Array(i * o * h * wd);
  for (let y = 0; y < h; y += 1)
    for (let x = 0; x < wd; x += 1)
      for (let oc = 0; oc < o; oc += 1) for (let ic = 0; ic < i; ic += 1) out[((ic * o + oc) * h + y) * wd + x] = w.values[((y * wd + x) * o + oc) * i + ic] ?? 0;
  return { dims: [i, o, h, wd], data: out };
}

const refName = (input: string): string => (input.endsWith(':0') ? input.slice(0, -2) : input);

export function convertGraph(model: GraphModelJson, weights: ReadonlyMap<string, Weight>, options: ConvertOptions): Result<Uint8Array, string> {
  const b = new OnnxBuilder(options.name);
  const values = new Map<string, string>();
  const nodes = model.modelTopology.node;
  const byName = new Map(nodes.map((n) => [n.name, n]));

  const weightOf = (input: string): Weight | undefined => {
    const node = byName.get(refName(input));
    return node?.op === 'Const' ? weights.get(node.name) : undefined;
  };
  const valueOf = (input: string): string => {
    const key = refName(input);
    const existing = values.get(key);
    if (existing) return existing;
    const w = weightOf(input);
    if (!w) throw new Error(`no value for ${input}`);
    const name = b.floatTensor(key, w.shape, Float32Array.from(w.values));
    values.set(key, name);
    return name;
  };
  const int64Of = (input: string): number[] => Array.from(weightOf(input)?.values ?? []);
  const nchw = (x: string): string => b.node('Transpose', [x], { perm: ints(TO_NCHW) });
  const nhwc = (x: string): string => b.node('Transpose', [x], { perm: ints(TO_NHWC) });
  const padAttrs = (node: GraphNode, kernel: readonly number[], strides: readonly number[]): Record<string, ReturnType<typeof str> | ReturnType<typeof ints>> => {
    const padding = attrString(node, 'padding') ?? 'VALID';
    if (padding === 'SAME') return { auto_pad: str('SAME_UPPER') };
    if (padding === 'EXPLICIT') {
      const e = attrInts(node, 'explicit_paddings') ?? [];
      return { pads: ints([e[2] ?? 0, e[4] ?? 0, e[3] ?? 0, e[5] ?? 0]) };
    }
    void kernel;
    void strides;
    return { pads: ints([0, 0, 0, 0]) };
  };
  const activate = (x: string, op: string | undefined, node: GraphNode): string => {
    switch (op) {
      case undefined:
        return x;
      case 'Relu':
        return b.node('Relu', [x]);
      case 'Relu6':
        return b.node('Clip', [x, b.floatTensor('zero', [], Float32Array.of(0)), b.floatTensor('six', [], Float32Array.of(6))]);
      case 'Prelu':
        return b.node('PRelu', [x, valueOf(node.input?.[3] ?? '')]);
      case 'Elu':
        return b.node('Elu', [x]);
      case 'LeakyRelu':
        return b.node('LeakyRelu', [x], { alpha: float(attrFloat(node, 'leakyrelu_alpha') ?? 0.2) });
      case 'Sigmoid':
        return b.node('Sigmoid', [x]);
      default:
        throw new Error(`fused activation ${op} in ${node.name}`);
    }
  };

  try {
    for (const node of nodes) {
      const inputs = (node.input ?? []).filter((i) => !i.startsWith('^'));
      const x = (): string => valueOf(inputs[0] ?? '');
      let out: string | undefined;
      switch (node.op) {
        case 'Const':
          continue;
        case 'Placeholder': {
          const dims = placeholderDims(node);
          const raw = b.input({ name: node.name, dims: dims.map((d, i) => (d < 0 ? (i === 0 ? 'N' : `d${i}`) : d)) });
          out = options.input
            ? b.node('Add', [b.node('Mul', [raw, b.floatTensor('scale', [], Float32Array.of(options.input.scale))]), b.floatTensor('offset', [], Float32Array.of(options.input.offset))])
            : raw;
          break;
        }
        case 'Identity':
          out = b.node('Identity', [x()]);
          break;
        case '_FusedConv2D':
        case 'Conv2D': {
          const filter = weightOf(inputs[1] ?? '');
          if (!filter) throw new Error(`${node.name}: filter is not a constant`);
          const w = filterOIHW(filter);
          const strides = attrInts(node, 'strides') ?? [1, 1, 1, 1];
          const dilations = attrInts(node, 'dilations') ?? [1, 1, 1, 1];
          const fused = node.op === '_FusedConv2D' ? attrStrings(node, 'fused_ops') : [];
          const convInputs = [nchw(x()), b.floatTensor(`${node.name}_w`, w.dims, w.data)];
          if (fused[0] === 'BiasAdd') convInputs.push(valueOf(inputs[2] ?? ''));
          else if (fused.length > 0) throw new Error(`${node.name}: fused ${fused.join('+')}`);
          const conv = b.node('Conv', convInputs, { strides: ints([strides[1] ?? 1, strides[2] ?? 1]), dilations: ints([dilations[1] ?? 1, dilations[2] ?? 1]), kernel_shape: ints([w.dims[2] ?? 1, w.dims[3] ?? 1]), ...padAttrs(node, [], []) });
          out = activate(nhwc(conv), fused[1], node);
          break;
        }
        case 'DepthwiseConv2dNative': {
          const filter = weightOf(inputs[1] ?? '');
          if (!filter) throw new Error(`${node.name}: filter is not a constant`);
          const w = depthwiseFilter(filter);
          const strides = attrInts(node, 'strides') ?? [1, 1, 1, 1];
          const dilations = attrInts(node, 'dilations') ?? [1, 1, 1, 1];
          const conv = b.node('Conv', [nchw(x()), b.floatTensor(`${node.name}_w`, w.dims, w.data)], {
            group: int(w.channels),
            strides: ints([strides[1] ?? 1, strides[2] ?? 1]),
            dilations: ints([dilations[1] ?? 1, dilations[2] ?? 1]),
            kernel_shape: ints([w.dims[2] ?? 1, w.dims[3] ?? 1]),
            ...padAttrs(node, [], []),
          });
          out = nhwc(conv);
          break;
        }
        case 'Conv2DBackpropInput': {
          const size = int64Of(inputs[0] ?? '');
          const filter = weightOf(inputs[1] ?? '');
          if (!filter || size.length !== 4) throw new Error(`${node.name}: needs constant sizes and filter`);
          const w = transposedFilter(filter);
          const strides = attrInts(node, 'strides') ?? [1, 1, 1, 1];
          const conv = b.node('ConvTranspose', [nchw(valueOf(inputs[2] ?? '')), b.floatTensor(`${node.name}_w`, w.dims, w.data)], {
            strides: ints([strides[1] ?? 1, strides[2] ?? 1]),
            kernel_shape: ints([w.dims[2] ?? 1, w.dims[3] ?? 1]),
            output_shape: ints([size[1] ?? 0, size[2] ?? 0]),
          });
          out = nhwc(conv);
          break;
        }
        case 'BiasAdd':
        case 'Add':
        case 'AddV2':
          out = b.node('Add', [x(), valueOf(inputs[1] ?? '')]);
          break;
        case 'Sub':
          out = b.node('Sub', [x(), valueOf(inputs[1] ?? '')]);
          break;
        case 'Mul':
          out = b.node('Mul', [x(), valueOf(inputs[1] ?? '')]);
          break;
        case 'RealDiv':
          out = b.node('Div', [x(), valueOf(inputs[1] ?? '')]);
          break;
        case 'Maximum':
          out = b.node('Max', [x(), valueOf(inputs[1] ?? '')]);
          break;
        case 'Minimum':
          out = b.node('Min', [x(), valueOf(inputs[1] ?? '')]);
          break;
        case 'AddN':
          out = b.node('Sum', inputs.map(valueOf));
          break;
        case 'Relu':
        case 'Relu6':
        case 'Sigmoid':
        case 'Elu':
          out = activate(x(), node.op, node);
          break;
        case 'Tanh':
          out = b.node('Tanh', [x()]);
          break;
        case 'Prelu':
          out = b.node('PRelu', [x(), valueOf(inputs[1] ?? '')]);
          break;
        case 'Softmax':
          out = b.node('Softmax', [x()], { axis: int(-1) });
          break;
        case 'MaxPool':
        case 'AvgPool': {
          const k = attrInts(node, 'ksize') ?? [1, 1, 1, 1];
          const s = attrInts(node, 'strides') ?? [1, 1, 1, 1];
          const attrs = { kernel_shape: ints([k[1] ?? 1, k[2] ?? 1]), strides: ints([s[1] ?? 1, s[2] ?? 1]), ...padAttrs(node, [], []) };
          // TensorFlow's SAME average pooling leaves padding out of the count.
          const pool = node.op === 'MaxPool' ? b.node('MaxPool', [nchw(x())], attrs) : b.node('AveragePool', [nchw(x())], { ...attrs, count_include_pad: int(0) });
          out = nhwc(pool);
          break;
        }
        case 'Pad': {
          const p = int64Of(inputs[1] ?? '');
          const rank = p.length / 2;
          const pads = [...Array.from({ length: rank }, (_, i) => p[i * 2] ?? 0), ...Array.from({ length: rank }, (_, i) => p[i * 2 + 1] ?? 0)];
          out = b.node('Pad', [x(), b.int64Tensor(`${node.name}_pads`, pads)]);
          break;
        }
        case 'Reshape':
          out = b.node('Reshape', [x(), b.int64Tensor(`${node.name}_shape`, int64Of(inputs[1] ?? ''))]);
          break;
        case 'ConcatV2': {
          const axis = int64Of(inputs[inputs.length - 1] ?? '')[0] ?? 0;
          out = b.node('Concat', inputs.slice(0, -1).map(valueOf), { axis: int(axis) });
          break;
        }
        case 'ResizeBilinear': {
          const size = int64Of(inputs[1] ?? '');
          const mode = attrBool(node, 'align_corners') ? 'align_corners' : attrBool(node, 'half_pixel_centers') ? 'half_pixel' : 'asymmetric';
          const image = nchw(x());
          const batchAndChannels = b.node('Slice', [b.node('Shape', [image]), b.int64Tensor('start', [0]), b.int64Tensor('end', [2])]);
          const sizes = b.node('Concat', [batchAndChannels, b.int64Tensor(`${node.name}_hw`, size)], { axis: int(0) });
          out = nhwc(b.node('Resize', [image, '', '', sizes], { mode: str('linear'), coordinate_transformation_mode: str(mode) }));
          break;
        }
        case '_FusedMatMul':
        case 'MatMul': {
          const product = b.node('Gemm', [x(), valueOf(inputs[1] ?? '')], { transA: int(attrBool(node, 'transpose_a') ? 1 : 0), transB: int(attrBool(node, 'transpose_b') ? 1 : 0) });
          const fused = node.op === '_FusedMatMul' ? attrStrings(node, 'fused_ops') : [];
          out = fused[0] === 'BiasAdd' ? activate(b.node('Add', [product, valueOf(inputs[2] ?? '')]), fused[1], node) : product;
          break;
        }
        default:
          return err(`${options.name}: op ${node.op} (${node.name}) is not supported by the converter`);
      }
      values.set(node.name, out);
    }
    for (const o of options.outputs) {
      const parts = o.nodes.map((n) => values.get(n));
      const found = parts.filter((p): p is string => p !== undefined);
      if (found.length !== parts.length) return err(`${options.name}: output ${o.nodes.join(', ')} not found`);
      if (found.length === 1) b.node('Identity', found, {}, o.as);
      else b.node('Concat', found, { axis: int(o.axis ?? 0) }, o.as);
      b.output({ name: o.as });
    }
  } catch (cause) {
    return err(`${options.name}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  return ok(b.toBytes('kiosk tfjs-to-onnx'));
}
