// Quality gates for a live frame, each with a reason the UI can speak ("move closer", "look at the
// screen"). The first issue is the one to speak; a frame with none is good enough to compare.
import type { FaceQualityIssue } from '../protocol';
import type { Analysis, AnalysedFace } from './face-analyzer';
import { warpToTensor, type RgbImage } from './image';

export interface QualityOptions {
  /** Eye distance as a share of the frame's width. */
  readonly minEyeDistance: number;
  readonly maxEyeDistance: number;
  /** How far the face centre may be from the frame centre, as a share of width and height. */
  readonly maxOffCentre: number;
  readonly maxYaw: number;
  readonly maxPitch: number;
  /** Eye aspect ratio under which an eye counts as closed. */
  readonly minEyeOpen: number;
  /** Mean luma (0-255) of the face. */
  readonly minBrightness: number;
  readonly maxBrightness: number;
  /** Variance of the Laplacian over the face, sampled at a fixed scale. */
  readonly minSharpness: number;
  /** A second face this large relative to the first counts as another person. */
  readonly otherFaceRatio: number;
}

export const DEFAULT_QUALITY: QualityOptions = {
  minEyeDistance: 0.08,
  maxEyeDistance: 0.4,
  maxOffCentre: 0.2,
  maxYaw: 20,
  maxPitch: 20,
  minEyeOpen: 0.17,
  minBrightness: 50,
  maxBrightness: 215,
  minSharpness: 40,
  otherFaceRatio: 0.5,
};

const PATCH = 64;

/** Mean luma and Laplacian variance of the face box, resampled to a fixed size so faces near and far compare. */
export function faceLuma(image: RgbImage, face: AnalysedFace): { brightness: number; sharpness: number } {
  const { box } = face.detection;
  // The inner face: the middle of the box, away from hair and background.
  const side = Math.min(box.width, box.height) * 0.7;
  const x0 = box.x + box.width / 2 - side / 2;
  const y0 = box.y + box.height / 2 - side / 2;
  const s = side / PATCH;
  const rgb = warpToTensor(image, [s, 0, x0 + s / 2 - 0.5, 0, s, y0 + s / 2 - 0.5], PATCH, PATCH);
  const luma = new Float32Array(PATCH * PATCH);
  let sum = 0;
  for (let i = 0; i < luma.length; i += 1) {
    luma[i] = 0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!;
    sum += luma[i]!;
  }
  rgb.fill(0);
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = 1; y < PATCH - 1; y += 1) {
    for (let x = 1; x < PATCH - 1; x += 1) {
      const i = y * PATCH + x;
      const lap = luma[i - 1]! + luma[i + 1]! + luma[i - PATCH]! + luma[i + PATCH]! - 4 * luma[i]!;
      lapSum += lap;
      lapSq += lap * lap;
      n += 1;
    }
  }
  luma.fill(0);
  const mean = lapSum / n;
  return { brightness: sum / (PATCH * PATCH), sharpness: lapSq / n - mean * mean };
}

export interface QualityReport {
  /** Most important first; empty when the frame is good. */
  readonly issues: readonly FaceQualityIssue[];
  /** The face the report is about, if any. */
  readonly face: AnalysedFace | undefined;
  readonly brightness?: number;
  readonly sharpness?: number;
}

export function assessQuality(analysis: Analysis, options: QualityOptions = DEFAULT_QUALITY): QualityReport {
  const face = analysis.faces[0];
  if (!face) return { issues: ['noFace'], face: undefined };
  const { image } = analysis;
  const issues: FaceQualityIssue[] = [];
  const area = (d: { box: { width: number; height: number } }): number => d.box.width * d.box.height;
  const others = analysis.detections.filter((d) => d !== face.detection && area(d) >= area(face.detection) * options.otherFaceRatio ** 2);
  if (others.length > 0) issues.push('multipleFaces');
  const eyes = face.pose.eyeDistance / image.width;
  if (eyes < options.minEyeDistance) issues.push('tooSmall');
  if (eyes > options.maxEyeDistance) issues.push('tooClose');
  const { box } = face.detection;
  const dx = (box.x + box.width / 2) / image.width - 0.5;
  const dy = (box.y + box.height / 2) / image.height - 0.5;
  if (Math.abs(dx) > options.maxOffCentre || Math.abs(dy) > options.maxOffCentre) issues.push('offCentre');
  if (Math.abs(face.pose.yaw) > options.maxYaw || Math.abs(face.pose.pitch) > options.maxPitch) issues.push('headTurned');
  if (Math.min(face.pose.leftEye, face.pose.rightEye) < options.minEyeOpen) issues.push('eyesClosed');
  const { brightness, sharpness } = faceLuma(image, face);
  if (brightness < options.minBrightness) issues.push('tooDark');
  if (brightness > options.maxBrightness) issues.push('tooBright');
  if (sharpness < options.minSharpness) issues.push('blurred');
  return { issues, face, brightness, sharpness };
}
