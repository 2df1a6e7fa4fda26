// Pictures as the face pipeline handles them: 8-bit RGB in memory, decoded by sharp, resampled by
// affine warps in plain loops (exactly what is needed, nothing allocated twice). Face pictures live
// only here, in memory; whoever holds one wipes it when done (`wipe`).
import { err, ok, type Result } from '../core/result';

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Top-down rows of RGB triplets. */
  readonly data: Uint8Array;
}

/** dest -> source: [a, b, c, d, e, f] maps (x, y) to (a x + b y + c, d x + e y + f). */
export type Affine = readonly [number, number, number, number, number, number];

export interface Point {
  readonly x: number;
  readonly y: number;
}

export async function decodeImage(bytes: Uint8Array): Promise<Result<RgbImage, string>> {
  try {
    const { default: sharp } = await import('sharp');
    const { data, info } = await sharp(bytes, { failOn: 'error' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) return err(`image has ${info.channels} channels`);
    return ok({ width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  } catch (cause) {
    return err(`not an image: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export function wipe(image: RgbImage | undefined): void {
  image?.data.fill(0);
}

/**
 * Samples `width` x `height` pixels through `toSource` (bilinear; outside the picture is black) into
 * floats 0-255, NHWC, ready for a model.
 */
export function warpToTensor(image: RgbImage, toSource: Affine, width: number, height: number, out = new Float32Array(width * height * 3)): Float32Array {
  const [a, b, c, d, e, f] = toSource;
  const { width: w, height: h, data } = image;
  const stride = w * 3;
  let o = 0;
  for (let y = 0; y < height; y += 1) {
    let sx = b * y + c;
    let sy = e * y + f;
    for (let x = 0; x < width; x += 1, sx += a, sy += d, o += 3) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
        // Inside: the four neighbours exist, no bounds checks.
        const i = y0 * stride + x0 * 3;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        out[o] = data[i]! * w00 + data[i + 3]! * w10 + data[i + stride]! * w01 + data[i + stride + 3]! * w11;
        out[o + 1] = data[i + 1]! * w00 + data[i + 4]! * w10 + data[i + stride + 1]! * w01 + data[i + stride + 4]! * w11;
        out[o + 2] = data[i + 2]! * w00 + data[i + 5]! * w10 + data[i + stride + 2]! * w01 + data[i + stride + 5]! * w11;
        continue;
      }
      for (let ch = 0; ch < 3; ch += 1) {
        const p = (xx: number, yy: number): number => (xx < 0 || yy < 0 || xx >= w || yy >= h ? 0 : data[yy * stride + xx * 3 + ch]!);
        const top = p(x0, y0) * (1 - fx) + p(x0 + 1, y0) * fx;
        const bottom = p(x0, y0 + 1) * (1 - fx) + p(x0 + 1, y0 + 1) * fx;
        out[o + ch] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

/**
 * The picture shrunk by an integer factor, each output pixel the mean of a factor x factor block:
 * bilinear sampling alone aliases when a frame is reduced several times for the detector.
 */
export function shrink(image: RgbImage, factor: number): RgbImage {
  if (factor <= 1) return image;
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const out = new Uint8Array(width * height * 3);
  const sums = new Uint32Array(width * 3);
  const stride = image.width * 3;
  const area = factor * factor;
  const { data } = image;
  for (let y = 0; y < height; y += 1) {
    sums.fill(0);
    for (let dy = 0; dy < factor; dy += 1) {
      const row = (y * factor + dy) * stride;
      for (let x = 0; x < width; x += 1) {
        let i = row + x * factor * 3;
        for (let dx = 0; dx < factor; dx += 1, i += 3) {
          sums[x * 3]! += data[i]!;
          sums[x * 3 + 1]! += data[i + 1]!;
          sums[x * 3 + 2]! += data[i + 2]!;
        }
      }
    }
    const base = y * width * 3;
    for (let k = 0; k < width * 3; k += 1) out[base + k] = Math.round(sums[k]! / area);
  }
  return { width, height, data: out };
}

/** The inverse of an affine map. */
export function invert(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}

export function apply(m: Affine, p: Point): Point {
  return { x: m[0] * p.x + m[1] * p.y + m[2], y: m[3] * p.x + m[4] * p.y + m[5] };
}

/**
 * A square of `side` source pixels centred on `centre`, turned by `angle` (radians), to a
 * `size` x `size` output: returns the output -> source map.
 */
export function squareCrop(centre: Point, side: number, angle: number, size: number): Affine {
  const s = side / size;
  const cos = Math.cos(angle) * s;
  const sin = Math.sin(angle) * s;
  // Output (x, y) relative to its centre, rotated and scaled, then moved to the source centre.
  const half = size / 2;
  return [cos, -sin, centre.x - cos * half + sin * half, sin, cos, centre.y - sin * half - cos * half];
}

/** The picture padded onto a larger black canvas, centred: for tight crops a detector needs room around. */
export function pad(image: RgbImage, factor: number): { image: RgbImage; offset: Point } {
  const width = Math.round(image.width * factor);
  const height = Math.round(image.height * factor);
  const ox = Math.floor((width - image.width) / 2);
  const oy = Math.floor((height - image.height) / 2);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < image.height; y += 1) data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), ((y + oy) * width + ox) * 3);
  return { image: { width, height, data }, offset: { x: ox, y: oy } };
}

/** Mean luma (BT.601) over a box, and the variance of its Laplacian (a sharpness measure). */
export function lumaStats(image: RgbImage, box: { x: number; y: number; width: number; height: number }): { mean: number; sharpness: number } {
  const x0 = Math.max(1, Math.floor(box.x));
  const y0 = Math.max(1, Math.floor(box.y));
  const x1 = Math.min(image.width - 1, Math.ceil(box.x + box.width));
  const y1 = Math.min(image.height - 1, Math.ceil(box.y + box.height));
  const luma = (x: number, y: number): number => {
    const i = (y * image.width + x) * 3;
    return 0.299 * (image.data[i] ?? 0) + 0.587 * (image.data[i + 1] ?? 0) + 0.114 * (image.data[i + 2] ?? 0);
  };
  let sum = 0;
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = y0; y < y1; y += 1) {
    for (let x = x0; x < x1; x += 1) {
      const l = luma(x, y);
      sum += l;
      const lap = luma(x - 1, y) + luma(x + 1, y) + luma(x, y - 1) + luma(x, y + 1) - 4 * l;
      lapSum += lap;
      lapSq += lap * lap;
      n += 1;
    }
  }
  if (n === 0) return { mean: 0, sharpness: 0 };
  const lapMean = lapSum / n;
  return { mean: sum / n, sharpness: lapSq / n - lapMean * lapMean };
}
