// The 1:1 face check end to end: the real daemon, the card read through the virtual SAM (its photo
// one of the evaluation faces), the face camera's scene encoded by ffmpeg and split by the daemon,
// Face.Verify over the WebSocket with a scripted resident who answers each challenge half a second
// after it is asked. The evaluation faces are read where they are, beside the project.
import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionMessage } from '../device-daemon/src/protocol';
import { EVAL_FACES_SKIP_REASON, evalFace, evalFacesPresent } from '../device-daemon/src/testing/eval-faces';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { HOLDER_CARD } from './support/sandboxes';
import { ROOT, startDaemon, stopAllDaemons, TEST_SITE, waitUntil, type DaemonProcess } from './support/daemon-process';

function site(extra: Record<string, unknown> = {}): unknown {
  return {
    ...TEST_SITE,
    devices: { ...TEST_SITE.devices, idCardReader: { ...TEST_SITE.devices.idCardReader, simulator: { cards: [{ ...HOLDER_CARD, photo: evalFace('raj_4.png') }] } } },
    face: { liveness: { challengeTimeoutMs: 4_000 }, positioningTimeoutMs: 6_000 },
    // The embedded platform sandbox holds an identity photo of the holder: another picture of him.
    backends: { sandbox: { identityPhotos: { [HOLDER_CARD.idNumber]: evalFace('raj_2.png') } } },
    ...extra,
  };
}

let daemon: DaemonProcess;
let client: WsTestClient;
let readId: string;

