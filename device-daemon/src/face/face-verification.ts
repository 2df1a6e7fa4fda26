// One 1:1 face check: guide the resident into a good position, run the liveness challenges on one
// continuous face track, and compare the live face with the reference. Time is the frames' own
// timestamps, so a check is judged the same however fast the machine is. Every picture, chip and
// descriptor is wiped as soon as it is no longer needed.
import { randomInt } from 'node:crypto';
import { err, ok, type Result } from '../core/result';
import type { FaceQualityIssue, FaceVerifyCompletion, LivenessChallenge, LivenessFailure } from '../protocol';
import { LIVENESS_CHALLENGES } from '../protocol';
import type { AnalysedFace, FaceAnalyzer } from './face-analyzer';
import { decodeImage, wipe, type RgbImage } from './image';
import { DEFAULT_LIVENESS, LivenessJudge, type LivenessEvent, type LivenessOptions } from './liveness';
import type { PassiveCheck } from './passive-check';
import { assessQuality, DEFAULT_QUALITY, type QualityOptions } from './quality';
import { distance } from './recognizer';

/** A frame from the face camera, held until released. */
export interface LiveFrame {
  readonly jpeg: Buffer;
  readonly seq: number;
  /** ms, monotonic. */
  readonly at: number;
  release(): void;
}

export interface FrameSource {
  /** The newest frame newer than `seq`, waiting for one if need be. */
  frameAfter(seq: number, signal: AbortSignal): Promise<Result<LiveFrame, { readonly code: string; readonly message: string }>>;
}

export interface VerificationOptions {
  /** Distance at or under which two faces are the same person. */
  readonly threshold: number;
  readonly challenges: number;
  /** Consecutive good frames before the challenges start. */
  readonly goodFrames: number;
  readonly positioningTimeoutMs: number;
  /** After the challenges, how long to wait for a frontal frame to compare, if none was seen during them. */
  readonly finalFrameMs: number;
  /** Descriptors kept for the comparison (frontal, good frames). */
  readonly maxDescriptors: number;
  readonly quality: QualityOptions;
  readonly liveness: LivenessOptions;
  readonly passive?: PassiveCheck | undefined;
  /** Picks challenge i of n; crypto-random unless a test fixes it. */
  readonly pick?: (n: number) => number;
}

export const DEFAULT_VERIFICATION: VerificationOptions = {
  threshold: 0.6,
  challenges: 2,
  goodFrames: 3,
  positioningTimeoutMs: 20_000,
  finalFrameMs: 2_000,
  maxDescriptors: 5,
  quality: DEFAULT_QUALITY,
  liveness: DEFAULT_LIVENESS,
};

export type VerificationError = { readonly code: 'positioningTimeout' | 'cameraNotReady' | 'canceled'; readonly message: string };

export interface VerificationEvents {
  prompt(prompt: FaceQualityIssue | 'ok', face: { x: number; y: number; width: number; height: number } | undefined): void;
  challenge(event: LivenessEvent, count: number): void;
}

/** Issues worth saying during the challenges: turning and blinking are what was asked for. */
const DURING_CHALLENGES: ReadonlySet<FaceQualityIssue> = new Set(['noFace', 'multipleFaces', 'tooSmall', 'tooClose', 'offCentre', 'tooDark', 'tooBright']);

/** Once enough descriptors are kept, identity is still checked on every third good frame. */
const IDENTITY_EVERY = 3;

