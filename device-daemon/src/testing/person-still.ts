// A face-camera still of a person for the ID photo tests: an evaluation face (a tight crop) given
// hair, a neck and shoulders in front of a wall. A face floating on a wall, as the camera scene draws
// it for the face check, is not a person to a segmentation model; this silhouette is.
import sharp from 'sharp';
import { drawFace } from '../devices/camera/scene/face-synth';
import type { RgbImage } from '../face/image';

export interface PersonPlacement {
  readonly width: number;
  readonly height: number;
  /** The face picture's width in the still. */
  readonly faceWidth: number;
  /** The face's centre; the middle across and 0.42 down when absent. */
  readonly x?: number;
  readonly y?: number;
}

type Colour = readonly [number, number, number];

function paint(frame: RgbImage, coverage: (x: number, y: number) => number, colour: Colour): void {
  for (let y = 0; y < frame.height; y += 1) {
    for (let x = 0; x < frame.width; x += 1) {
      const a = coverage(x + 0.5, y + 0.5);
      if (a <= 0) continue;
      const i = (y * frame.width + x) * 3;
      for (let c = 0; c < 3; c += 1) frame.data[i + c] = Math.round(frame.data[i + c]! * (1 - a) + colour[c]! * a);
    }
  }
}

/** Coverage of a pixel whose centre is `d` pixels outside a shape's edge (negative inside). */
const edge = (d: number): number => Math.max(0, Math.min(1, 0.5 - d));

export function personStill(face: RgbImage, placement: PersonPlacement): RgbImage {
  const { width, height } = placement;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    const shade = 205 - (y / height) * 35;
    for (let x = 0; x < width; x += 1) data.set([shade, shade - 6, shade - 14], (y * width + x) * 3);
  }
  const frame = { width, height, data };
  const fw = placement.faceWidth;
  const fh = (fw * face.height) / face.width;
  const cx = placement.x ?? width / 2;
  const cy = placement.y ?? height * 0.42;
  const chin = cy + fh * 0.45;
  const hairX = fw * 0.62;
  const hairY = fh * 0.66;
  const hairCentre = cy - fh * 0.12;
  paint(frame, (x, y) => edge((Math.hypot((x - cx) / hairX, (y - hairCentre) / hairY) - 1) * Math.min(hairX, hairY)), [45, 42, 40]);
  paint(frame, (x, y) => (y > cy && y < chin + fh * 0.45 ? edge(Math.abs(x - cx) - fw * 0.24) : 0), [150, 140, 132]);
  // Shoulders: from the neck's base outwards, rounded.
  const top = chin + fh * 0.25;
  const drop = fh * 0.45;
  paint(
    frame,
    (x, y) => {
      if (y < top) return 0;
      const half = fw * 0.3 + fw * 1.05 * Math.sqrt(Math.min(1, (y - top) / drop));
      return edge(Math.abs(x - cx) - half) * Math.min(1, y - top + 0.5);
    },
    [55, 60, 80],
  );
  drawFace(frame, { image: face }, { x: cx, y: cy, width: fw }, 0);
  return frame;
}

/** JPEG as the camera sends it. */
export function toJpeg(image: RgbImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}
