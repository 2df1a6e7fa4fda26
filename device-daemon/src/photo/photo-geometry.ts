// Where the photo is cut from the still: turned so the eyes are level, scaled so the head (or, for
// the ID card, the face's width) has its prescribed size, the face centred and the hair top at its
// margin. What the cut cannot do well is said as issues: the face too near the still's edge to centre
// (offCentre), the cut reaching past the still (headTooLarge), too few pixels for the print (headTooSmall).
import type { Affine, Point } from '../face/image';
import type { PhotoIssue } from '../protocol';
import type { FaceFindings } from './face-findings';
import type { PhotoSpec } from './photo-spec';

/**
 * Hair top to chin over eyes to chin. FaceMesh has no point on the crown: anthropometric tables put
 * the eyes near half the head's height (vertex to chin about 1.9 times pupil to chin), and hair adds.
 */
export const HEAD_PER_EYE_CHIN = 2.05;

export interface GeometryLimits {
  /** Fewest still pixels per photo pixel before the print is visibly soft (an upscale of 1/x). */
  readonly minScale: number;
  /** Share of the photo's width the face may sit off the middle. */
  readonly maxOffCentre: number;
  /** Share of the photo's area that may come from outside the still (filled with the background). */
  readonly maxOutside: number;
}

export const DEFAULT_GEOMETRY_LIMITS: GeometryLimits = { minScale: 0.4, maxOffCentre: 0.03, maxOutside: 0.01 };

export interface CropPlan {
  /** Photo pixel centre (x + 0.5, y + 0.5) -> still position, continuous coordinates. */
  readonly toStill: Affine;
  /** Still pixels per photo pixel. */
  readonly scale: number;
  readonly issues: readonly PhotoIssue[];
}

const dot = (a: Point, b: Point): number => a.x * b.x + a.y * b.y;
const sub = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y });

function outsideShare(toStill: Affine, width: number, height: number, frame: FaceFindings['frame']): number {
  const [a, b, c, d, e, f] = toStill;
  const step = 4;
  let outside = 0;
  let total = 0;
  for (let y = step / 2; y < height; y += step) {
    for (let x = step / 2; x < width; x += step) {
      const sx = a * x + b * y + c;
      const sy = d * x + e * y + f;
      total += 1;
      if (sx < 0 || sy < 0 || sx > frame.width || sy > frame.height) outside += 1;
    }
  }
  return outside / total;
}

export function planCrop(face: FaceFindings, spec: PhotoSpec, limits: GeometryLimits = DEFAULT_GEOMETRY_LIMITS): CropPlan {
  const { width: W, height: H } = spec;
  const angle = Math.atan2(face.leftEye.y - face.rightEye.y, face.leftEye.x - face.rightEye.x);
  const u = { x: Math.cos(angle), y: Math.sin(angle) };
  const v = { x: -u.y, y: u.x };
  const eyes = { x: (face.rightEye.x + face.leftEye.x) / 2, y: (face.rightEye.y + face.leftEye.y) / 2 };
  const eyeToChin = dot(sub(face.chin, eyes), v);
  const head = HEAD_PER_EYE_CHIN * eyeToChin;
  const faceWidth = dot(sub(face.leftEdge, face.rightEdge), u);
  const scale = spec.head.kind === 'height' ? head / (spec.head.ratio * H) : faceWidth / spec.head.px;
  // The face's middle across, between its edges; the head top above the eyes.
  const across = dot(sub({ x: (face.rightEdge.x + face.leftEdge.x) / 2, y: (face.rightEdge.y + face.leftEdge.y) / 2 }, eyes), u);
  const top = { x: eyes.x + across * u.x - (head - eyeToChin) * v.x, y: eyes.y + across * u.y - (head - eyeToChin) * v.y };
  let topY = spec.top * H;
  if (spec.maxEyeLine !== undefined) {
    // The eye line has priority over the hair (GA/T 461): tall hair is cut rather than the eyes set low.
    const eyeY = topY + (head - eyeToChin) / scale;
    topY -= Math.max(0, eyeY - spec.maxEyeLine * H);
  }
  // Photo (X, Y) -> top + scale ((X - W/2) u + (Y - topY) v).
  const a = scale * u.x;
  const b = scale * v.x;
  const d = scale * u.y;
  const e = scale * v.y;
  let c = top.x - a * (W / 2) - b * topY;
  const f = top.y - d * (W / 2) - e * topY;
  const issues: PhotoIssue[] = [];
  // Sideways past the still's edge: slide the cut back in when it fits, leaving the face off the middle.
  const xs = [0, W].flatMap((x) => [0, H].map((y) => a * x + b * y + c));
  const left = Math.min(...xs);
  const right = Math.max(...xs);
  if (right - left <= face.frame.width) {
    const shift = left < 0 ? -left : right > face.frame.width ? face.frame.width - right : 0;
    c += shift;
    if (Math.abs(shift) / scale > limits.maxOffCentre * W) issues.push('offCentre');
  }
  if (scale < limits.minScale) issues.push('headTooSmall');
  const toStill: Affine = [a, b, c, d, e, f];
  if (outsideShare(toStill, W, H, face.frame) > limits.maxOutside) issues.push('headTooLarge');
  return { toStill, scale, issues };
}

/** Whether a still position falls inside the photo the plan cuts. */
export function insideCut(plan: CropPlan, spec: PhotoSpec, p: Point): boolean {
  const [a, b, c, d, e, f] = plan.toStill;
  const det = a * e - b * d;
  const x = (e * (p.x - c) - b * (p.y - f)) / det;
  const y = (a * (p.y - f) - d * (p.x - c)) / det;
  return x >= 0 && y >= 0 && x <= spec.width && y <= spec.height;
}
