// Loads the converted models into onnxruntime, each only after its bytes match the sha256 that
// models/manifest.json records: a wrong or tampered file stops the face service, naming the file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { err, ok, type Result } from '../core/result';
import { readManifest, sha256 } from './models/manifest';

export const FACE_MODELS = ['blazeface-front', 'facemesh', 'iris', 'dlib-resnet'] as const;
export type FaceModelName = (typeof FACE_MODELS)[number];

export interface ModelLoadOptions {
  /** The models/ folder holding manifest.json and the converted files. */
  readonly dir: string;
  /** onnxruntime intra-op threads per model; the kiosk has few cores and other work to do. */
  readonly threads: number;
}

/**
 * What the pipeline needs of a model: named float tensors in, named outputs with data out. An
 * onnxruntime session is one; a benchmark can put another runtime behind the same pipeline.
 */
export interface ModelRunner {
  run(feeds: Record<string, Tensor>): Promise<Record<string, { readonly data: unknown }>>;
}

export type ModelSessions = Readonly<Record<FaceModelName, ModelRunner>>;

export async function loadModel(name: string, options: ModelLoadOptions): Promise<Result<InferenceSession, string>> {
  const manifest = readManifest(join(options.dir, 'manifest.json'));
  if (!manifest.ok) return manifest;
  const entry = manifest.value.models.find((m) => m.name === name);
  if (!entry) return err(`models/manifest.json has no entry for ${name}`);
  const file = join(options.dir, entry.file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    return err(`model file ${entry.file} is missing: run npm run models`);
  }
  const actual = sha256(bytes);
  if (actual !== entry.sha256) return err(`model file ${entry.file} does not match models/manifest.json (sha256 ${actual.slice(0, 12)}…, expected ${entry.sha256.slice(0, 12)}…): run npm run models`);
  try {
    const { InferenceSession } = await import('onnxruntime-node');
    const session = await InferenceSession.create(bytes, {
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // One check at a time on a terminal with a 300 MB budget: the arena and the memory pattern keep
      // each session's peak allocations for the life of the process (about 20 MB for the five models).
      enableCpuMemArena: false,
      enableMemPattern: false,
      // Worker threads that spin after a run steal the core the next step (JPEG decode, cropping)
      // needs: on two cores that made the whole check three times slower. They sleep instead.
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
    return ok(session);
  } catch (cause) {
    return err(`model file ${entry.file} cannot be loaded: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export async function loadFaceModels(options: ModelLoadOptions): Promise<Result<ModelSessions, string>> {
  const loaded: Partial<Record<FaceModelName, InferenceSession>> = {};
  for (const name of FACE_MODELS) {
    const session = await loadModel(name, options);
    if (!session.ok) {
      for (const opened of Object.values(loaded)) await opened.release();
      return session;
    }
    loaded[name] = session.value;
  }
  const { 'blazeface-front': detector, facemesh, iris, 'dlib-resnet': recognizer } = loaded;
  if (!detector || !facemesh || !iris || !recognizer) return err('face models incomplete');
  return ok({ 'blazeface-front': detector, facemesh, iris, 'dlib-resnet': recognizer });
}
