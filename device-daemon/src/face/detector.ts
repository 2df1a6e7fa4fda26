// BlazeFace (MediaPipe, short range, 128x128): finds faces and six keypoints in a whole frame. The
// frame is letterboxed into the model's square; anchors and weighted suppression follow MediaPipe's
// face_detection_short_range graph, so scores mean what they mean there.
import { shrink, warpToTensor, type Affine, type Point, type RgbImage } from './image';
import type { ModelRunner } from './model-loader';

export const DETECTOR_SIZE = 128;
const ANCHORS = buildAnchors();

/** Keypoint order of the model: the subject's right eye appears on the left of the picture. */
export const KEYPOINT = { rightEye: 0, leftEye: 1, nose: 2, mouth: 3, rightEar: 4, leftEar: 5 } as const;

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Detection {
  /** In source pixels. */
  readonly box: Box;
  readonly score: number;
  readonly keypoints: readonly Point[];
}

export interface DetectorOptions {
  /** Lowest score kept (after the sigmoid); MediaPipe uses 0.5. */
  readonly minScore: number;
  /** Boxes overlapping more than this are one face. */
  readonly iouThreshold: number;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = { minScore: 0.5, iouThreshold: 0.3 };

interface Anchor {
  readonly x: number;
  readonly y: number;
}

/** 16x16 cells with 2 anchors at stride 8, then 8x8 cells with 6 anchors at stride 16. */
function buildAnchors(): Anchor[] {
  const anchors: Anchor[] = [];
  for (const [cells, perCell] of [
    [16, 2],
    [8, 6],
  ] as const) {
    for (let y = 0; y < cells; y += 1) {
      for (let x = 0; x < cells; x += 1) {
        for (let k = 0; k < perCell; k += 1) anchors.push({ x: (x + 0.5) / cells, y: (y + 0.5) / cells });
      }
    }
  }
  return anchors;
}

interface Candidate {
  score: number;
  /** Normalised to the letterboxed square: x0, y0, x1, y1, then six (x, y) keypoints. */
  coords: Float64Array;
}

function iou(a: Float64Array, b: Float64Array): number {
  const ix = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const iy = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = ix * iy;
  const union = (a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter;
  return union > 0 ? inter / union : 0;
}

/** MediaPipe's weighted suppression: overlapping boxes are averaged by score rather than dropped. */
export function weightedSuppression(candidates: Candidate[], iouThreshold: number): Candidate[] {
  const remaining = [...candidates].sort((p, q) => q.score - p.score);
  const kept: Candidate[] = [];
  while (remaining.length > 0) {
    const top = remaining[0]!;
    const group: Candidate[] = [];
    const rest: Candidate[] = [];
    for (const c of remaining) (iou(top.coords, c.coords) > iouThreshold ? group : rest).push(c);
    const total = group.reduce((sum, c) => sum + c.score, 0);
    const coords = new Float64Array(top.coords.length);
    for (const c of group) for (let i = 0; i < coords.length; i += 1) coords[i]! += (c.coords[i]! * c.score) / total;
    kept.push({ score: top.score, coords });
    remaining.splice(0, remaining.length, ...rest);
  }
  return kept;
}

/** Output -> source map of the letterbox, and the scale of one model pixel in source pixels. */
export function letterbox(width: number, height: number): { scale: number; offsetX: number; offsetY: number } {
  const scale = Math.max(width, height) / DETECTOR_SIZE;
  return { scale, offsetX: (width - DETECTOR_SIZE * scale) / 2, offsetY: (height - DETECTOR_SIZE * scale) / 2 };
}

export class FaceDetector {
  readonly #input = new Float32Array(DETECTOR_SIZE * DETECTOR_SIZE * 3);

  constructor(
    private readonly session: ModelRunner,
    private readonly options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS,
  ) {}

  /** The model's input for a frame: kept for benchmarks that time the model alone. */
  prepare(image: RgbImage): Float32Array {
    const { scale, offsetX, offsetY } = letterbox(image.width, image.height);
    const factor = Math.max(1, Math.floor(scale));
    const source = shrink(image, factor);
    // Pixel centres: output x + 0.5 lands on source (x + 0.5) * scale + offset, in shrunk pixels.
    const s = scale / factor;
    const toSource: Affine = [s, 0, (0.5 * scale + offsetX) / factor - 0.5, 0, s, (0.5 * scale + offsetY) / factor - 0.5];
    return warpToTensor(source, toSource, DETECTOR_SIZE, DETECTOR_SIZE, this.#input);
  }

  async run(input: Float32Array): Promise<{ scores: Float32Array; boxes: Float32Array }> {
    const { Tensor } = await import('onnxruntime-node');
    const outputs = await this.session.run({ input: new Tensor('float32', input, [1, DETECTOR_SIZE, DETECTOR_SIZE, 3]) });
    const scores = outputs['scores']?.data;
    const boxes = outputs['boxes']?.data;
    if (!(scores instanceof Float32Array) || !(boxes instanceof Float32Array)) throw new Error('detector model outputs are not float32 scores and boxes');
    return { scores, boxes };
  }

  async detect(image: RgbImage): Promise<Detection[]> {
    const { scores, boxes } = await this.run(this.prepare(image));
    const logit = Math.log(this.options.minScore / (1 - this.options.minScore));
    const candidates: Candidate[] = [];
    for (let i = 0; i < ANCHORS.length; i += 1) {
      const raw = scores[i]!;
      if (raw < logit) continue;
      const anchor = ANCHORS[i]!;
      const b = i * 16;
      const cx = boxes[b]! / DETECTOR_SIZE + anchor.x;
      const cy = boxes[b + 1]! / DETECTOR_SIZE + anchor.y;
      const w = boxes[b + 2]! / DETECTOR_SIZE;
      const h = boxes[b + 3]! / DETECTOR_SIZE;
      const coords = new Float64Array(16);
      coords.set([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]);
      for (let k = 0; k < 6; k += 1) {
        coords[4 + k * 2] = boxes[b + 4 + k * 2]! / DETECTOR_SIZE + anchor.x;
        coords[5 + k * 2] = boxes[b + 5 + k * 2]! / DETECTOR_SIZE + anchor.y;
      }
      candidates.push({ score: 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, raw)))), coords });
    }
    const { scale, offsetX, offsetY } = letterbox(image.width, image.height);
    const side = DETECTOR_SIZE * scale;
    const toX = (n: number): number => n * side + offsetX;
    const toY = (n: number): number => n * side + offsetY;
    return weightedSuppression(candidates, this.options.iouThreshold).map(({ score, coords }) => ({
      score,
      box: { x: toX(coords[0]!), y: toY(coords[1]!), width: (coords[2]! - coords[0]!) * side, height: (coords[3]! - coords[1]!) * side },
      keypoints: Array.from({ length: 6 }, (_, k) => ({ x: toX(coords[4 + k * 2]!), y: toY(coords[5 + k * 2]!) })),
    }));
  }
}