export function pickChallenges(count: number, pick: (n: number) => number = randomInt): LivenessChallenge[] {
  const pool: LivenessChallenge[] = [...LIVENESS_CHALLENGES];
  const chosen: LivenessChallenge[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(pick(pool.length), 1)[0]!);
  return chosen;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function verifyFace(
  analyzer: FaceAnalyzer,
  reference: Float32Array,
  frames: FrameSource,
  events: VerificationEvents,
  signal: AbortSignal,
  options: VerificationOptions = DEFAULT_VERIFICATION,
): Promise<Result<FaceVerifyCompletion, VerificationError>> {
  const descriptors: Float32Array[] = [];
  let first: Float32Array | undefined;
  let judge: LivenessJudge | undefined;
  let failure: LivenessFailure | undefined;
  let lastPrompt: string | undefined;
  let good = 0;
  let goodDuringChallenges = 0;
  let seq = 0;
  let startedAt: number | undefined;
  let passedAt: number | undefined;
  const finish = (): FaceVerifyCompletion => {
    const score = descriptors.length > 0 ? median(descriptors.map((d) => distance(d, reference))) : Number.POSITIVE_INFINITY;
    const match = score <= options.threshold;
    const passed = judge?.state.kind === 'passed' && failure === undefined;
    return {
      verified: match && passed,
      match,
      score: Number.isFinite(score) ? Math.round(score * 10_000) / 10_000 : 99,
      threshold: options.threshold,
      liveness: { passed, challenges: judge?.results() ?? [], ...(failure ? { reason: failure } : {}) },
    };
  };
  try {
    for (;;) {
      if (signal.aborted) return err({ code: 'canceled', message: 'face check canceled' });
      const next = await frames.frameAfter(seq, signal);
      if (!next.ok) return err({ code: signal.aborted ? 'canceled' : 'cameraNotReady', message: next.error.message });
      const frame = next.value;
      seq = frame.seq;
      const at = frame.at;
      startedAt ??= at;
      const decoded = await decodeImage(frame.jpeg);
      frame.release();
      if (!decoded.ok) continue;
      const image = decoded.value;
      try {
        const outcome = await step(image, at);
        if (outcome) return outcome;
      } finally {
        wipe(image);
      }
    }
  } finally {
    for (const d of descriptors) d.fill(0);
    first?.fill(0);
  }

  async function step(image: RgbImage, at: number): Promise<Result<FaceVerifyCompletion, VerificationError> | undefined> {
    // The eyelids (the Iris model, a third of the work) are measured only while they matter:
    // positioning (eyes open for the comparison) and the blink challenge.
    const analysis = await analyzer.analyse(image, { eyes: !judge || judge.current === 'blink' || passedAt !== undefined });
    const report = assessQuality(analysis, options.quality);
    const face = report.face;
    const box = face ? { x: face.detection.box.x / image.width, y: face.detection.box.y / image.height, width: face.detection.box.width / image.width, height: face.detection.box.height / image.height } : undefined;
    const say = (prompt: FaceQualityIssue | 'ok'): void => {
      if (prompt !== lastPrompt) events.prompt(prompt, box);
      lastPrompt = prompt;
    };
    if (!judge) {
      say(report.issues[0] ?? 'ok');
      good = report.issues.length === 0 ? good + 1 : 0;
      if (good < options.goodFrames || !face) {
        if (startedAt !== undefined && at - startedAt > options.positioningTimeoutMs) return err({ code: 'positioningTimeout', message: `no good face position within ${options.positioningTimeoutMs} ms (last: ${lastPrompt ?? 'none'})` });
        return undefined;
      }
      first = await analyzer.describe(analysis.image, face);
      descriptors.push(Float32Array.from(first));
      if (options.passive) {
        const verdict = await options.passive.check(analysis.image, face, signal);
        if (!verdict.ok || !verdict.value.live) {
          judge = new LivenessJudge(pickChallenges(options.challenges, options.pick), options.liveness);
          failure = 'passiveCheckFailed';
          return ok(finish());
        }
      }
      judge = new LivenessJudge(pickChallenges(options.challenges, options.pick), options.liveness);
    }
    const issue = report.issues.find((i) => DURING_CHALLENGES.has(i));
    say(issue ?? 'ok');
    let identityDistance: number | undefined;
    goodDuringChallenges += report.issues.length === 0 ? 1 : 0;
    if (face && first && report.issues.length === 0 && (descriptors.length < options.maxDescriptors || goodDuringChallenges % IDENTITY_EVERY === 0)) {
      // A good frontal frame: is it still the track's first face? Kept for the match while there is room.
      const descriptor = await analyzer.describe(analysis.image, face);
      identityDistance = distance(descriptor, first);
      if (descriptors.length < options.maxDescriptors) descriptors.push(descriptor);
      else descriptor.fill(0);
    }
    if (passedAt === undefined) {
      const multiple = report.issues.includes('multipleFaces') ? 2 : analysis.faces.length;
      const observation = face ? { at, faces: multiple, face: observed(face), ...(identityDistance !== undefined ? { identityDistance } : {}) } : { at, faces: multiple };
      for (const event of judge.observe(observation)) events.challenge(event, judge.challenges.length);
      if (judge.state.kind === 'failed') {
        failure = judge.state.reason;
        return ok(finish());
      }
      if (judge.state.kind === 'passed') passedAt = at;
    }
    // Passed: compare once a frontal frame after the first has been kept, or when time is up.
    if (passedAt !== undefined && (descriptors.length >= 2 || at - passedAt > options.finalFrameMs)) return ok(finish());
    return undefined;
  }
}

function observed(face: AnalysedFace): { box: AnalysedFace['detection']['box']; yaw: number; leftEye?: number; rightEye?: number } {
  return face.eyes ? { box: face.detection.box, yaw: face.pose.yaw, leftEye: face.pose.leftEye, rightEye: face.pose.rightEye } : { box: face.detection.box, yaw: face.pose.yaw };
}
