// The whole face check in process: the simulated scene renders frames on a virtual clock, they are
// JPEG-encoded as a camera would send them, and the real models judge them. A scripted resident
// reacts to each challenge half a second after it is asked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ok, type Result } from '../core/result';
import { FaceScene, type Gesture, type SceneCommand } from '../devices/camera/scene/face-scene';
import { findProjectRoot } from '../paths';
import type { LivenessChallenge } from '../protocol';
import { EVAL_FACES_SKIP_REASON, evalFace, evalFacesPresent } from '../testing/eval-faces';
import { FaceAnalyzer } from './face-analyzer';
import { locateFace } from './face-locator';
import { DEFAULT_VERIFICATION, verifyFace, type FrameSource, type LiveFrame, type VerificationEvents } from './face-verification';
import { decodeImage } from './image';
import type { LivenessEvent } from './liveness';
import { loadFaceModels } from './model-loader';
import type { PassiveCheck } from './passive-check';

const SIZE = { width: 640, height: 480, fps: 15 };
const FRAME_MS = 1000 / SIZE.fps;

let analyzer: FaceAnalyzer;

beforeAll(async () => {
  const models = await loadFaceModels({ dir: join(findProjectRoot(import.meta.dirname), 'models'), threads: 2 });
  if (!models.ok) throw new Error(models.error);
  analyzer = new FaceAnalyzer(models.value);
});

/** A camera on a virtual clock: each frame is the scene at the next tick; scripted actions run at their time. */
class ScriptedCamera implements FrameSource {
  now = 0;
  seq = 0;
  readonly scene: FaceScene;
  readonly #actions: Array<{ at: number; command: SceneCommand }> = [];

  constructor() {
    this.scene = new FaceScene(SIZE, (image) => locateFace(analyzer, image), () => this.now);
  }

  at(ms: number, command: SceneCommand): void {
    this.#actions.push({ at: ms, command });
  }

