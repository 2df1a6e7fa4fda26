// Alignment to dlib's face chip: the recognizer was trained on 150x150 chips made by a 5-point
// similarity transform to dlib's mean face with padding 0.25, so the chip must be made exactly so.
import { invert, type Affine, type Point } from './image';
import { meshPoint, type FaceMesh } from './landmarks';

export const CHIP_SIZE = 150;
const PADDING = 0.25;

/** dlib's 5-point mean face (get_face_chip_details): eye corners of the subject's left, right, then the nose base. */
const TEMPLATE: readonly Point[] = [
  { x: 0.8595674595992, y: 0.2134981538014 },
  { x: 0.6460604764104, y: 0.2289674387677 },
  { x: 0.1205750620789, y: 0.2137274526848 },
  { x: 0.3340850613712, y: 0.2290642403242 },
  { x: 0.4901123135679, y: 0.6277975316475 },
];

/** The same five points in FaceMesh's numbering: left eye outer, inner; right eye outer, inner; nose base. */
export const MESH_FIVE_POINTS = [263, 362, 33, 133, 2] as const;

export const CHIP_POINTS: readonly Point[] = TEMPLATE.map((p) => ({
  x: ((PADDING + p.x) / (2 * PADDING + 1)) * CHIP_SIZE,
  y: ((PADDING + p.y) / (2 * PADDING + 1)) * CHIP_SIZE,
}));

/**
 * The least-squares similarity (rotation, uniform scale, translation) taking `from` onto `to`,
 * as an affine map. Closed form in two dimensions; no reflection.
 */
export function similarity(from: readonly Point[], to: readonly Point[]): Affine {
  const n = from.length;
  let fx = 0;
  let fy = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i += 1) {
    fx += from[i]!.x / n;
    fy += from[i]!.y / n;
    tx += to[i]!.x / n;
    ty += to[i]!.y / n;
  }
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i += 1) {
    const ax = from[i]!.x - fx;
    const ay = from[i]!.y - fy;
    const bx = to[i]!.x - tx;
    const by = to[i]!.y - ty;
    dot += ax * bx + ay * by;
    cross += ax * by - ay * bx;
    norm += ax * ax + ay * ay;
  }
  const a = norm > 0 ? dot / norm : 1;
  const b = norm > 0 ? cross / norm : 0;
  return [a, -b, tx - a * fx + b * fy, b, a, ty - b * fx - a * fy];
}

/**
 * Chip -> frame map for a face, in pixel-index coordinates on both sides (the mesh is in continuous
 * coordinates, where pixel i spans [i, i + 1)).
 */
export function chipTransform(mesh: FaceMesh): Affine {
  const from = MESH_FIVE_POINTS.map((index) => {
    const p = meshPoint(mesh, index);
    return { x: p.x - 0.5, y: p.y - 0.5 };
  });
  // As dlib does: fit frame -> chip, then sample through the inverse.
  return invert(similarity(from, CHIP_POINTS));
}
