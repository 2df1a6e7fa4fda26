// The slot for a passive anti-spoof layer, off by default: no cleanly licensed, good passive model
// can be had here, so an operator may supply one (an ONNX file pinned by its sha256), or a binocular
// RGB+IR module's IR camera (a face on a phone screen or on paper shows no face in infrared).
import { readFile } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import { err, ok, type Result } from '../core/result';
import type { AnalysedFace, FaceAnalyzer } from './face-analyzer';
import { decodeImage, squareCrop, warpToTensor, wipe, type RgbImage } from './image';
import { sha256 } from './models/manifest';

export interface PassiveVerdict {
  readonly live: boolean;
  readonly score: number;
}

export interface PassiveCheck {
  readonly kind: 'onnx' | 'ir';
  check(image: RgbImage, face: AnalysedFace, signal: AbortSignal): Promise<Result<PassiveVerdict, string>>;
}

export interface OnnxPassiveOptions {
  readonly path: string;
  readonly sha256: string;
  /** The model's square input size, NHWC RGB. */
  readonly inputSize: number;
  /** Input = pixel * scale + offset. */
  readonly scale: number;
  readonly offset: number;
  /** Crop side as a multiple of the detection box. */
  readonly cropScale: number;
  /** Which output value is the probability of a live face, and the least that counts as live. */
  readonly liveIndex: number;
  readonly threshold: number;
}

export class OnnxPassiveCheck implements PassiveCheck {
  readonly kind = 'onnx' as const;

  private constructor(
    private readonly session: InferenceSession,
    private readonly options: OnnxPassiveOptions,
  ) {}

  static async load(options: OnnxPassiveOptions): Promise<Result<OnnxPassiveCheck, string>> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(options.path);
    } catch {
      return err(`passive anti-spoof model ${options.path} cannot be read`);
    }
    if (sha256(bytes) !== options.sha256) return err(`passive anti-spoof model ${options.path} does not match its configured sha256`);
    try {
      const { InferenceSession } = await import('onnxruntime-node');
      return ok(new OnnxPassiveCheck(await InferenceSession.create(bytes, { intraOpNumThreads: 1 }), options));
    } catch (cause) {
      return err(`passive anti-spoof model ${options.path} cannot be loaded: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  }

  async check(image: RgbImage, face: AnalysedFace, signal: AbortSignal): Promise<Result<PassiveVerdict, string>> {
    if (signal.aborted) return err('canceled');
    const { inputSize, scale, offset, cropScale, liveIndex, threshold } = this.options;
    const { box } = face.detection;
    const crop = squareCrop({ x: box.x + box.width / 2, y: box.y + box.height / 2 }, Math.max(box.width, box.height) * cropScale, 0, inputSize);
    const input = warpToTensor(image, [crop[0], crop[1], crop[2] + 0.5 * (crop[0] + crop[1]) - 0.5, crop[3], crop[4], crop[5] + 0.5 * (crop[3] + crop[4]) - 0.5], inputSize, inputSize);
    for (let i = 0; i < input.length; i += 1) input[i] = input[i]! * scale + offset;
    const { Tensor } = await import('onnxruntime-node');
    const name = this.session.inputNames[0];
    const outputName = this.session.outputNames[0];
    if (!name || !outputName) return err('passive anti-spoof model has no input or output');
    try {
      const outputs = await this.session.run({ [name]: new Tensor('float32', input, [1, inputSize, inputSize, 3]) });
      const data = outputs[outputName]?.data;
      const score = data instanceof Float32Array ? data[liveIndex] : undefined;
      if (score === undefined) return err(`passive anti-spoof model gave no value at index ${liveIndex}`);
      return ok({ live: score >= threshold, score });
    } catch (cause) {
      return err(`passive anti-spoof model failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    } finally {
      input.fill(0);
    }
  }
}

/** Where the IR camera's newest frame comes from: its JPEG, retained for the caller, and released by it. */
export interface IrFrameSource {
  latestJpeg(): { jpeg: Uint8Array; release(): void } | undefined;
}

export interface IrPassiveOptions {
  /** The IR camera sees the scene shifted and scaled: its frame x = rgb x * scale + dx (same for y). */
  readonly scale: number;
  readonly dx: number;
  readonly dy: number;
  /** How far (as a share of the face's width) the IR face centre may be from where the RGB face says. */
  readonly tolerance: number;
}

export class IrPassiveCheck implements PassiveCheck {
  readonly kind = 'ir' as const;

  constructor(
    private readonly source: IrFrameSource,
    private readonly analyzer: FaceAnalyzer,
    private readonly options: IrPassiveOptions,
  ) {}

  async check(_image: RgbImage, face: AnalysedFace, signal: AbortSignal): Promise<Result<PassiveVerdict, string>> {
    if (signal.aborted) return err('canceled');
    const frame = this.source.latestJpeg();
    if (!frame) return err('no frame from the IR camera');
    const decoded = await decodeImage(frame.jpeg);
    frame.release();
    if (!decoded.ok) return decoded;
    try {
      const detections = await this.analyzer.detect(decoded.value);
      const { box } = face.detection;
      const { scale, dx, dy, tolerance } = this.options;
      const expected = { x: (box.x + box.width / 2) * scale + dx, y: (box.y + box.height / 2) * scale + dy };
      const near = detections.map((d) => Math.hypot(d.box.x + d.box.width / 2 - expected.x, d.box.y + d.box.height / 2 - expected.y) / (box.width * scale));
      const best = Math.min(Number.POSITIVE_INFINITY, ...near);
      return ok({ live: best <= tolerance, score: Number.isFinite(best) ? Math.max(0, 1 - best) : 0 });
    } finally {
      wipe(decoded.value);
    }
  }
}
