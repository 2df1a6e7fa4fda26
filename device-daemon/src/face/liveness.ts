// The active liveness judge: a random sequence of challenges (turn left, turn right, blink) judged
// from landmark measurements over consecutive frames of one continuous face track. Pure: it sees
// observations stamped with their frame times and nothing else, so every edge case is a unit test.
import type { LivenessChallenge, LivenessFailure } from '../protocol';
import type { Box } from './detector';

export interface LivenessObservation {
  /** Frame time, ms (monotonic). */
  readonly at: number;
  /** Faces in the frame large enough to matter. */
  readonly faces: number;
  /** The tracked face's measurements, when there is a face. */
  readonly face?: {
    readonly box: Box;
    /** Degrees; positive when the subject turns to their own left. */
    readonly yaw: number;
    /** Eye openness from the refined eyelids; absent on frames measured without them. */
    readonly leftEye?: number | undefined;
    readonly rightEye?: number | undefined;
  };
  /** Descriptor distance from the track's first face, on frames where it was computed. */
  readonly identityDistance?: number;
}

export interface LivenessOptions {
  /** Yaw a turn must reach. */
  readonly turnDegrees: number;
  /** Yaw under which the head counts as facing the screen again. */
  readonly frontalDegrees: number;
  /** Eyes count as closed under this share of the open baseline, and open again over `openRatio`. */
  readonly closedRatio: number;
  readonly openRatio: number;
  /** A turn sooner than this after the prompt is not a person reacting to it; an earlier blink is spontaneous and not counted. */
  readonly minReactionMs: number;
  readonly challengeTimeoutMs: number;
  /** Longer than this without a face and the track is lost. */
  readonly maxGapMs: number;
  /** Between consecutive frames the face may move this share of its width, and grow or shrink by this factor. */
  readonly maxJump: number;
  readonly maxScaleChange: number;
  /** Descriptor distance from the first face above which it is someone else: frames of one person on one camera differ far less than the match threshold allows. */
  readonly swapDistance: number;
}

export const DEFAULT_LIVENESS: LivenessOptions = {
  turnDegrees: 25,
  frontalDegrees: 12,
  closedRatio: 0.6,
  openRatio: 0.85,
  minReactionMs: 200,
  challengeTimeoutMs: 8_000,
  maxGapMs: 700,
  maxJump: 0.5,
  maxScaleChange: 1.4,
  swapDistance: 0.45,
};

export type LivenessEvent =
  | { readonly kind: 'started'; readonly index: number; readonly challenge: LivenessChallenge }
  | { readonly kind: 'passed'; readonly index: number; readonly challenge: LivenessChallenge }
  | { readonly kind: 'failed'; readonly index: number; readonly challenge: LivenessChallenge; readonly reason: LivenessFailure };

export type LivenessState = { readonly kind: 'running'; readonly index: number } | { readonly kind: 'passed' } | { readonly kind: 'failed'; readonly reason: LivenessFailure; readonly index: number };

type Step = 'turn' | 'return' | 'open' | 'close' | 'reopen';

const firstStep = (challenge: LivenessChallenge): Step => (challenge === 'blink' ? 'open' : 'turn');

/** Median of at most this many frontal eye measurements makes the open-eye baseline. */
const BASELINE_SAMPLES = 15;

export class LivenessJudge {
  #state: LivenessState = { kind: 'running', index: 0 };
  #step: Step;
  #startedAt: number | undefined;
  #last: { at: number; box: Box } | undefined;
  readonly #baseline: number[] = [];
  readonly #results: boolean[] = [];
  /** The current challenge's action is complete. */
  #done = false;

  constructor(
    readonly challenges: readonly LivenessChallenge[],
    private readonly options: LivenessOptions = DEFAULT_LIVENESS,
  ) {
    if (challenges.length === 0) throw new Error('a liveness check needs at least one challenge');
    this.#step = firstStep(challenges[0]!);
  }

  get state(): LivenessState {
    return this.#state;
  }

  /** The challenge being judged now, if any. */
  get current(): LivenessChallenge | undefined {
    return this.#state.kind === 'running' ? this.challenges[this.#state.index] : undefined;
  }

