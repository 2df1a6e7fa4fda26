// ID photos composed by the real models from stills of evaluation faces (given a body, so that the
// segmentation model sees a person): exact sizes, the chosen colour behind, the face in the middle,
// the rules checked; and the failures a resident meets: no face, a group, a dark booth, a lost photo.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../core/result';
import { PictureStore } from '../devices/camera/picture-store';
import { FaceScene } from '../devices/camera/scene/face-scene';
import { closeEyes } from '../devices/camera/scene/face-synth';
import { FaceAnalyzer } from '../face/face-analyzer';
import { locateFace } from '../face/face-locator';
import { decodeImage, type RgbImage } from '../face/image';
import { meshPoint } from '../face/landmarks';
import { loadFaceModels } from '../face/model-loader';
import { silentLogger } from '../log/logger';
import { findProjectRoot } from '../paths';
import { photoComposeCompletionSchema, type PhotoBackground, type PhotoSize } from '../protocol';
import { ViewStore } from '../server/view-store';
import { EVAL_FACES_SKIP_REASON, evalFace, evalFacesPresent } from '../testing/eval-faces';
import { personStill, toJpeg } from '../testing/person-still';
import { photoCommands } from './photo-commands';
import { PhotoService, type PhotoServiceOptions } from './photo-service';
import { BACKGROUNDS, PHOTO_SPECS } from './photo-spec';

const MODELS = join(findProjectRoot(import.meta.dirname), 'models');
const STILL = { width: 640, height: 480 };
const signal = new AbortController().signal;

let analyzer: FaceAnalyzer;
let clock = Date.parse('2026-11-22T02:00:00Z');

beforeAll(async () => {
  const models = await loadFaceModels({ dir: MODELS, threads: 2 });
  if (!models.ok) throw new Error(models.error);
  analyzer = new FaceAnalyzer(models.value);
});

function rig(overrides: Partial<PhotoServiceOptions> = {}): { service: PhotoService; pictures: PictureStore; views: ViewStore } {
  const pictures = new PictureStore(300_000, 16, () => clock);
  const views = new ViewStore(300_000, 32, () => clock);
  const service = new PhotoService({
    modelsDir: MODELS,
    threads: 2,
    analyzer: async () => ok(analyzer),
    pictures,
    views,
    documentPrinters: new Map(),
    receiptPrinters: new Map(),
    terminalId: 'HZ-XH-0042',
    printTimeoutMs: 30_000,
    receiptWaitMs: 30_000,
    now: () => clock,
    log: silentLogger(),
    ...overrides,
  });
  return { service, pictures, views };
}

async function face(name: string): Promise<RgbImage> {
  const decoded = await decodeImage(readFileSync(evalFace(`${name}.png`)));
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.value;
}

const still = async (name: string, placement: Partial<Parameters<typeof personStill>[1]> = {}): Promise<Buffer> => toJpeg(personStill(await face(name), { ...STILL, faceWidth: 150, ...placement }));

async function composeStill(r: ReturnType<typeof rig>, jpeg: Buffer, size: PhotoSize = 'oneInch', background: PhotoBackground = 'blue') {
  const pictureId = r.pictures.put('faceCamera', jpeg);
  return { pictureId, result: await r.service.compose({ source: { pictureId }, size, background }, signal) };
}

async function viewed(r: ReturnType<typeof rig>, url: string): Promise<RgbImage> {
  const held = r.views.get(url.replace('/view/', ''));
  if (!held) throw new Error('no view');
  expect(held.type).toBe('image/jpeg');
  const decoded = await decodeImage(held.bytes);
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.value;
}

const pixel = (image: RgbImage, x: number, y: number): [number, number, number] => {
  const i = (y * image.width + x) * 3;
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
};

describe('a photo service whose models do not load', () => {
  it('answers photoServiceUnavailable and leaves the picture for another try', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-photo-models-'));
    copyFileSync(join(MODELS, 'manifest.json'), join(dir, 'manifest.json'));
    writeFileSync(join(dir, 'selfie.onnx'), 'not the model');
    const r = rig({ modelsDir: dir });
    const { pictureId, result } = await composeStill(r, await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } }).jpeg().toBuffer());
    expect(r.service.state).toMatchObject({ kind: 'unavailable', reason: expect.stringMatching(/^model file selfie\.onnx does not match models\/manifest\.json/) });
    expect(result.ok ? 'composed' : result.error.code).toBe('photoServiceUnavailable');
    expect(r.pictures.claim([pictureId])).toHaveLength(1);
  });
});

