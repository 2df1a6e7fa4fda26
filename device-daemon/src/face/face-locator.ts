// Where the eyes and the nose are in a face picture, in the picture's own pixels: what the simulated
// camera needs to make a fixture face blink and turn.
import { err, ok, type Result } from '../core/result';
import type { EyeSpot } from '../devices/camera/scene/face-synth';
import type { FaceAnalyzer } from './face-analyzer';
import type { Point, RgbImage } from './image';
import { meshPoint } from './landmarks';

export async function locateFace(analyzer: FaceAnalyzer, image: RgbImage): Promise<Result<{ eyes: [EyeSpot, EyeSpot]; nose: Point }, string>> {
  const analysis = await analyzer.analyse(image, { tightCrop: true });
  const face = analysis.faces[0];
  if (!face) return err('no face in the picture');
  const { x: ox, y: oy } = analysis.offset;
  const at = (i: number): Point => {
    const p = meshPoint(face.mesh, i);
    return { x: p.x - ox, y: p.y - oy };
  };
  const eye = (outer: number, inner: number): EyeSpot => {
    const a = at(outer);
    const b = at(inner);
    return { centre: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, width: Math.hypot(a.x - b.x, a.y - b.y) };
  };
  return ok({ eyes: [eye(33, 133), eye(263, 362)], nose: at(1) });
}
