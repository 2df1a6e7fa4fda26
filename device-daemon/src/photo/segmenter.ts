// MediaPipe selfie segmentation (models/selfie.onnx, 256x256 RGB 0-255 in, person probability out):
// which pixels of a crop are the person, so the background can be replaced. The crop is given as an
// output -> source map; the model sees a square around it, so faces are not squashed.
import type { ModelRunner } from '../face/model-loader';
import { warpToTensor, type Affine, type RgbImage } from '../face/image';

export const SEGMENTER_SIZE = 256;

export interface PersonMask {
  readonly width: number;
  readonly height: number;
  /** Person probability 0-1 per output pixel, row by row. */
  readonly alpha: Float32Array;
}

export class Segmenter {
  readonly #input = new Float32Array(SEGMENTER_SIZE * SEGMENTER_SIZE * 3);

  constructor(private readonly session: ModelRunner) {}

  /**
   * The person mask of a `width` x `height` crop whose output -> source map (pixel centres) is
   * `crop`. Pixels the crop takes from outside the picture are never the person.
   */
  async mask(image: RgbImage, crop: Affine, width: number, height: number): Promise<PersonMask> {
    // The square the model sees: the crop's longer side, centred on the crop, in output pixels.
    const side = Math.max(width, height);
    const x0 = (width - side) / 2;
    const y0 = (height - side) / 2;
    const k = side / SEGMENTER_SIZE;
    const [a, b, c, d, e, f] = crop;
    // Model pixel (u, v) centre -> output (x0 + (u + 0.5) k - 0.5, ...) -> source.
    const ox = x0 + 0.5 * k - 0.5;
    const oy = y0 + 0.5 * k - 0.5;
    const toSource: Affine = [a * k, b * k, a * ox + b * oy + c, d * k, e * k, d * ox + e * oy + f];
    warpToTensor(image, toSource, SEGMENTER_SIZE, SEGMENTER_SIZE, this.#input);
    const { Tensor } = await import('onnxruntime-node');
    const outputs = await this.session.run({ input_1: new Tensor('float32', this.#input, [1, SEGMENTER_SIZE, SEGMENTER_SIZE, 3]) });
    this.#input.fill(0);
    const probability = outputs['mask']?.data;
    if (!(probability instanceof Float32Array) || probability.length !== SEGMENTER_SIZE * SEGMENTER_SIZE) throw new Error('selfie model output is not a 256x256 float32 mask');
    const alpha = new Float32Array(width * height);
    const n = SEGMENTER_SIZE;
    for (let y = 0; y < height; y += 1) {
      // Output pixel centre -> model pixel coordinates (bilinear, edges clamped).
      const v = Math.min(n - 1, Math.max(0, (y + 0.5 - y0) / k - 0.5));
      const v0 = Math.min(n - 2, Math.floor(v));
      const fv = v - v0;
      for (let x = 0; x < width; x += 1) {
        const u = Math.min(n - 1, Math.max(0, (x + 0.5 - x0) / k - 0.5));
        const u0 = Math.min(n - 2, Math.floor(u));
        const fu = u - u0;
        const i = v0 * n + u0;
        const top = probability[i]! * (1 - fu) + probability[i + 1]! * fu;
        const bottom = probability[i + n]! * (1 - fu) + probability[i + n + 1]! * fu;
        alpha[y * width + x] = top * (1 - fv) + bottom * fv;
      }
    }
    // Outside the picture there is nobody, whatever the model made of the black there.
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const sx = a * x + b * y + c;
        const sy = d * x + e * y + f;
        if (sx < -0.5 || sy < -0.5 || sx > image.width - 0.5 || sy > image.height - 0.5) alpha[y * width + x] = 0;
      }
    }
    return { width, height, alpha };
  }
}
