// MediaPipe Iris refines each eye: FaceMesh alone places the eyelids from the whole face and hardly
// moves them when the eyes close. Each eye is cropped square, 2.3 times its corner distance, turned
// level; the eye on the picture's right is mirrored, since the model knows left-hand eyes only.
import { apply, squareCrop, warpToTensor, type Affine, type Point, type RgbImage } from './image';
import { meshPoint, type FaceMesh } from './landmarks';
import type { ModelRunner } from './model-loader';

export const EYE_SIZE = 64;
const EYE_VALUES = EYE_SIZE * EYE_SIZE * 3;
const ENLARGE = 2.3;
const OUTPUT_POINTS = 76;
const CONTOUR_POINTS = 71;

/** Corner pairs in FaceMesh numbering, picture-left corner first. */
const PICTURE_LEFT_EYE = [33, 133] as const;
const PICTURE_RIGHT_EYE = [362, 263] as const;

export interface EyeLandmarks {
  /** 71 contour and brow points in frame pixels: 0-8 the lower lid corner to corner, 9-15 the upper lid. */
  readonly contour: readonly Point[];
  /** Iris centre then four points on its rim. */
  readonly iris: readonly Point[];
}

/** The subject's right eye appears on the picture's left. */
export interface Eyes {
  readonly right: EyeLandmarks;
  readonly left: EyeLandmarks;
}

function eyeCrop(mesh: FaceMesh, corners: readonly [number, number], mirror: boolean): Affine {
  const a = meshPoint(mesh, corners[0]);
  const b = meshPoint(mesh, corners[1]);
  const side = Math.hypot(b.x - a.x, b.y - a.y) * ENLARGE;
  const crop = squareCrop({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, side, Math.atan2(b.y - a.y, b.x - a.x), EYE_SIZE);
  if (!mirror) return crop;
  // Mirrored: output x reads the crop at EYE_SIZE - x.
  const [p, q, r, s, t, u] = crop;
  return [-p, q, p * EYE_SIZE + r, -s, t, s * EYE_SIZE + u];
}

/** Pixel-centre sampling for a crop given in continuous coordinates. */
function centred(crop: Affine): Affine {
  const [a, b, c, d, e, f] = crop;
  return [a, b, c + 0.5 * (a + b) - 0.5, d, e, f + 0.5 * (d + e) - 0.5];
}

export class EyeModel {
  readonly #input = new Float32Array(EYE_VALUES * 2);

  constructor(private readonly session: ModelRunner) {}

  prepare(image: RgbImage, mesh: FaceMesh): { input: Float32Array; crops: [Affine, Affine] } {
    const crops: [Affine, Affine] = [eyeCrop(mesh, PICTURE_LEFT_EYE, false), eyeCrop(mesh, PICTURE_RIGHT_EYE, true)];
    warpToTensor(image, centred(crops[0]), EYE_SIZE, EYE_SIZE, this.#input.subarray(0, EYE_VALUES));
    warpToTensor(image, centred(crops[1]), EYE_SIZE, EYE_SIZE, this.#input.subarray(EYE_VALUES));
    return { input: this.#input, crops };
  }

  async run(input: Float32Array): Promise<Float32Array> {
    const { Tensor } = await import('onnxruntime-node');
    const outputs = await this.session.run({ input_1: new Tensor('float32', input, [2, EYE_SIZE, EYE_SIZE, 3]) });
    const data = outputs['eye']?.data;
    if (!(data instanceof Float32Array)) throw new Error('iris model output is not float32');
    return data;
  }

  async eyes(image: RgbImage, mesh: FaceMesh): Promise<Eyes> {
    const { input, crops } = this.prepare(image, mesh);
    const out = await this.run(input);
    input.fill(0);
    const eye = (k: 0 | 1): EyeLandmarks => {
      const points: Point[] = [];
      for (let i = 0; i < OUTPUT_POINTS; i += 1) {
        const o = (k * OUTPUT_POINTS + i) * 3;
        points.push(apply(crops[k], { x: out[o]!, y: out[o + 1]! }));
      }
      return { contour: points.slice(0, CONTOUR_POINTS), iris: points.slice(CONTOUR_POINTS) };
    };
    return { right: eye(0), left: eye(1) };
  }
}

/** Upper-lid and lower-lid points facing each other, in the model's contour numbering. */
const LID_PAIRS = [
  [10, 2],
  [11, 3],
  [12, 4],
  [13, 5],
  [14, 6],
] as const;

/** Mean lid gap over five points across the eye, as a share of its corner-to-corner width. */
export function eyeOpenness(eye: EyeLandmarks): number {
  const p = (i: number): Point => eye.contour[i]!;
  const width = Math.hypot(p(8).x - p(0).x, p(8).y - p(0).y);
  if (width === 0) return 0;
  let gap = 0;
  for (const [upper, lower] of LID_PAIRS) gap += Math.hypot(p(upper).x - p(lower).x, p(upper).y - p(lower).y);
  return gap / LID_PAIRS.length / width;
}
