// The ID photo rules the kiosk can check from the face it measured and the cut it planned: one face,
// centred, facing the camera, eyes open, head size, lighting, focus. Issues come in PHOTO_ISSUES order,
// so the first is the one to speak.
import { DEFAULT_QUALITY } from '../face/quality';
import { PHOTO_ISSUES, type PhotoCompliance, type PhotoIssue } from '../protocol';
import type { FaceFindings } from './face-findings';
import { insideCut, type CropPlan } from './photo-geometry';
import type { PhotoSpec } from './photo-spec';

export interface ComplianceLimits {
  /** Degrees: an ID photo faces the camera, stricter than the face check's 20. */
  readonly maxYaw: number;
  readonly maxPitch: number;
  readonly minEyeOpen: number;
  /** Mean luma of the inner face. */
  readonly minBrightness: number;
  readonly maxBrightness: number;
  /** Cheek against cheek: a shadow over half the face. */
  readonly maxLightingImbalance: number;
  readonly minSharpness: number;
  /** Share of the face the person mask keeps: less, and the photo lost the face to the background. */
  readonly minFaceCoverage: number;
}

export const DEFAULT_COMPLIANCE: ComplianceLimits = {
  maxYaw: 15,
  maxPitch: 15,
  minEyeOpen: DEFAULT_QUALITY.minEyeOpen,
  minBrightness: 70,
  maxBrightness: DEFAULT_QUALITY.maxBrightness,
  maxLightingImbalance: 0.3,
  minSharpness: DEFAULT_QUALITY.minSharpness,
  minFaceCoverage: 0.8,
};

/**
 * `faceCoverage`: how much of the face the person mask kept. A face found in the still can still be
 * lost to the background (a photo held up, a face without a body); the photo then shows no face.
 */
export function assessCompliance(face: FaceFindings, plan: CropPlan, spec: PhotoSpec, faceCoverage: number, limits: ComplianceLimits = DEFAULT_COMPLIANCE): PhotoCompliance {
  const found = new Set<PhotoIssue>(plan.issues);
  if (faceCoverage < limits.minFaceCoverage) found.add('noFace');
  if (face.otherFaces.some((box) => insideCut(plan, spec, { x: box.x + box.width / 2, y: box.y + box.height / 2 }))) found.add('multipleFaces');
  if (Math.abs(face.yaw) > limits.maxYaw || Math.abs(face.pitch) > limits.maxPitch) found.add('headTurned');
  if (face.eyeOpen < limits.minEyeOpen) found.add('eyesClosed');
  if (face.brightness < limits.minBrightness) found.add('tooDark');
  if (face.brightness > limits.maxBrightness) found.add('tooBright');
  if (face.lightingImbalance > limits.maxLightingImbalance) found.add('unevenLighting');
  if (face.sharpness < limits.minSharpness) found.add('blurred');
  const issues = PHOTO_ISSUES.filter((issue) => found.has(issue));
  return { ok: issues.length === 0, issues };
}
