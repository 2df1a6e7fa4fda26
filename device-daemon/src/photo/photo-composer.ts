// One ID photo from one still: decode, find the face (or take what was found before), cut by face
// geometry, find the person, feather the mask's edge and lay the person over the chosen colour, then
// JPEG. Every decoded picture and intermediate buffer is wiped before returning.
import { err, ok, type Result } from '../core/result';
import type { FaceAnalyzer } from '../face/face-analyzer';
import { apply, decodeImage, invert, shrink, warpToTensor, wipe, type Affine, type RgbImage } from '../face/image';
import type { PhotoBackground, PhotoCompliance, PhotoSize } from '../protocol';
import { findFace, type FaceFindings, type FindingsFailure } from './face-findings';
import { assessCompliance } from './photo-compliance';
import { planCrop, type CropPlan } from './photo-geometry';
import { BACKGROUNDS, PHOTO_SPECS, type Rgb } from './photo-spec';
import type { PersonMask, Segmenter } from './segmenter';

export interface PhotoModels {
  readonly analyzer: FaceAnalyzer;
  readonly segmenter: Segmenter;
}

export interface ComposedPhoto {
  readonly jpeg: Buffer;
  readonly width: number;
  readonly height: number;
  readonly compliance: PhotoCompliance;
  readonly findings: FaceFindings;
}

export type ComposeFailure = FindingsFailure | { readonly code: 'unreadable'; readonly message: string };

/** Print quality; the screen gets the same file. */
const JPEG_QUALITY = 92;

/** Probability to coverage: below `low` background, above `high` person, smooth between. */
function personAlpha(mask: PersonMask, low = 0.25, high = 0.75): Float32Array {
  const out = new Float32Array(mask.alpha.length);
  for (let i = 0; i < out.length; i += 1) {
    const t = Math.min(1, Math.max(0, (mask.alpha[i]! - low) / (high - low)));
    out[i] = t * t * (3 - 2 * t);
  }
  return out;
}

/** Two box blurs in each direction (close to a Gaussian): the cut-out edge blends instead of stepping. */
function feather(alpha: Float32Array, width: number, height: number, radius: number): void {
  const line = new Float32Array(Math.max(width, height));
  const pass = (count: number, length: number, index: (k: number, i: number) => number): void => {
    for (let k = 0; k < count; k += 1) {
      for (let i = 0; i < length; i += 1) line[i] = alpha[index(k, i)]!;
      let sum = 0;
      for (let i = -radius; i <= radius; i += 1) sum += line[Math.min(length - 1, Math.max(0, i))]!;
      for (let i = 0; i < length; i += 1) {
        alpha[index(k, i)] = sum / (2 * radius + 1);
        sum += line[Math.min(length - 1, i + radius + 1)]! - line[Math.max(0, i - radius)]!;
      }
    }
  };
  for (let round = 0; round < 2; round += 1) {
    pass(height, width, (y, x) => y * width + x);
    pass(width, height, (x, y) => y * width + x);
  }
}

function composite(rgb: Float32Array, alpha: Float32Array, colour: Rgb): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let i = 0, p = 0; p < alpha.length; p += 1, i += 3) {
    const a = alpha[p]!;
    out[i] = Math.round(rgb[i]! * a + colour.r * (1 - a));
    out[i + 1] = Math.round(rgb[i + 1]! * a + colour.g * (1 - a));
    out[i + 2] = Math.round(rgb[i + 2]! * a + colour.b * (1 - a));
  }
  return out;
}

/** Mean mask over the middle of the face (between the cheeks, eyes to mouth), in the photo. */
function faceCoverage(alpha: Float32Array, width: number, height: number, plan: CropPlan, face: FaceFindings): number {
  const toPhoto = invert(plan.toStill);
  const right = apply(toPhoto, face.rightEdge);
  const left = apply(toPhoto, face.leftEdge);
  const eyes = apply(toPhoto, { x: (face.rightEye.x + face.leftEye.x) / 2, y: (face.rightEye.y + face.leftEye.y) / 2 });
  const chin = apply(toPhoto, face.chin);
  const inset = (left.x - right.x) * 0.2;
  const x0 = Math.max(0, Math.round(right.x + inset));
  const x1 = Math.min(width, Math.round(left.x - inset));
  const y0 = Math.max(0, Math.round(eyes.y));
  const y1 = Math.min(height, Math.round(eyes.y + (chin.y - eyes.y) * 0.8));
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y += 1) {
    for (let x = x0; x < x1; x += 1) {
      sum += alpha[y * width + x]!;
      n += 1;
    }
  }
  return n > 0 ? sum / n : 0;
}

/** The plan's continuous map as warpToTensor wants it (pixel indices), on a picture shrunk by `factor`. */
function indexMap(toStill: Affine, factor: number): Affine {
  const [a, b, c, d, e, f] = toStill;
  return [a / factor, b / factor, (0.5 * a + 0.5 * b + c) / factor - 0.5, d / factor, e / factor, (0.5 * d + 0.5 * e + f) / factor - 0.5];
}

export async function composePhoto(models: PhotoModels, source: Uint8Array, known: FaceFindings | undefined, size: PhotoSize, background: PhotoBackground): Promise<Result<ComposedPhoto, ComposeFailure>> {
  const decoded = await decodeImage(source);
  if (!decoded.ok) return err({ code: 'unreadable', message: decoded.error });
  const still = decoded.value;
  let small: RgbImage | undefined;
  try {
    let findings = known;
    if (!findings) {
      const found = await findFace(models.analyzer, still);
      if (!found.ok) return found;
      findings = found.value;
    }
    const spec = PHOTO_SPECS[size];
    const plan = planCrop(findings, spec);
    // Reduced a lot, bilinear sampling alone would alias: shrink by whole pixels first.
    const factor = Math.max(1, Math.floor(plan.scale));
    small = factor > 1 ? shrink(still, factor) : still;
    const map = indexMap(plan.toStill, factor);
    const rgb = warpToTensor(small, map, spec.width, spec.height);
    const mask = await models.segmenter.mask(small, map, spec.width, spec.height);
    const alpha = personAlpha(mask);
    mask.alpha.fill(0);
    feather(alpha, spec.width, spec.height, Math.max(1, Math.round(spec.width / 200)));
    const faceKept = faceCoverage(alpha, spec.width, spec.height, plan, findings);
    const pixels = composite(rgb, alpha, BACKGROUNDS[background].rgb);
    rgb.fill(0);
    alpha.fill(0);
    const { default: sharp } = await import('sharp');
    const jpeg = await sharp(pixels, { raw: { width: spec.width, height: spec.height, channels: 3 } })
      .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:4:4' })
      .withDensity(spec.dpi)
      .toBuffer();
    pixels.fill(0);
    return ok({ jpeg, width: spec.width, height: spec.height, compliance: assessCompliance(findings, plan, spec, faceKept), findings });
  } finally {
    if (small !== still) wipe(small);
    wipe(still);
  }
}
