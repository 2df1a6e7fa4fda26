// What the 468 landmarks say about the pose and the eyes: yaw and pitch from where the nose sits
// between the face's edges, and the eye aspect ratio (Soukupová and Čech, 2016) for blinks.
import { eyeOpenness, type Eyes } from './eyes';
import { meshPoint, type FaceMesh } from './landmarks';

/** FaceMesh indices. "Right" is the subject's right, which the camera shows on the left. */
const NOSE_TIP = 1;
const RIGHT_EDGE = 234;
const LEFT_EDGE = 454;
const FOREHEAD = 10;
const CHIN = 152;
/** p1..p6 of the eye aspect ratio: outer corner, two upper lid points, inner corner, two lower lid points. */
const RIGHT_EYE = [33, 160, 158, 133, 153, 144] as const;
const LEFT_EYE = [263, 387, 385, 362, 380, 373] as const;

export interface FacePose {
  /** Degrees; positive when the subject turns to their own left. */
  readonly yaw: number;
  /** Degrees; positive when the subject looks up. */
  readonly pitch: number;
  /** Degrees; the eye line's tilt in the picture. */
  readonly roll: number;
  /** Openness of each eye (lid gap over eye width): about 0.25-0.4 open, under about 0.15 closed. */
  readonly rightEye: number;
  readonly leftEye: number;
  /** Distance between the eye centres, in frame pixels: the face's scale. */
  readonly eyeDistance: number;
}

const dist = (mesh: FaceMesh, i: number, j: number): number => {
  const a = meshPoint(mesh, i);
  const b = meshPoint(mesh, j);
  return Math.hypot(a.x - b.x, a.y - b.y);
};

function eyeAspectRatio(mesh: FaceMesh, eye: readonly [number, number, number, number, number, number]): number {
  const [p1, p2, p3, p4, p5, p6] = eye;
  const width = dist(mesh, p1, p4);
  return width > 0 ? (dist(mesh, p2, p6) + dist(mesh, p3, p5)) / (2 * width) : 0;
}

/** Where `p` falls along a -> b, 0 at a and 1 at b. */
function along(mesh: FaceMesh, a: number, b: number, p: number): number {
  const pa = meshPoint(mesh, a);
  const pb = meshPoint(mesh, b);
  const pp = meshPoint(mesh, p);
  const dx = pb.x - pa.x;
  const dy = pb.y - pa.y;
  const length2 = dx * dx + dy * dy;
  return length2 > 0 ? ((pp.x - pa.x) * dx + (pp.y - pa.y) * dy) / length2 : 0.5;
}

const degrees = (ratio: number): number => (Math.asin(Math.max(-1, Math.min(1, ratio))) * 180) / Math.PI;

/** Nose-tip position at rest along forehead -> chin, as FaceMesh places it on a level face. */
const PITCH_REST = 0.55;

/** With the Iris model's eyes the openness comes from their refined lids; else from the mesh. */
export function facePose(mesh: FaceMesh, eyes?: Eyes): FacePose {
  // A head turned by t moves the nose off the middle of the face's edges by about sin(t) of half the width.
  const yaw = degrees(2 * along(mesh, RIGHT_EDGE, LEFT_EDGE, NOSE_TIP) - 1);
  const pitch = degrees(2 * (PITCH_REST - along(mesh, FOREHEAD, CHIN, NOSE_TIP)));
  const right = meshPoint(mesh, RIGHT_EYE[0]);
  const rightInner = meshPoint(mesh, RIGHT_EYE[3]);
  const left = meshPoint(mesh, LEFT_EYE[0]);
  const leftInner = meshPoint(mesh, LEFT_EYE[3]);
  const rc = { x: (right.x + rightInner.x) / 2, y: (right.y + rightInner.y) / 2 };
  const lc = { x: (left.x + leftInner.x) / 2, y: (left.y + leftInner.y) / 2 };
  return {
    yaw,
    pitch,
    roll: (Math.atan2(lc.y - rc.y, lc.x - rc.x) * 180) / Math.PI,
    rightEye: eyes ? eyeOpenness(eyes.right) : eyeAspectRatio(mesh, RIGHT_EYE),
    leftEye: eyes ? eyeOpenness(eyes.left) : eyeAspectRatio(mesh, LEFT_EYE),
    eyeDistance: Math.hypot(lc.x - rc.x, lc.y - rc.y),
  };
}
