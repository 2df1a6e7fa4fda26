// The converted models against TensorFlow.js (pure JS, CPU) on fixed inputs: the TFJS graph models
// run as they are, the dlib network as face-api defines its forward pass. The sources come from the
// model cache that `npm run models` fills (it runs on install).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../paths';
import { seededRandom } from '../../testing/seeded-random';
import { recipe } from './recipes';
import { dlibResnetTfjs, faceApi, humanModels, loadTfjsGraphModel } from './tfjs-reference';

const root = findProjectRoot(import.meta.dirname);
const HUMAN = humanModels(root);
const FACE_API = faceApi(root);

beforeAll(async () => {
  if (!existsSync(HUMAN) || !existsSync(FACE_API)) throw new Error('model sources are not in models/.cache: run npm run models');
  await tf.setBackend('cpu');
});

function randomImage(seed: number, size: readonly [number, number]): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: size[0] * size[1] * 3 }, () => Math.floor(random() * 256));
}

const tfjsModel = (name: string): Promise<tf.GraphModel> => loadTfjsGraphModel(root, name);

async function onnx(name: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(readFileSync(join(root, 'models', `${name}.onnx`)));
}

/**
 * Errors relative to the output's largest magnitude (at least 1, so that near-zero probabilities
 * are compared absolutely): the worst element and the mean. Two float32
 * implementations accumulate in different orders; deep networks fed noise amplify that a little,
 * so the worst element is held to 1e-2 and the mean to 1e-4.
 */
function relativeErrors(a: ArrayLike<number>, b: ArrayLike<number>): { worst: number; mean: number } {
  expect(a.length).toBe(b.length);
  let scale = 1;
  for (let i = 0; i < b.length; i += 1) scale = Math.max(scale, Math.abs(b[i] ?? 0));
  let worst = 0;
  let sum = 0;
  for (let i = 0; i < b.length; i += 1) {
    const e = Math.abs((a[i] ?? 0) - (b[i] ?? 0)) / scale;
    worst = Math.max(worst, e);
    sum += e;
  }
  return { worst, mean: sum / Math.max(1, b.length) };
}

function expectClose(a: ArrayLike<number> | undefined, b: ArrayLike<number>): void {
  if (!a) throw new Error('no output');
  const { worst, mean } = relativeErrors(a, b);
  expect(worst).toBeLessThan(1e-2);
  expect(mean).toBeLessThan(1e-4);
}

const data = async (t: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap): Promise<Float32Array> => {
  if (!(t instanceof tf.Tensor)) throw new Error('expected one tensor');
  return Float32Array.from(await t.data());
};

describe('TFJS graph models converted to ONNX', () => {
  it('BlazeFace matches TensorFlow.js on the same input', async () => {
    const image = randomImage(1, [128, 128]);
    const model = await tfjsModel('blazeface-front');
    const outputs = model.execute(tf.tensor4d(image, [1, 128, 128, 3]).div(127.5).sub(1), ['Identity', 'Identity_1', 'Identity_2', 'Identity_3']);
    if (!Array.isArray(outputs)) throw new Error('expected four outputs');
    const [s512, s384, b512, b384] = await Promise.all(outputs.map((o) => o.data()));
    const ours = await (await onnx('blazeface-front')).run({ input: new ort.Tensor('float32', image, [1, 128, 128, 3]) });
    const scores = ours.scores?.data;
    const boxes = ours.boxes?.data;
    expect(scores && boxes).toBeTruthy();
    expectClose(scores as Float32Array, Float32Array.from([...(s512 ?? []), ...(s384 ?? [])]));
    expectClose(boxes as Float32Array, Float32Array.from([...(b512 ?? []), ...(b384 ?? [])]));
  });

  it('FaceMesh matches TensorFlow.js on the same input', async () => {
    const image = randomImage(2, [192, 192]);
    const model = await tfjsModel('facemesh');
    const outputs = model.execute(tf.tensor4d(image, [1, 192, 192, 3]).div(255), ['Identity_2', 'Identity_1']);
    if (!Array.isArray(outputs)) throw new Error('expected two outputs');
    const [mesh, flag] = await Promise.all(outputs.map((o) => o.data()));
    const ours = await (await onnx('facemesh')).run({ input_1: new ort.Tensor('float32', image, [1, 192, 192, 3]) });
    expectClose(ours.mesh?.data as Float32Array, Float32Array.from(mesh ?? []));
    expectClose(ours.faceflag?.data as Float32Array, Float32Array.from(flag ?? []));
  });

  it('Iris matches TensorFlow.js on the same input, two eyes at once', async () => {
    const image = randomImage(4, [128, 64]);
    const model = await tfjsModel('iris');
    const expected = await data(model.execute(tf.tensor4d(image, [2, 64, 64, 3]).div(255), 'Identity'));
    const ours = await (await onnx('iris')).run({ input_1: new ort.Tensor('float32', image, [2, 64, 64, 3]) });
    expect(ours.eye?.dims).toEqual([2, 1, 1, 228]);
    expectClose(ours.eye?.data as Float32Array, expected);
  });

  it('selfie segmentation matches TensorFlow.js on the same input', async () => {
    const image = randomImage(3, [256, 256]);
    const model = await tfjsModel('selfie');
    const mask = await data(model.execute(tf.tensor4d(image, [1, 256, 256, 3]).div(255), 'activation_10'));
    const ours = await (await onnx('selfie')).run({ input_1: new ort.Tensor('float32', image, [1, 256, 256, 3]) });
    expectClose(ours.mask?.data as Float32Array, mask);
  });

  it('converts deterministically: the same bytes every time', () => {
    const r = recipe('blazeface-front');
    if (!r.ok) throw new Error(r.error);
    const files = new Map(r.value.files.map((f) => [f, new Uint8Array(readFileSync(join(HUMAN, f)))]));
    const a = r.value.build(files);
    const b = r.value.build(files);
    expect(a.ok && b.ok && Buffer.from(a.value).equals(Buffer.from(b.value))).toBe(true);
  });
});

describe('the dlib descriptor rebuilt as ONNX', () => {
  it('matches face-api\'s forward pass written in TensorFlow.js', async () => {
    const forward = dlibResnetTfjs(root);
    const chip = randomImage(4, [150, 150]);
    const expected = await data(forward(tf.tensor4d(chip, [1, 150, 150, 3])));
    const ours = await (await onnx('dlib-resnet')).run({ input: new ort.Tensor('float32', chip, [1, 150, 150, 3]) });
    expect((ours.descriptor?.data as Float32Array).length).toBe(128);
    expectClose(ours.descriptor?.data as Float32Array, expected);
  });
});
