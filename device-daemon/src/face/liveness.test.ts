import { describe, expect, it } from 'vitest';
import type { LivenessChallenge } from '../protocol';
import { DEFAULT_LIVENESS, LivenessJudge, type LivenessEvent, type LivenessObservation } from './liveness';

const FRAME_MS = 66;
const OPEN = 0.3;
const CLOSED = 0.1;
const BOX = { x: 200, y: 120, width: 220, height: 220 };

interface Pose {
  yaw?: number;
  ear?: number;
  faces?: number;
  box?: typeof BOX;
  identityDistance?: number;
  noFace?: boolean;
}

/** A sequence of frames at 15 fps: each segment holds a pose for a duration, or ramps yaw linearly to a value. */
class Script {
  readonly frames: LivenessObservation[] = [];
  #at = 0;
  #yaw = 0;

  hold(ms: number, pose: Pose = {}): this {
    for (let t = 0; t < ms; t += FRAME_MS) this.#push(pose);
    return this;
  }

  turnTo(yaw: number, ms: number, pose: Pose = {}): this {
    const from = this.#yaw;
    const steps = Math.max(1, Math.round(ms / FRAME_MS));
    for (let i = 1; i <= steps; i += 1) this.#push({ ...pose, yaw: from + ((yaw - from) * i) / steps });
    return this;
  }

  blink(closedMs = 200): this {
    return this.hold(closedMs, { ear: CLOSED }).hold(FRAME_MS, {});
  }

