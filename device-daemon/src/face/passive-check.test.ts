import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { findProjectRoot } from '../paths';
import { EVAL_FACES_SKIP_REASON, evalFace, evalFacesPresent } from '../testing/eval-faces';
import { FaceAnalyzer, type AnalysedFace } from './face-analyzer';
import { decodeImage, pad, type RgbImage } from './image';
import { loadFaceModels } from './model-loader';
import { int, OnnxBuilder } from './models/onnx-builder';
import { sha256 } from './models/manifest';
import { IrPassiveCheck, OnnxPassiveCheck } from './passive-check';

const SIZE = 8;
const work = mkdtempSync(join(tmpdir(), 'kiosk-passive-'));

/** A stand-in anti-spoof model: "live" is the crop's mean brightness (0-1). */
function brightnessModel(): Uint8Array {
  const b = new OnnxBuilder('brightness');
  const x = b.input({ name: 'x', dims: [1, SIZE, SIZE, 3] });
  const flat = b.node('Flatten', [x], { axis: int(1) });
  const weights = b.floatTensor('w', [SIZE * SIZE * 3, 1], new Float32Array(SIZE * SIZE * 3).fill(1 / (SIZE * SIZE * 3)));
  b.node('MatMul', [flat, weights], {}, 'live');
  b.output({ name: 'live', dims: [1, 1] });
  return b.toBytes('test');
}

const box = { x: 10, y: 10, width: 40, height: 40 };
const face = (b = box): AnalysedFace => ({ detection: { box: b, score: 1, keypoints: [] }, mesh: { points: new Float32Array(0), faceScore: 1 }, pose: { yaw: 0, pitch: 0, roll: 0, leftEye: 0.3, rightEye: 0.3, eyeDistance: 20 } });
const plain = (value: number): RgbImage => ({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(value) });

describe('passive check: an operator-supplied ONNX model', () => {
  it('loads only the file whose sha256 is configured, and judges by its live output', async () => {
    const model = brightnessModel();
    const path = join(work, 'antispoof.onnx');
    writeFileSync(path, model);
    const options = { path, sha256: sha256(model), inputSize: SIZE, scale: 1 / 255, offset: 0, cropScale: 1, liveIndex: 0, threshold: 0.5 };
    const wrong = await OnnxPassiveCheck.load({ ...options, sha256: '0'.repeat(64) });
    expect(wrong.ok ? 'loaded' : wrong.error).toBe(`passive anti-spoof model ${path} does not match its configured sha256`);
    const check = await OnnxPassiveCheck.load(options);
    if (!check.ok) throw new Error(check.error);
    const signal = new AbortController().signal;
    expect(await check.value.check(plain(230), face(), signal)).toEqual({ ok: true, value: { live: true, score: expect.closeTo(230 / 255, 3) } });
    expect(await check.value.check(plain(40), face(), signal)).toEqual({ ok: true, value: { live: false, score: expect.closeTo(40 / 255, 3) } });
    const missing = await OnnxPassiveCheck.load({ ...options, path: join(work, 'none.onnx') });
    expect(missing.ok ? 'loaded' : missing.error).toMatch(/cannot be read$/);
  });
});

describe.skipIf(!evalFacesPresent)(`passive check: an IR camera${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, { timeout: 30_000 }, () => {
  let analyzer: FaceAnalyzer;
  beforeAll(async () => {
    const models = await loadFaceModels({ dir: join(findProjectRoot(import.meta.dirname), 'models'), threads: 2 });
    if (!models.ok) throw new Error(models.error);
    analyzer = new FaceAnalyzer(models.value);
  });

  it('passes when the IR frame shows a face where the RGB face is, and fails on a face-less IR frame', async () => {
    const picture = await decodeImage(readFileSync(evalFace('raj_1.png')));
    if (!picture.ok) throw new Error(picture.error);
    const rgb = pad(picture.value, 3).image;
    const analysis = await analyzer.analyse(rgb);
    const found = analysis.faces[0];
    if (!found) throw new Error('no face');
    const jpeg = async (image: RgbImage): Promise<Buffer> => sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).jpeg().toBuffer();
    const withFace = await jpeg(rgb);
    const withoutFace = await jpeg({ ...rgb, data: new Uint8Array(rgb.data.length).fill(90) });
    let frame: Buffer | undefined = withFace;
    let released = 0;
    const source = { latestJpeg: () => (frame ? { jpeg: frame, release: () => (released += 1) } : undefined) };
    const ir = new IrPassiveCheck(source, analyzer, { scale: 1, dx: 0, dy: 0, tolerance: 0.3 });
    const signal = new AbortController().signal;
    expect(await ir.check(rgb, found, signal)).toMatchObject({ ok: true, value: { live: true } });
    // A face on a phone screen shows nothing in infrared.
    frame = withoutFace;
    expect(await ir.check(rgb, found, signal)).toEqual({ ok: true, value: { live: false, score: 0 } });
    // The IR face must be where the RGB face is, not elsewhere.
    frame = withFace;
    const shifted = new IrPassiveCheck(source, analyzer, { scale: 1, dx: 200, dy: 0, tolerance: 0.3 });
    expect(await shifted.check(rgb, found, signal)).toMatchObject({ ok: true, value: { live: false } });
    frame = undefined;
    expect(await ir.check(rgb, found, signal)).toEqual({ ok: false, error: 'no frame from the IR camera' });
    // Every frame handed over was released again.
    expect(released).toBe(3);
  });
});