describe('composing a photo without a usable face', () => {
  it('says noFace for a picture of an empty booth, and keeps nothing', async () => {
    const r = rig();
    const wall = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 196, g: 190, b: 180 } } }).jpeg().toBuffer();
    const { pictureId, result } = await composeStill(r, wall);
    expect(result.ok ? 'composed' : result.error).toMatchObject({ code: 'noFace' });
    expect(r.service.held).toBe(0);
    // The picture was used up: asking again says so.
    const again = await r.service.compose({ source: { pictureId }, size: 'oneInch', background: 'white' }, signal);
    expect(again.ok ? 'composed' : again.error.code).toBe('pictureGone');
  });
});

describe.skipIf(!evalFacesPresent)(`composing ID photos of real faces${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, { timeout: 60_000 }, () => {
  const cases: ReadonlyArray<{ name: string; size: PhotoSize; background: PhotoBackground }> = [
    { name: 'raj_4', size: 'oneInch', background: 'blue' },
    { name: 'bernadette_1', size: 'twoInch', background: 'white' },
    { name: 'sheldon_1', size: 'smallTwoInch', background: 'red' },
    { name: 'stuart_1', size: 'idCard', background: 'white' },
  ];
  for (const { name, size, background } of cases) {
    it(`makes a ${size} photo on ${background} of a frontal face: exact size, the colour behind, the face in the middle, no issues`, async () => {
      const r = rig();
      const { result } = await composeStill(r, await still(name), size, background);
      if (!result.ok) throw new Error(result.error.message);
      const spec = PHOTO_SPECS[size];
      expect(photoComposeCompletionSchema.safeParse(result.value).success).toBe(true);
      expect(result.value).toMatchObject({ width: spec.width, height: spec.height, size, background, compliance: { ok: true, issues: [] } });
      const photo = await viewed(r, result.value.url);
      expect([photo.width, photo.height]).toEqual([spec.width, spec.height]);
      const { r: red, g, b } = BACKGROUNDS[background].rgb;
      for (const [x, y] of [[2, 2], [spec.width - 3, 2], [2, Math.round(spec.height * 0.3)], [spec.width - 3, Math.round(spec.height * 0.3)]] as const) {
        const [pr, pg, pb] = pixel(photo, x, y);
        expect(Math.max(Math.abs(pr - red), Math.abs(pg - g), Math.abs(pb - b)), `pixel ${x},${y}`).toBeLessThanOrEqual(6);
      }
      // Found again in the photo: centred across, eyes level, the head at its size.
      const analysis = await analyzer.analyse(photo, { eyes: false });
      const found = analysis.faces[0];
      if (!found) throw new Error('no face in the photo');
      expect(analysis.detections).toHaveLength(1);
      const right = meshPoint(found.mesh, 33);
      const left = meshPoint(found.mesh, 263);
      expect(Math.abs((right.x + left.x) / 2 / spec.width - 0.5)).toBeLessThan(0.04);
      expect(Math.abs(found.pose.roll)).toBeLessThan(3);
      const chin = meshPoint(found.mesh, 152);
      expect(chin.y / spec.height).toBeGreaterThan(0.6);
      expect(chin.y / spec.height).toBeLessThan(0.85);
    });
  }

  it('composes the kept source again in another size and background without a retake, and forgets it on Discard', async () => {
    const r = rig();
    const { pictureId, result } = await composeStill(r, await still('leonard_1'), 'oneInch', 'blue');
    if (!result.ok) throw new Error(result.error.message);
    const again = await r.service.compose({ source: { photoId: result.value.photoId }, size: 'twoInch', background: 'red' }, signal);
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value).toMatchObject({ photoId: result.value.photoId, width: 413, height: 579, background: 'red' });
    // The old preview is gone with the version it showed; the picture itself was taken over.
    expect(r.views.get(result.value.url.replace('/view/', ''))).toBeUndefined();
    const reuse = await r.service.compose({ source: { pictureId }, size: 'oneInch', background: 'white' }, signal);
    expect(reuse.ok ? 'composed' : reuse.error.code).toBe('pictureGone');
    const commands = photoCommands(r.service);
    const discard = commands.find((c) => c.name === 'Photo.Discard');
    if (discard?.name !== 'Photo.Discard') throw new Error('no Photo.Discard');
    const context = { signal, connectionId: 1, requestId: 1, emitEvent: () => undefined };
    expect(await discard.handle({ ...context, payload: { photoId: again.value.photoId } })).toEqual({ completionCode: 'success', payload: { discarded: true } });
    expect(r.views.get(again.value.url.replace('/view/', ''))).toBeUndefined();
    const gone = await r.service.compose({ source: { photoId: again.value.photoId }, size: 'oneInch', background: 'white' }, signal);
    expect(gone.ok ? 'composed' : gone.error.code).toBe('unknownPhoto');
  });

  it('forgets a photo a few minutes after its last use', async () => {
    const r = rig();
    const { result } = await composeStill(r, await still('penny_2'));
    if (!result.ok) throw new Error(result.error.message);
    clock += 4 * 60_000;
    expect((await r.service.compose({ source: { photoId: result.value.photoId }, size: 'idCard', background: 'white' }, signal)).ok).toBe(true);
    clock += 5 * 60_000 + 1;
    const late = await r.service.compose({ source: { photoId: result.value.photoId }, size: 'oneInch', background: 'blue' }, signal);
    expect(late.ok ? 'composed' : late.error.code).toBe('unknownPhoto');
    expect(r.service.held).toBe(0);
  });

  it('says multipleFaces for a group, as an error that names how many', async () => {
    const r = rig();
    const group = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 190, g: 186, b: 178 } } })
      .composite(['raj_4', 'amy_2', 'sheldon_1'].map((name, i) => ({ input: evalFace(`${name}.png`), left: 40 + i * 200, top: 150 })))
      .jpeg()
      .toBuffer();
    const pictureId = r.pictures.put('faceCamera', group);
    const compose = photoCommands(r.service).find((c) => c.name === 'Photo.Compose');
    if (compose?.name !== 'Photo.Compose') throw new Error('no Photo.Compose');
    const outcome = await compose.handle({ signal, connectionId: 1, requestId: 2, emitEvent: () => undefined, payload: { source: { pictureId }, size: 'oneInch', background: 'white' } });
    expect(outcome).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'multipleFaces', details: { faces: 3 } });
    expect(r.service.held).toBe(0);
  });

  it('finds what is wrong with a dark booth, a turned head, closed eyes and light from one side', async () => {
    const r = rig();
    const good = personStill(await face('raj_4'), { ...STILL, faceWidth: 150 });
    const issues = async (jpeg: Buffer): Promise<readonly string[]> => {
      const { result } = await composeStill(r, jpeg);
      if (!result.ok) throw new Error(result.error.message);
      return result.value.compliance.issues;
    };
    expect(await issues(await toJpeg({ ...good, data: good.data.map((v) => Math.round(v * 0.3)) }))).toContain('tooDark');
    expect(await issues(await still('amy_1'))).toEqual(['headTurned']);
    const raj = await face('raj_4');
    const eyes = await locateFace(analyzer, raj);
    if (!eyes.ok) throw new Error(eyes.error);
    expect(await issues(await toJpeg(personStill(closeEyes({ image: raj, eyes: eyes.value.eyes }, 1), { ...STILL, faceWidth: 150 })))).toEqual(['eyesClosed']);
    const sideLit = { ...good, data: Uint8Array.from(good.data) };
    for (let i = 0; i < sideLit.data.length; i += 1) if (Math.floor(i / 3) % STILL.width >= STILL.width / 2) sideLit.data[i] = Math.round(sideLit.data[i]! * 0.45);
    expect(await issues(await toJpeg(sideLit))).toContain('unevenLighting');
    expect(await issues(await still('raj_4', { x: 110 }))).toEqual(['offCentre']);
  });

  it('says noFace when the face is found but not kept apart from the background (a face without a body)', async () => {
    // The simulated camera's scene draws a face picture alone on a wall: no person to segment.
    const scene = new FaceScene({ ...STILL, fps: 15 });
    const shown = await scene.control({ action: 'still', image: evalFace('raj_4.png') });
    if (!shown.ok) throw new Error(shown.error);
    const r = rig();
    const { result } = await composeStill(r, await toJpeg({ ...STILL, data: scene.renderStill(STILL) }), 'idCard', 'white');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.compliance).toEqual({ ok: false, issues: ['noFace'] });
  });
});
