import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { int, ints, OnnxBuilder } from './onnx-builder';

describe('OnnxBuilder', () => {
  it('writes a model onnxruntime loads and runs: y = relu(x W + b), then transpose and pad', async () => {
    const b = new OnnxBuilder('tiny');
    const x = b.input({ name: 'x', dims: ['N', 2] });
    const w = b.floatTensor('w', [2, 2], Float32Array.of(1, -1, 2, 0.5));
    const bias = b.floatTensor('b', [2], Float32Array.of(0.5, -10));
    const y = b.node('Relu', [b.node('Add', [b.node('MatMul', [x, w]), bias])], {}, 'y');
    const t = b.node('Transpose', [y], { perm: ints([1, 0]) });
    b.node('Pad', [t, b.int64Tensor('pads', [0, 1, 0, 0])], {}, 'padded');
    b.node('Flatten', [y], { axis: int(1) }, 'flat');
    b.output({ name: 'y', dims: ['N', 2] });
    b.output({ name: 'padded', dims: [2, 'M'] });
    const bytes = b.toBytes('test');
    expect(Buffer.from(b.toBytes('test')).equals(Buffer.from(bytes))).toBe(true);
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, -3, 1), [2, 2]) });
    // [1,2]·W = [1+4, -1+1] = [5, 0] + b = [5.5, -10] -> relu [5.5, 0]; [-3,1]·W = [-1, 3.5] + b = [-0.5, -6.5] -> [0, 0]
    expect(Array.from(out.y?.data as Float32Array)).toEqual([5.5, 0, 0, 0]);
    expect(Array.from(out.padded?.data as Float32Array)).toEqual([0, 5.5, 0, 0, 0, 0]);
  });
});