  /** Per challenge, whether it was passed (false for the failed one and those never reached). */
  results(): Array<{ challenge: LivenessChallenge; passed: boolean }> {
    return this.challenges.map((challenge, i) => ({ challenge, passed: this.#results[i] ?? false }));
  }

  observe(observation: LivenessObservation): LivenessEvent[] {
    if (this.#state.kind !== 'running') return [];
    const events: LivenessEvent[] = [];
    const index = this.#state.index;
    const challenge = this.challenges[index]!;
    if (this.#startedAt === undefined) {
      this.#startedAt = observation.at;
      events.push({ kind: 'started', index, challenge });
    }
    const failure = this.#continuity(observation) ?? this.#progress(observation, challenge);
    if (failure) {
      this.#state = { kind: 'failed', reason: failure, index };
      events.push({ kind: 'failed', index, challenge, reason: failure });
      return events;
    }
    return events.concat(this.#advanceIfDone(observation));
  }

  #advanceIfDone(observation: LivenessObservation): LivenessEvent[] {
    if (!this.#done || this.#state.kind !== 'running') return [];
    this.#done = false;
    const index = this.#state.index;
    const events: LivenessEvent[] = [{ kind: 'passed', index, challenge: this.challenges[index]! }];
    this.#results[index] = true;
    const next = index + 1;
    if (next >= this.challenges.length) {
      this.#state = { kind: 'passed' };
      return events;
    }
    this.#state = { kind: 'running', index: next };
    this.#step = firstStep(this.challenges[next]!);
    this.#startedAt = observation.at;
    events.push({ kind: 'started', index: next, challenge: this.challenges[next]! });
    return events;
  }

  /** One continuous track of one person: no second face, no gap, no jump, no change of identity. */
  #continuity(observation: LivenessObservation): LivenessFailure | undefined {
    const o = this.options;
    if (observation.faces > 1) return 'multipleFaces';
    const face = observation.face;
    if (!face) {
      if (this.#last && observation.at - this.#last.at > o.maxGapMs) return 'faceLost';
      return undefined;
    }
    const last = this.#last;
    this.#last = { at: observation.at, box: face.box };
    if (last) {
      if (observation.at - last.at > o.maxGapMs) return 'faceLost';
      const moved = Math.hypot(face.box.x + face.box.width / 2 - (last.box.x + last.box.width / 2), face.box.y + face.box.height / 2 - (last.box.y + last.box.height / 2));
      const scale = face.box.width / last.box.width;
      if (moved > o.maxJump * last.box.width || scale > o.maxScaleChange || scale < 1 / o.maxScaleChange) return 'faceSwapped';
    }
    if (observation.identityDistance !== undefined && observation.identityDistance > o.swapDistance) return 'faceSwapped';
    return undefined;
  }

  #progress(observation: LivenessObservation, challenge: LivenessChallenge): LivenessFailure | undefined {
    const o = this.options;
    const startedAt = this.#startedAt ?? observation.at;
    const elapsed = observation.at - startedAt;
    if (elapsed > o.challengeTimeoutMs) return 'timeout';
    const face = observation.face;
    if (!face) return undefined;
    const frontal = Math.abs(face.yaw) <= o.frontalDegrees;
    // Without eyelid measurements a frame says nothing about the eyes.
    const ear = face.leftEye !== undefined && face.rightEye !== undefined ? (face.leftEye + face.rightEye) / 2 : undefined;
    if (ear !== undefined && frontal && this.#step !== 'close' && this.#step !== 'reopen' && this.#baseline.length < BASELINE_SAMPLES) this.#baseline.push(ear);
    const baseline = ear === undefined ? undefined : median(this.#baseline);
    const wanted = challenge === 'turnLeft' ? 1 : challenge === 'turnRight' ? -1 : 0;
    const turned = face.yaw >= o.turnDegrees ? 1 : face.yaw <= -o.turnDegrees ? -1 : 0;
    // A full turn other than the one asked is another challenge's action: a replay, not a reaction.
    if (turned !== 0 && turned !== wanted && this.#step !== 'return') return 'wrongOrder';
    switch (this.#step) {
      case 'turn':
        if (turned === wanted) {
          if (elapsed < o.minReactionMs) return 'tooFast';
          this.#step = 'return';
        }
        return undefined;
      case 'return':
        if (frontal) this.#done = true;
        return undefined;
      case 'open':
        if (baseline !== undefined && ear !== undefined && frontal && ear >= baseline * o.openRatio) this.#step = 'close';
        return undefined;
      case 'close':
        // A closure before anyone could react to the prompt is a spontaneous blink: wait for the next.
        if (baseline !== undefined && ear !== undefined && frontal && ear < baseline * o.closedRatio) this.#step = elapsed < o.minReactionMs ? 'open' : 'reopen';
        return undefined;
      case 'reopen':
        if (baseline !== undefined && ear !== undefined && ear >= baseline * o.openRatio) this.#done = true;
        return undefined;
    }
  }
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
