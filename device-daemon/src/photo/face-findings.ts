// What a photo needs to know of the face in a still, measured once and kept with the photo so that
// another size or background does not run the face models again: where the eyes, chin and face edges
// are, the pose and eyes, the light on the face, and any other faces. Numbers only: no picture.
import { err, ok, type Result } from '../core/result';
import type { FaceAnalyzer } from '../face/face-analyzer';
import type { Box } from '../face/detector';
import { warpToTensor, type Point, type RgbImage } from '../face/image';
import { meshPoint, type FaceMesh } from '../face/landmarks';
import { DEFAULT_QUALITY, faceLuma } from '../face/quality';

/** FaceMesh indices; "right" is the subject's right, on the picture's left. */
const MESH = { rightEyeOuter: 33, rightEyeInner: 133, leftEyeOuter: 263, leftEyeInner: 362, chin: 152, rightEdge: 234, leftEdge: 454, rightCheek: 205, leftCheek: 425 } as const;

export interface FaceFindings {
  readonly frame: { readonly width: number; readonly height: number };
  /** Eye centres (corner midpoints), in continuous frame coordinates (pixel i spans i..i+1). */
  readonly rightEye: Point;
  readonly leftEye: Point;
  readonly chin: Point;
  /** The face's outline at the cheekbones, each side. */
  readonly rightEdge: Point;
  readonly leftEdge: Point;
  readonly yaw: number;
  readonly pitch: number;
  /** Openness of the less open eye (Iris lids). */
  readonly eyeOpen: number;
  /** Mean luma of the inner face (0-255), and its Laplacian variance at a fixed scale. */
  readonly brightness: number;
  readonly sharpness: number;
  /** Difference of the two cheeks' luma over the brighter one: 0 evenly lit, 1 one side black. */
  readonly lightingImbalance: number;
  /** Smaller faces elsewhere in the still (someone behind): an issue only if the crop shows them. */
  readonly otherFaces: readonly Box[];
}

export type FindingsFailure = { readonly code: 'noFace' } | { readonly code: 'multipleFaces'; readonly faces: number };

const CHEEK_PATCH = 12;

function cheekLuma(image: RgbImage, mesh: FaceMesh, index: number, side: number): number {
  const p = meshPoint(mesh, index);
  const s = side / CHEEK_PATCH;
  const rgb = warpToTensor(image, [s, 0, p.x - side / 2 + s / 2 - 0.5, 0, s, p.y - side / 2 + s / 2 - 0.5], CHEEK_PATCH, CHEEK_PATCH);
  let sum = 0;
  for (let i = 0; i < rgb.length; i += 3) sum += 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
  rgb.fill(0);
  return sum / (CHEEK_PATCH * CHEEK_PATCH);
}

export async function findFace(analyzer: FaceAnalyzer, image: RgbImage): Promise<Result<FaceFindings, FindingsFailure>> {
  const analysis = await analyzer.analyse(image, { maxMeshes: 1, eyes: true });
  const face = analysis.faces[0];
  if (!face) return err({ code: 'noFace' });
  const area = (b: Box): number => b.width * b.height;
  const others = analysis.detections.filter((d) => d !== face.detection);
  // As the face check: a second face at least half as wide is another person in front.
  const rivals = others.filter((d) => area(d.box) >= area(face.detection.box) * DEFAULT_QUALITY.otherFaceRatio ** 2);
  if (rivals.length > 0) return err({ code: 'multipleFaces', faces: rivals.length + 1 });
  const { mesh, pose } = face;
  const at = (i: number): Point => {
    const p = meshPoint(mesh, i);
    return { x: p.x, y: p.y };
  };
  const mid = (i: number, j: number): Point => {
    const a = at(i);
    const b = at(j);
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  };
  const { brightness, sharpness } = faceLuma(image, face);
  const patch = pose.eyeDistance * 0.35;
  const right = cheekLuma(image, mesh, MESH.rightCheek, patch);
  const left = cheekLuma(image, mesh, MESH.leftCheek, patch);
  return ok({
    frame: { width: image.width, height: image.height },
    rightEye: mid(MESH.rightEyeOuter, MESH.rightEyeInner),
    leftEye: mid(MESH.leftEyeOuter, MESH.leftEyeInner),
    chin: at(MESH.chin),
    rightEdge: at(MESH.rightEdge),
    leftEdge: at(MESH.leftEdge),
    yaw: pose.yaw,
    pitch: pose.pitch,
    eyeOpen: Math.min(pose.leftEye, pose.rightEye),
    brightness,
    sharpness,
    lightingImbalance: Math.abs(left - right) / Math.max(1, left, right),
    otherFaces: others.map((d) => d.box),
  });
}