  #push(pose: Pose): void {
    if (pose.yaw !== undefined) this.#yaw = pose.yaw;
    const face = pose.noFace ? undefined : { box: pose.box ?? BOX, yaw: this.#yaw, leftEye: pose.ear ?? OPEN, rightEye: pose.ear ?? OPEN };
    this.frames.push({ at: this.#at, faces: pose.noFace ? 0 : (pose.faces ?? 1), ...(face ? { face } : {}), ...(pose.identityDistance !== undefined ? { identityDistance: pose.identityDistance } : {}) });
    this.#at += FRAME_MS;
  }
}

function judge(challenges: LivenessChallenge[], script: Script): { judge: LivenessJudge; events: LivenessEvent[] } {
  const j = new LivenessJudge(challenges);
  const events: LivenessEvent[] = [];
  for (const frame of script.frames) events.push(...j.observe(frame));
  return { judge: j, events };
}

/** A person reacting after about half a second. */
const react = (s: Script): Script => s.hold(500);

describe('liveness judge', () => {
  it('passes a person who turns left, comes back, then blinks', () => {
    const s = react(new Script()).turnTo(35, 400).hold(300).turnTo(0, 400).hold(300);
    react(s).blink().hold(300);
    const { judge: j, events } = judge(['turnLeft', 'blink'], s);
    expect(j.state).toEqual({ kind: 'passed' });
    expect(events.map((e) => `${e.kind}:${e.challenge}`)).toEqual(['started:turnLeft', 'passed:turnLeft', 'started:blink', 'passed:blink']);
    expect(j.results()).toEqual([
      { challenge: 'turnLeft', passed: true },
      { challenge: 'blink', passed: true },
    ]);
  });

  it('passes turn right then turn left; positive yaw is the subject turning to their own left', () => {
    const s = react(new Script()).turnTo(-32, 500).hold(200).turnTo(0, 500).hold(400).turnTo(32, 500).turnTo(0, 500);
    expect(judge(['turnRight', 'turnLeft'], s).judge.state).toEqual({ kind: 'passed' });
  });

  it('does not count a turn that stops short of the threshold', () => {
    const s = react(new Script()).turnTo(DEFAULT_LIVENESS.turnDegrees - 3, 500).turnTo(0, 500).hold(500);
    expect(judge(['turnLeft', 'blink'], s).judge.state).toEqual({ kind: 'running', index: 0 });
  });

  it('fails a turn completed sooner than a person can react: too fast', () => {
    const s = new Script().turnTo(35, 130).turnTo(0, 300);
    const { judge: j, events } = judge(['turnLeft', 'blink'], s);
    expect(j.state).toEqual({ kind: 'failed', reason: 'tooFast', index: 0 });
    expect(events.at(-1)).toEqual({ kind: 'failed', index: 0, challenge: 'turnLeft', reason: 'tooFast' });
  });

  it('ignores a spontaneous blink right after the prompt and counts the next one', () => {
    const early = new Script().hold(FRAME_MS).blink(FRAME_MS).hold(400);
    expect(judge(['blink', 'turnLeft'], early).judge.state).toEqual({ kind: 'running', index: 0 });
    early.blink(200).hold(200);
    expect(judge(['blink', 'turnLeft'], early).judge.state).toEqual({ kind: 'running', index: 1 });
  });

  it('takes no blink from frames measured without eyelids', () => {
    const j = new LivenessJudge(['blink', 'turnLeft']);
    let at = 0;
    const frame = (ear: number | undefined): void => {
      j.observe({ at, faces: 1, face: { box: BOX, yaw: 0, ...(ear === undefined ? {} : { leftEye: ear, rightEye: ear }) } });
      at += FRAME_MS;
    };
    for (let i = 0; i < 8; i += 1) frame(i < 4 ? OPEN : undefined);
    for (let i = 0; i < 4; i += 1) frame(undefined);
    frame(OPEN);
    expect(j.state).toEqual({ kind: 'running', index: 0 });
    for (const ear of [CLOSED, CLOSED, OPEN]) frame(ear);
    expect(j.state).toEqual({ kind: 'running', index: 1 });
    expect(j.current).toBe('turnLeft');
  });

  it('fails the challenges performed in the wrong order (a replayed recording)', () => {
    const s = react(new Script()).turnTo(-35, 500).turnTo(0, 500);
    expect(judge(['turnLeft', 'turnRight'], s).judge.state).toEqual({ kind: 'failed', reason: 'wrongOrder', index: 0 });
    const blinkFirst = react(new Script()).turnTo(35, 500);
    expect(judge(['blink', 'turnLeft'], blinkFirst).judge.state).toEqual({ kind: 'failed', reason: 'wrongOrder', index: 0 });
  });

  it('lets a person blink while turning: blinks are natural, not another challenge', () => {
    const s = react(new Script()).turnTo(20, 300).blink(130).turnTo(35, 200).turnTo(0, 400);
    expect(judge(['turnLeft', 'turnRight'], s).judge.state).toEqual({ kind: 'running', index: 1 });
  });

  it('fails when the face is swapped mid-challenge: the box jumps between frames', () => {
    const s = react(new Script()).turnTo(15, 300).hold(FRAME_MS, { box: { ...BOX, x: BOX.x + 180 } }).turnTo(35, 300);
    expect(judge(['turnLeft', 'blink'], s).judge.state).toEqual({ kind: 'failed', reason: 'faceSwapped', index: 0 });
  });

  it('fails when the face is swapped mid-challenge: a different descriptor in the same place', () => {
    const s = react(new Script()).turnTo(35, 500).turnTo(0, 300).hold(300, { identityDistance: 0.2 }).hold(FRAME_MS, { identityDistance: 0.9 });
    const { judge: j } = judge(['turnLeft', 'blink'], s);
    expect(j.state).toEqual({ kind: 'failed', reason: 'faceSwapped', index: 1 });
    expect(j.results()).toEqual([
      { challenge: 'turnLeft', passed: true },
      { challenge: 'blink', passed: false },
    ]);
  });

  it('fails when the face grows or shrinks too much between two frames', () => {
    const s = react(new Script()).hold(FRAME_MS, { box: { ...BOX, width: BOX.width * 1.6, height: BOX.height * 1.6 } });
    expect(judge(['blink', 'turnLeft'], s).judge.state).toMatchObject({ kind: 'failed', reason: 'faceSwapped' });
  });

  it('tolerates a short dropout but fails when the face is lost', () => {
    const brief = react(new Script()).hold(300, { noFace: true }).turnTo(35, 500).turnTo(0, 400);
    expect(judge(['turnLeft', 'blink'], brief).judge.state).toEqual({ kind: 'running', index: 1 });
    const lost = react(new Script()).hold(DEFAULT_LIVENESS.maxGapMs + 200, { noFace: true });
    expect(judge(['turnLeft', 'blink'], lost).judge.state).toEqual({ kind: 'failed', reason: 'faceLost', index: 0 });
  });

  it('fails when a second face appears', () => {
    const s = react(new Script()).hold(FRAME_MS, { faces: 2 });
    expect(judge(['turnLeft', 'blink'], s).judge.state).toEqual({ kind: 'failed', reason: 'multipleFaces', index: 0 });
  });

  it('times out on a still picture that never moves', () => {
    const s = new Script().hold(DEFAULT_LIVENESS.challengeTimeoutMs + 500);
    const { judge: j, events } = judge(['blink', 'turnRight'], s);
    expect(j.state).toEqual({ kind: 'failed', reason: 'timeout', index: 0 });
    expect(events.filter((e) => e.kind === 'failed')).toHaveLength(1);
  });

  it('says nothing more once decided', () => {
    const s = new Script().hold(DEFAULT_LIVENESS.challengeTimeoutMs + 500);
    const { judge: j } = judge(['blink', 'turnRight'], s);
    expect(j.observe({ at: 1e6, faces: 1, face: { box: BOX, yaw: 0, leftEye: OPEN, rightEye: OPEN } })).toEqual([]);
  });
});
