// The dlib ResNet-29 face descriptor: a 128-d vector per aligned chip; two faces are the same person
// when their Euclidean distance is below the threshold (dlib's own: 0.6).
import { CHIP_SIZE } from './align';
import { warpToTensor, type Affine, type RgbImage } from './image';
import type { ModelRunner } from './model-loader';

export const DESCRIPTOR_LENGTH = 128;
const CHIP_VALUES = CHIP_SIZE * CHIP_SIZE * 3;

export class Recognizer {
  readonly #input = new Float32Array(CHIP_VALUES * 2);

  constructor(private readonly session: ModelRunner) {}

  /** The chip and its mirror image: averaging both descriptors steadies the result cheaply. */
  prepare(image: RgbImage, chipToFrame: Affine): Float32Array {
    const chip = this.#input.subarray(0, CHIP_VALUES);
    warpToTensor(image, chipToFrame, CHIP_SIZE, CHIP_SIZE, chip);
    const mirror = this.#input.subarray(CHIP_VALUES);
    for (let y = 0; y < CHIP_SIZE; y += 1) {
      for (let x = 0; x < CHIP_SIZE; x += 1) {
        const s = (y * CHIP_SIZE + x) * 3;
        const d = (y * CHIP_SIZE + (CHIP_SIZE - 1 - x)) * 3;
        mirror[d] = chip[s]!;
        mirror[d + 1] = chip[s + 1]!;
        mirror[d + 2] = chip[s + 2]!;
      }
    }
    return this.#input;
  }

  async run(input: Float32Array): Promise<Float32Array> {
    const { Tensor } = await import('onnxruntime-node');
    const outputs = await this.session.run({ input: new Tensor('float32', input, [input.length / CHIP_VALUES, CHIP_SIZE, CHIP_SIZE, 3]) });
    const data = outputs['descriptor']?.data;
    if (!(data instanceof Float32Array)) throw new Error('recognizer output is not a float32 descriptor');
    return data;
  }

  async descriptor(image: RgbImage, chipToFrame: Affine): Promise<Float32Array> {
    const input = this.prepare(image, chipToFrame);
    const both = await this.run(input);
    input.fill(0);
    const out = new Float32Array(DESCRIPTOR_LENGTH);
    for (let i = 0; i < DESCRIPTOR_LENGTH; i += 1) out[i] = (both[i]! + both[DESCRIPTOR_LENGTH + i]!) / 2;
    both.fill(0);
    return out;
  }
}

export function distance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}
