// Synthesised camera pictures of a fixture face: the face turned about a vertical axis (the picture
// wrapped on a cylinder and rotated, so the nose moves towards one side while the far cheek narrows,
// as a real head turn looks), and eyes closed by painting eyelids of the skin's own tone.
import type { Point, RgbImage } from '../../../face/image';

export interface EyeSpot {
  /** Eye centre and width (corner to corner), in the face picture's pixels. */
  readonly centre: Point;
  readonly width: number;
}

export interface FacePicture {
  readonly image: RgbImage;
  /** Where the eyes are in the picture, when known: blinks need them. */
  readonly eyes?: readonly [EyeSpot, EyeSpot];
  /** The nose tip, when known: the head turns about it and it stands out from the face. */
  readonly nose?: Point;
}

export interface Placement {
  /** Centre of the face in the frame, and its width there. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

export interface FacePose {
  /** Degrees; positive turns the subject to their own left (the nose moves to the picture's right). */
  readonly yaw: number;
  /** 0 open to 1 closed. */
  readonly eyesClosed: number;
}

/**
 * Closes the eyes in a copy of the face picture: in each column across an eye, the upper lid's skin
 * is stretched down over the opening to the lower lid, and a lash line is drawn where they meet. The
 * texture stays the face's own, as a closed eye looks.
 */
export function closeEyes(face: FacePicture, closed: number): RgbImage {
  const { image } = face;
  if (!face.eyes || closed <= 0) return image;
  const data = Uint8Array.from(image.data);
  const { width, height } = image;
  const at = (x: number, y: number, c: number): number => {
    const xi = Math.max(0, Math.min(width - 1, x));
    const y0 = Math.max(0, Math.min(height - 1, Math.floor(y)));
    const y1 = Math.min(height - 1, y0 + 1);
    const f = Math.max(0, Math.min(1, y - y0));
    return image.data[(y0 * width + xi) * 3 + c]! * (1 - f) + image.data[(y1 * width + xi) * 3 + c]! * f;
  };
  for (const eye of face.eyes) {
    const rx = eye.width * 0.6;
    const ry = eye.width * 0.3;
    const top = eye.centre.y - ry * 2.6;
    for (let x = Math.floor(eye.centre.x - rx); x <= Math.ceil(eye.centre.x + rx); x += 1) {
      if (x < 0 || x >= width) continue;
      const ex = (x + 0.5 - eye.centre.x) / rx;
      if (Math.abs(ex) >= 1) continue;
      const half = ry * Math.sqrt(1 - ex * ex);
      // Where the lids meet: a little below the centre, as a closed eye's lash line sits.
      const bottom = eye.centre.y + half * 0.45;
      const upperEdge = eye.centre.y - half;
      const sourceEnd = bottom + (upperEdge - bottom) * closed;
      const k = (sourceEnd - top) / (bottom - top);
      const weight = Math.min(1, (1 - Math.abs(ex)) * 4);
      for (let y = Math.max(0, Math.floor(top)); y <= Math.min(height - 1, Math.ceil(bottom)); y += 1) {
        const sy = top + (y + 0.5 - top) * k - 0.5;
        const lash = closed > 0.6 && Math.abs(y + 0.5 - bottom) < Math.max(0.8, eye.width * 0.05) ? 0.55 : 1;
        const i = (y * width + x) * 3;
        for (let c = 0; c < 3; c += 1) data[i + c] = Math.round((data[i + c]! * (1 - weight) + at(x, sy, c) * weight) * lash);
      }
    }
  }
  return { width, height, data };
}

/** Half the angle of the head's cylinder that the face picture covers: a face spans about 110 degrees of a head. */
const SPAN = (55 * Math.PI) / 180;
/** How far the nose stands out from the cylinder, as a share of its radius, and how wide the bump is. */
const NOSE_HEIGHT = 0.3;
const NOSE_ANGLE = (14 * Math.PI) / 180;
const NOSE_SPREAD = 0.11;

/**
 * Draws the face into `frame` (RGB, frame-sized) at `placement`, turned by `yaw`. The picture is
 * wrapped on a vertical cylinder through the nose (covering about +-55 degrees of it) with the nose
 * standing out as a bump, and the cylinder is turned: the nose swings further than the cheeks and the
 * far cheek narrows, as a head turn looks to a camera. The picture's border fades into the frame's
 * background so no square edge is left for a detector to see.
 */
export function drawFace(frame: RgbImage, picture: FacePicture, placement: Placement, yaw: number): void {
  const face = picture.image;
  const scale = placement.width / face.width;
  const height = face.height * scale;
  const radius = placement.width / 2 / Math.sin(SPAN);
  const theta = (yaw * Math.PI) / 180;
  // The turning axis, as a share of the picture's width, and the nose's height in it.
  const axis = picture.nose ? picture.nose.x / face.width : 0.5;
  const noseV = picture.nose ? picture.nose.y / face.height : 0.55;
  const top = placement.y - height / 2;
  const fade = 0.14;
  const stride = face.width * 3;
  const reach = radius * (1 + NOSE_HEIGHT);
  for (let y = Math.max(0, Math.floor(top)); y < Math.min(frame.height, Math.ceil(top + height)); y += 1) {
    const v = (y + 0.5 - top) / height;
    if (v < 0 || v >= 1) continue;
    const rowBump = NOSE_HEIGHT * Math.exp(-(((v - noseV) / NOSE_SPREAD) ** 2));
    for (let x = Math.max(0, Math.floor(placement.x - reach)); x < Math.min(frame.width, Math.ceil(placement.x + reach)); x += 1) {
      const u = (x + 0.5 - placement.x) / radius;
      // Solve u = (1 + bump(phi)) sin(phi + theta) for the surface angle phi; a few steps converge.
      let phi = 0;
      let seen = true;
      for (let k = 0; k < 4; k += 1) {
        const r = 1 + rowBump * Math.exp(-((phi / NOSE_ANGLE) ** 2));
        const s = u / r;
        if (s <= -1 || s >= 1) {
          seen = false;
          break;
        }
        phi = Math.asin(s) - theta;
      }
      if (!seen || phi <= -Math.PI / 2 || phi >= Math.PI / 2) continue;
      const p = axis + Math.sin(phi) / (2 * Math.sin(SPAN));
      if (p < 0 || p >= 1) continue;
      const sx = p * face.width - 0.5;
      const sy = v * face.height - 0.5;
      const x0 = Math.max(0, Math.min(face.width - 2, Math.floor(sx)));
      const y0 = Math.max(0, Math.min(face.height - 2, Math.floor(sy)));
      const fx = Math.max(0, Math.min(1, sx - x0));
      const fy = Math.max(0, Math.min(1, sy - y0));
      const alpha = Math.min(1, Math.min(p, 1 - p, v, 1 - v) / fade);
      const i = (y0 * face.width + x0) * 3;
      const o = (y * frame.width + x) * 3;
      for (let c = 0; c < 3; c += 1) {
        const upper = face.data[i + c]! * (1 - fx) + face.data[i + 3 + c]! * fx;
        const lower = face.data[i + stride + c]! * (1 - fx) + face.data[i + stride + 3 + c]! * fx;
        const value = upper * (1 - fy) + lower * fy;
        frame.data[o + c] = Math.round(frame.data[o + c]! * (1 - alpha) + value * alpha);
      }
    }
  }
}
