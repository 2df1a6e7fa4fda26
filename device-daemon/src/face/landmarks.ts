// FaceMesh (MediaPipe, 468 landmarks): a square crop around the detection, 1.5 times its size and
// turned so the eyes are level, as MediaPipe's face landmark graph makes it; the landmarks are mapped
// back to frame pixels.
import { KEYPOINT, type Detection } from './detector';
import { apply, squareCrop, warpToTensor, type Affine, type RgbImage } from './image';
import type { ModelRunner } from './model-loader';

export const MESH_SIZE = 192;
export const MESH_POINTS = 468;
const CROP_SCALE = 1.5;

export interface FaceMesh {
  /** x, y in frame pixels and z in the same scale (depth, smaller is nearer), 468 points. */
  readonly points: Float32Array;
  /** The model's confidence that the crop holds a face, 0-1. */
  readonly faceScore: number;
}

export function meshPoint(mesh: FaceMesh, index: number): { x: number; y: number; z: number } {
  return { x: mesh.points[index * 3]!, y: mesh.points[index * 3 + 1]!, z: mesh.points[index * 3 + 2]! };
}

/** The crop a detection asks for: output (192 x 192) -> frame. */
export function meshCrop(detection: Detection): Affine {
  const right = detection.keypoints[KEYPOINT.rightEye]!;
  const left = detection.keypoints[KEYPOINT.leftEye]!;
  const angle = Math.atan2(left.y - right.y, left.x - right.x);
  const { box } = detection;
  const side = Math.max(box.width, box.height) * CROP_SCALE;
  return squareCrop({ x: box.x + box.width / 2, y: box.y + box.height / 2 }, side, angle, MESH_SIZE);
}

export class LandmarkModel {
  readonly #input = new Float32Array(MESH_SIZE * MESH_SIZE * 3);

  constructor(private readonly session: ModelRunner) {}

  prepare(image: RgbImage, crop: Affine): Float32Array {
    // Pixel centres: output x + 0.5 maps to source continuous coordinates, then to pixel indices.
    const [a, b, c, d, e, f] = crop;
    const centred: Affine = [a, b, c + 0.5 * (a + b) - 0.5, d, e, f + 0.5 * (d + e) - 0.5];
    return warpToTensor(image, centred, MESH_SIZE, MESH_SIZE, this.#input);
  }

  async run(input: Float32Array): Promise<{ mesh: Float32Array; faceflag: number }> {
    const { Tensor } = await import('onnxruntime-node');
    const outputs = await this.session.run({ input_1: new Tensor('float32', input, [1, MESH_SIZE, MESH_SIZE, 3]) });
    const mesh = outputs['mesh']?.data;
    const flag = outputs['faceflag']?.data;
    if (!(mesh instanceof Float32Array) || !(flag instanceof Float32Array)) throw new Error('landmark model outputs are not float32 mesh and faceflag');
    return { mesh, faceflag: flag[0] ?? 0 };
  }

  async landmarks(image: RgbImage, detection: Detection): Promise<FaceMesh> {
    const crop = meshCrop(detection);
    const { mesh, faceflag } = await this.run(this.prepare(image, crop));
    const points = new Float32Array(MESH_POINTS * 3);
    // The crop's scale maps z too, so depth stays in frame pixels.
    const scale = Math.hypot(crop[0], crop[3]);
    for (let i = 0; i < MESH_POINTS; i += 1) {
      const p = apply(crop, { x: mesh[i * 3]!, y: mesh[i * 3 + 1]! });
      points[i * 3] = p.x;
      points[i * 3 + 1] = p.y;
      points[i * 3 + 2] = mesh[i * 3 + 2]! * scale;
    }
    return { points, faceScore: faceflag };
  }
}