  async frameAfter(): Promise<Result<LiveFrame, { code: string; message: string }>> {
    this.now += FRAME_MS;
    this.seq += 1;
    for (const action of this.#actions.filter((a) => a.at <= this.now)) {
      this.#actions.splice(this.#actions.indexOf(action), 1);
      const done = await this.scene.control(action.command);
      if (!done.ok) throw new Error(done.error);
    }
    const raw = this.scene.renderFrame();
    const jpeg = await sharp(raw, { raw: { width: SIZE.width, height: SIZE.height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
    return ok({ jpeg, seq: this.seq, at: this.now, release: () => jpeg.fill(0) });
  }
}

async function referenceOf(file: string): Promise<Float32Array> {
  const image = await decodeImage(readFileSync(evalFace(file)));
  if (!image.ok) throw new Error(image.error);
  const analysis = await analyzer.analyse(image.value, { tightCrop: true });
  const face = analysis.faces[0];
  if (!face) throw new Error(`no face in ${file}`);
  return analyzer.describe(analysis.image, face);
}

interface Run {
  result: Awaited<ReturnType<typeof verifyFace>>;
  challenges: LivenessEvent[];
  prompts: string[];
}

/** Runs a check; the resident performs each challenge `react` ms after it is asked (unless `perform` is false). */
async function run(camera: ScriptedCamera, reference: Float32Array, options: { perform?: boolean; react?: number; picks?: number[]; challengeTimeoutMs?: number; passive?: PassiveCheck } = {}): Promise<Run> {
  const challenges: LivenessEvent[] = [];
  const prompts: string[] = [];
  const events: VerificationEvents = {
    prompt: (p) => prompts.push(p),
    challenge: (event) => {
      challenges.push(event);
      if (event.kind === 'started' && options.perform !== false) camera.at(camera.now + (options.react ?? 500), { action: 'perform', gesture: event.challenge satisfies LivenessChallenge as Gesture });
    },
  };
  const picks = [...(options.picks ?? [0, 0])];
  const result = await verifyFace(analyzer, reference, camera, events, new AbortController().signal, {
    ...DEFAULT_VERIFICATION,
    pick: () => picks.shift() ?? 0,
    liveness: { ...DEFAULT_VERIFICATION.liveness, challengeTimeoutMs: options.challengeTimeoutMs ?? 4_000 },
    positioningTimeoutMs: 3_000,
    passive: options.passive,
  });
  return { result, challenges, prompts };
}

describe.skipIf(!evalFacesPresent)(`the face check on synthesised frames${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, { timeout: 60_000 }, () => {
  it('verifies the card holder who turns and blinks as asked', async () => {
    const camera = new ScriptedCamera();
    camera.at(0, { action: 'show', image: evalFace('raj_1.png') });
    // picks [0, 1] of [turnLeft, turnRight, blink] then [turnRight, blink]: turn left, then blink.
    const { result, challenges, prompts } = await run(camera, await referenceOf('raj_4.png'), { picks: [0, 1] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ verified: true, match: true, threshold: 0.6, liveness: { passed: true, challenges: [{ challenge: 'turnLeft', passed: true }, { challenge: 'blink', passed: true }] } });
    expect(result.value.score).toBeLessThan(0.6);
    expect(challenges.map((c) => `${c.kind}:${c.challenge}`)).toEqual(['started:turnLeft', 'passed:turnLeft', 'started:blink', 'passed:blink']);
    expect(prompts[0]).toBe('ok');
  });

  it('turns right as well as left', async () => {
    const camera = new ScriptedCamera();
    camera.at(0, { action: 'show', image: evalFace('raj_1.png') });
    const { result } = await run(camera, await referenceOf('raj_4.png'), { picks: [1, 0] });
    expect(result.ok && result.value.liveness).toEqual({ passed: true, challenges: [{ challenge: 'turnRight', passed: true }, { challenge: 'turnLeft', passed: true }] });
  });

  it('does not verify a different person, though they pass the challenges', async () => {
    const camera = new ScriptedCamera();
    camera.at(0, { action: 'show', image: evalFace('sheldon_1.png') });
    const { result } = await run(camera, await referenceOf('raj_4.png'), { picks: [2, 0] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ verified: false, match: false, liveness: { passed: true } });
    expect(result.value.score).toBeGreaterThan(0.6);
  });

  it('fails liveness for a still photo of the holder: the face matches but never moves', async () => {
    const camera = new ScriptedCamera();
    camera.at(0, { action: 'still', image: evalFace('raj_1.png') });
    const { result, challenges } = await run(camera, await referenceOf('raj_4.png'), { perform: false, challengeTimeoutMs: 2_000 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ verified: false, match: true, liveness: { passed: false, reason: 'timeout' } });
    expect(challenges.at(-1)).toMatchObject({ kind: 'failed', reason: 'timeout' });
  });

  it('fails when someone else takes the holder’s place during a challenge', async () => {
    const camera = new ScriptedCamera();
    camera.at(0, { action: 'show', image: evalFace('raj_1.png') });
    camera.at(600, { action: 'swap', image: evalFace('sheldon_1.png') });
    const { result } = await run(camera, await referenceOf('raj_4.png'), { perform: false });
    expect(result.ok && result.value.liveness).toMatchObject({ passed: false, reason: 'faceSwapped' });
    expect(result.ok && result.value.verified).toBe(false);
  });

  it('fails liveness when the passive layer says the face is not live', async () => {
    const camera = new ScriptedCamera();
    camera.at(0, { action: 'show', image: evalFace('raj_1.png') });
    let asked = 0;
    const passive: PassiveCheck = { kind: 'onnx', check: async () => ((asked += 1), ok({ live: false, score: 0.1 })) };
    const { result, challenges } = await run(camera, await referenceOf('raj_4.png'), { passive });
    expect(result.ok && result.value).toMatchObject({ verified: false, match: true, liveness: { passed: false, reason: 'passiveCheckFailed' } });
    expect(asked).toBe(1);
    expect(challenges).toEqual([]);
  });

  it('gives up on positioning when nobody steps up', async () => {
    const camera = new ScriptedCamera();
    const { result, prompts } = await run(camera, await referenceOf('raj_4.png'));
    expect(result).toMatchObject({ ok: false, error: { code: 'positioningTimeout' } });
    expect(prompts).toEqual(['noFace']);
  });
});