describe.skipIf(!evalFacesPresent)(`Face.Verify over the WebSocket${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, { timeout: 90_000 }, () => {
  beforeAll(async () => {
    daemon = await startDaemon({ site: site() });
    client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
    await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
    await client.unsolicited('IdCard.CardInserted');
    const read = await client.completion(client.command('IdCard.Read', {}));
    expect(read.payload).toMatchObject({ photo: { available: true } });
    readId = String(read.payload.readId);
  });

  afterAll(async () => {
    expect(client.malformed).toEqual([]);
    client.close();
    expect(await daemon.stop()).toBe(0);
    await stopAllDaemons();
  });

  /** Changes the scene, then waits until frames of the new scene have gone through ffmpeg. */
  async function scene(control: Record<string, unknown>): Promise<void> {
    const state = (await daemon.simulate('faceCamera', control)) as { framesWritten: number };
    const written = async (): Promise<number> => ((await (await daemon.ops('/v1/simulator/faceCamera')).json()) as { framesWritten: number }).framesWritten;
    await waitUntil(async () => (await written()) >= state.framesWritten + 4, 10_000, 'frames of the new scene');
  }

  /** Starts a check; the resident performs each challenge 500 ms after it is asked, if `perform`. */
  async function faceCheck(perform: boolean, onChallenge?: (payload: Record<string, unknown>) => void): Promise<{ done: CompletionMessage; events: Array<[string, Record<string, unknown>]> }> {
    const id = client.command('Face.Verify', { reference: { kind: 'card', readId } });
    const events: Array<[string, Record<string, unknown>]> = [];
    const performing: Promise<unknown>[] = [];
    const stop = client.events(id, (name, payload) => {
      events.push([name, payload]);
      if (name !== 'Face.ChallengeEvent' || payload['state'] !== 'started') return;
      onChallenge?.(payload);
      if (perform) performing.push(daemon.simulate('faceCamera', { action: 'perform', gesture: payload['challenge'], afterMs: 500 }));
    });
    const done = await client.completion(id, 60_000);
    stop();
    await Promise.all(performing);
    return { done, events };
  }

  it('verifies the card holder, who answers both challenges, and only then opens his certificates', async () => {
    const before = await client.completion(client.command('Platform.Certificates', { readId }), 20_000);
    expect([before.header.completionCode, before.payload.errorCode]).toEqual(['commandErrorCode', 'notVerified']);
    await scene({ action: 'show', image: evalFace('raj_1.png') });
    const { done, events } = await faceCheck(true);
    expect(done.header.completionCode).toBe('success');
    expect(done.payload).toMatchObject({ verified: true, match: true, threshold: 0.6, liveness: { passed: true } });
    expect(Number(done.payload.score)).toBeLessThan(0.6);
    const challenges = events.filter(([name]) => name === 'Face.ChallengeEvent').map(([, p]) => `${String(p['state'])}:${String(p['challenge'])}`);
    expect(challenges).toHaveLength(4);
    expect(challenges.filter((c) => c.startsWith('passed'))).toHaveLength(2);
    expect(events[0]).toEqual(['Face.PromptEvent', expect.objectContaining({ prompt: 'ok' })]);
    // Nothing biometric crosses the WebSocket: the completion holds the decision and the score only.
    expect(Object.keys(done.payload).sort()).toEqual(['liveness', 'match', 'score', 'threshold', 'verified']);
    const after = await client.completion(client.command('Platform.Certificates', { readId }), 20_000);
    expect(after.header.completionCode).toBe('success');
  });

  it('verifies the holder against the platform\'s identity photo too', async () => {
    await scene({ action: 'show', image: evalFace('raj_1.png') });
    const id = client.command('Face.Verify', { reference: { kind: 'platform', readId } });
    const stop = client.events(id, (name, payload) => {
      if (name === 'Face.ChallengeEvent' && payload['state'] === 'started') void daemon.simulate('faceCamera', { action: 'perform', gesture: payload['challenge'], afterMs: 500 });
    });
    const done = await client.completion(id, 60_000);
    stop();
    expect(done.payload).toMatchObject({ verified: true, match: true });
  });

  it('does not verify a different person with the holder’s card', async () => {
    await scene({ action: 'show', image: evalFace('sheldon_1.png') });
    const { done } = await faceCheck(true);
    expect(done.payload).toMatchObject({ verified: false, match: false });
    expect(Number(done.payload.score)).toBeGreaterThan(0.6);
  });

  it('fails liveness for a looped still picture of the holder', async () => {
    await scene({ action: 'still', image: evalFace('raj_1.png') });
    // A photo cannot answer: the scene refuses gestures for a still.
    const { done, events } = await faceCheck(false);
    expect(done.payload).toMatchObject({ verified: false, liveness: { passed: false, reason: 'timeout' } });
    expect(events.at(-1)).toEqual(['Face.ChallengeEvent', expect.objectContaining({ state: 'failed', reason: 'timeout' })]);
  });

  it('prompts while nobody is in front of the camera, and ends the check when the card is taken', async () => {
    await scene({ action: 'leave' });
    const id = client.command('Face.Verify', { reference: { kind: 'card', readId } });
    await client.waitFor((m) => m.header.type === 'event' && m.header.requestId === id && m.payload?.['prompt'] === 'noFace', 10_000, 'noFace prompt');
    await daemon.simulate('idCardReader', { action: 'remove' });
    const done = await client.completion(id, 20_000);
    expect([done.header.completionCode, done.payload['errorCode']]).toEqual(['commandErrorCode', 'cardRemoved']);
    const stale = await client.completion(client.command('Face.Verify', { reference: { kind: 'card', readId } }));
    expect([stale.header.completionCode, stale.payload['errorCode']]).toEqual(['commandErrorCode', 'noReference']);
  });
});

describe('a face service whose models do not match', { timeout: 60_000 }, () => {
  it('stays unavailable, names the file, and the rest of the daemon runs on', async () => {
    const models = mkdtempSync(join(tmpdir(), 'kiosk-bad-models-'));
    copyFileSync(join(ROOT, 'models', 'manifest.json'), join(models, 'manifest.json'));
    copyFileSync(join(ROOT, 'models', 'facemesh.onnx'), join(models, 'blazeface-front.onnx'));
    const broken = await startDaemon({ site: { ...TEST_SITE, face: { modelsDir: models } } });
    const status = (await (await broken.ops('/v1/status')).json()) as { face: { kind: string; reason: string } };
    expect(status.face.kind).toBe('unavailable');
    expect(status.face.reason).toMatch(/^model file blazeface-front\.onnx does not match models\/manifest\.json/);
    const metrics = await (await broken.ops('/metrics')).text();
    expect(metrics).toContain('kiosk_face_service_state{state="unavailable"} 1');
    const ws = await WsTestClient.connect(`${broken.wsUrl}?token=${broken.uiToken}`);
    const verify = await ws.completion(ws.command('Face.Verify', { reference: { kind: 'card', readId: 'none' } }));
    expect([verify.header.completionCode, verify.payload['errorCode']]).toEqual(['commandErrorCode', 'faceServiceUnavailable']);
    const alive = await ws.completion(ws.command('Common.Status', {}));
    expect(alive.header.completionCode).toBe('success');
    ws.close();
    expect(await broken.stop()).toBe(0);
  });
});
