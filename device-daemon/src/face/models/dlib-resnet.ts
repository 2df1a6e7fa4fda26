// The dlib ResNet-29 face descriptor (public-domain weights, as packaged by @vladmandic/face-api),
// rebuilt as an ONNX graph from its weight names: a 7x7 stride-2 convolution, max pooling, residual
// blocks of 32, 64, 128 and 256 filters, global average pooling, a 128-wide fully connected layer.
// Every convolution is followed by a per-channel scale (the network's affine layers). The input is
// a 150x150 face chip of raw RGB (0-255), NHWC; the graph subtracts the mean and divides by 255.
import { err, ok, type Result } from '../../core/result';
import { int, ints, OnnxBuilder, str } from './onnx-builder';
import type { Weight } from './tfjs-graph';

export const CHIP_SIZE = 150;
const MEAN_RGB = [122.782, 117.001, 104.298];

interface Shape {
  c: number;
  h: number;
  w: number;
}

export function buildDlibResnet(weights: ReadonlyMap<string, Weight>): Result<Uint8Array, string> {
  const b = new OnnxBuilder('dlib_resnet_face_descriptor');
  const get = (name: string): Weight => {
    const w = weights.get(name);
    if (!w) throw new Error(`weight ${name} missing`);
    return w;
  };
  const channelVector = (name: string, w: Weight): string => b.floatTensor(name, [w.values.length, 1, 1], Float32Array.from(w.values));

  const conv = (x: string, shape: Shape, prefix: string, stride: 1 | 2, relu: boolean, same: boolean): [string, Shape] => {
    const filter = get(`${prefix}/conv/filters`);
    const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
    const oihw = new Float32Array(co * ci * kh * kw);
    for (let y = 0; y < kh; y += 1)
      for (let xx = 0; xx < kw; xx += 1)
        for (let c = 0; c < ci; c += 1) for (let o = 0; o < co; o += 1) oihw[((o * ci + c) * kh + y) * kw + xx] = filter.values[((y * kw + xx) * ci + c) * co + o] ?? 0;
    const convolved = b.node('Conv', [x, b.floatTensor(`${prefix}_w`, [co, ci, kh, kw], oihw), b.floatTensor(`${prefix}_b`, [co], Float32Array.from(get(`${prefix}/conv/bias`).values))], {
      kernel_shape: ints([kh, kw]),
      strides: ints([stride, stride]),
      ...(same ? { auto_pad: str('SAME_UPPER') } : { pads: ints([0, 0, 0, 0]) }),
    });
    const scaled = b.node('Add', [b.node('Mul', [convolved, channelVector(`${prefix}_scale`, get(`${prefix}/scale/weights`))]), channelVector(`${prefix}_shift`, get(`${prefix}/scale/biases`))]);
    const out = relu ? b.node('Relu', [scaled]) : scaled;
    const size = (n: number): number => (same ? Math.ceil(n / stride) : Math.floor((n - kh) / stride) + 1);
    return [out, { c: co, h: size(shape.h), w: size(shape.w) }];
  };

  const residual = (x: string, shape: Shape, prefix: string): [string, Shape] => {
    const [a, s1] = conv(x, shape, `${prefix}/conv1`, 1, true, true);
    const [c, s2] = conv(a, s1, `${prefix}/conv2`, 1, false, true);
    return [b.node('Relu', [b.node('Add', [c, x])]), s2];
  };

  const residualDown = (x: string, shape: Shape, prefix: string): [string, Shape] => {
    const [a, s1] = conv(x, shape, `${prefix}/conv1`, 2, true, false);
    let [out, s2] = conv(a, s1, `${prefix}/conv2`, 1, false, true);
    let pooled = b.node('AveragePool', [x], { kernel_shape: ints([2, 2]), strides: ints([2, 2]) });
    const pooledShape = { c: shape.c, h: Math.floor(shape.h / 2), w: Math.floor(shape.w / 2) };
    if (pooledShape.h !== s2.h || pooledShape.w !== s2.w) {
      // face-api pads the convolution's output with a zero row and column to the pooled size.
      out = b.node('Pad', [out, b.int64Tensor('pad', [0, 0, 0, 0, 0, 0, pooledShape.h - s2.h, pooledShape.w - s2.w])]);
      s2 = { ...s2, h: pooledShape.h, w: pooledShape.w };
    }
    if (pooledShape.c !== s2.c) pooled = b.node('Pad', [pooled, b.int64Tensor('pad', [0, 0, 0, 0, 0, s2.c - pooledShape.c, 0, 0])]);
    return [b.node('Relu', [b.node('Add', [pooled, out])]), s2];
  };

  try {
    const input = b.input({ name: 'input', dims: ['N', CHIP_SIZE, CHIP_SIZE, 3] });
    const centred = b.node('Mul', [b.node('Sub', [input, b.floatTensor('mean', [3], Float32Array.from(MEAN_RGB))]), b.floatTensor('inv255', [], Float32Array.of(1 / 255))]);
    let x = b.node('Transpose', [centred], { perm: ints([0, 3, 1, 2]) });
    let shape: Shape = { c: 3, h: CHIP_SIZE, w: CHIP_SIZE };
    [x, shape] = conv(x, shape, 'conv32_down', 2, true, false);
    x = b.node('MaxPool', [x], { kernel_shape: ints([3, 3]), strides: ints([2, 2]) });
    shape = { ...shape, h: Math.floor((shape.h - 3) / 2) + 1, w: Math.floor((shape.w - 3) / 2) + 1 };
    for (const block of ['conv32_1', 'conv32_2', 'conv32_3']) [x, shape] = residual(x, shape, block);
    [x, shape] = residualDown(x, shape, 'conv64_down');
    for (const block of ['conv64_1', 'conv64_2', 'conv64_3']) [x, shape] = residual(x, shape, block);
    [x, shape] = residualDown(x, shape, 'conv128_down');
    for (const block of ['conv128_1', 'conv128_2']) [x, shape] = residual(x, shape, block);
    [x, shape] = residualDown(x, shape, 'conv256_down');
    for (const block of ['conv256_1', 'conv256_2']) [x, shape] = residual(x, shape, block);
    [x, shape] = residualDown(x, shape, 'conv256_down_out');
    const pooled = b.node('Flatten', [b.node('GlobalAveragePool', [x])], { axis: int(1) });
    const fc = get('fc');
    b.node('MatMul', [pooled, b.floatTensor('fc', fc.shape, Float32Array.from(fc.values))], {}, 'descriptor');
    b.output({ name: 'descriptor', dims: ['N', fc.shape[1] ?? 128] });
  } catch (cause) {
    return err(`dlib ResNet: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  return ok(b.toBytes('kiosk dlib-resnet builder'));
}
