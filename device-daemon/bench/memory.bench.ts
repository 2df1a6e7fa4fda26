// The daemon's resident memory with the face models loaded (PRODUCT.md section 7: at most 300 MB):
// the built daemon on the tests' full default simulated site (both cameras, the scanner, the face
// service), read from /proc/<pid>/status once the face service is ready, and again after rounds of
// face-free commands (status, capabilities, a card read, a queue ticket, a document picture), and
// again after face checks (Face.Verify of the card holder, who answers the liveness challenges). For
// scale, the same daemon without the face camera and face service is measured the same way.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { startDaemon, stopAllDaemons, TEST_SITE, waitUntil, type DaemonProcess } from '../../tests/support/daemon-process';
import { evalFace, evalFacesPresent } from '../src/testing/eval-faces';
import { WsTestClient } from '../src/testing/ws-test-client';
import { HOLDER_CARD } from '../../tests/support/sandboxes';
import { report, summarise } from './stats';

const ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 5);
const FACE_CHECKS = Number(process.env.BENCH_MEMORY_FACE_CHECKS ?? 3);
const SAMPLES = 10;
const MB = 1024 * 1024;
const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;

const documentCameraOnline = z.object({ devices: z.object({ documentCamera: z.object({ common: z.object({ device: z.literal('online') }) }) }) });
const statusSchema = z.object({ face: z.optional(z.object({ kind: z.string() })) });

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no ${field} for ${pid}`);
  return Number(match[1]) * 1024;
}

/** Ten readings 200 ms apart: the resident set moves with collections and frames in flight. */
async function sampleRss(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    out.push(mb(procStatus(pid, 'VmRSS')));
    await sleep(200);
  }
  return out;
}

/** The document camera's preview is up: after start-up and after each still (ffmpeg is reopened). */
async function documentCameraUp(client: WsTestClient): Promise<void> {
  await waitUntil(async () => documentCameraOnline.safeParse((await client.completion(client.command('Common.Status', { device: 'documentCamera' }))).payload).success, 60_000, 'the document camera');
  client.messages.length = 0;
}

async function faceFreeRound(daemon: DaemonProcess, client: WsTestClient, round: number, card: string): Promise<void> {
  const expect = async (name: string, payload: unknown, timeoutMs = 30_000): Promise<void> => {
    const done = await client.completion(client.command(name, payload), timeoutMs);
    if (done.header.completionCode !== 'success') throw new Error(`${name} completed ${done.header.completionCode}: ${JSON.stringify(done.payload)}`);
  };
  await expect('Common.Status', {});
  await expect('Common.Capabilities', {});
  await daemon.simulate('idCardReader', { action: 'place', card });
  await expect('IdCard.Read', {});
  await daemon.simulate('idCardReader', { action: 'remove' });
  await expect('Printer.PrintForm', { template: 'queue-ticket', data: { number: `M${100 + round}`, service: '户籍', waiting: 1, issuedAt: '2026-11-22T10:20:00+08:00' } });
  await documentCameraUp(client);
  await expect('Camera.TakePicture', { device: 'documentCamera' }, 60_000);
  client.messages.length = 0;
}

/** One face check of the holder in front of the camera, each challenge answered after 500 ms. */
async function faceCheck(daemon: DaemonProcess, client: WsTestClient): Promise<void> {
  await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
  const read = await client.completion(client.command('IdCard.Read', {}));
  if (read.header.completionCode !== 'success') throw new Error(`IdCard.Read completed ${read.header.completionCode}`);
  const id = client.command('Face.Verify', { reference: { kind: 'card', readId: String(read.payload.readId) } });
  const performing: Promise<unknown>[] = [];
  const stop = client.events(id, (name, payload) => {
    if (name === 'Face.ChallengeEvent' && payload['state'] === 'started') performing.push(daemon.simulate('faceCamera', { action: 'perform', gesture: payload['challenge'], afterMs: 500 }));
  });
  const done = await client.completion(id, 60_000);
  stop();
  await Promise.all(performing);
  await daemon.simulate('idCardReader', { action: 'remove' });
  if (done.header.completionCode !== 'success' || done.payload.verified !== true) throw new Error(`Face.Verify: ${done.header.completionCode} ${JSON.stringify(done.payload)}`);
  client.messages.length = 0;
}

interface Measured {
  readonly ready: number[];
  readonly afterCommands: number[];
  readonly afterFaceChecks: number[] | undefined;
  readonly peak: number;
  readonly face: string;
}

async function measure(site: unknown, withFace: boolean, card: string): Promise<Measured> {
  const daemon = await startDaemon({ site });
  try {
    const pid = daemon.child.pid;
    if (pid === undefined) throw new Error('the daemon has no pid');
    let face = 'unknown';
    await waitUntil(
      async () => {
        face = statusSchema.parse(await (await daemon.ops('/v1/status')).json()).face?.kind ?? 'absent';
        return withFace ? face === 'ready' : face !== 'loading';
      },
      120_000,
      'the face service',
    );
    if (withFace && face !== 'ready') throw new Error(`face service ${face}`);
    const client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
    await documentCameraUp(client);
    const ready = await sampleRss(pid);
    for (let round = 0; round < ROUNDS; round += 1) await faceFreeRound(daemon, client, round, card);
    client.close();
    await client.closed;
    const afterCommands = await sampleRss(pid);
    let afterFaceChecks: number[] | undefined;
    if (withFace && evalFacesPresent && FACE_CHECKS > 0) {
      await daemon.simulate('faceCamera', { action: 'show', image: evalFace('raj_1.png') });
      const checker = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
      for (let i = 0; i < FACE_CHECKS; i += 1) await faceCheck(daemon, checker);
      checker.close();
      await checker.closed;
      afterFaceChecks = await sampleRss(pid);
    }
    return { ready, afterCommands, afterFaceChecks, peak: mb(procStatus(pid, 'VmHWM')), face };
  } finally {
    await stopAllDaemons();
  }
}

// The holder's card carries one of the evaluation faces, so a check of him in front of the camera passes.
const fullSite = evalFacesPresent
  ? { ...TEST_SITE, devices: { ...TEST_SITE.devices, idCardReader: { ...TEST_SITE.devices.idCardReader, simulator: { cards: [{ ...HOLDER_CARD, photo: evalFace('raj_4.png') }] } } }, face: { liveness: { challengeTimeoutMs: 4_000 }, positioningTimeoutMs: 6_000 } }
  : TEST_SITE;
const leanSite = { ...TEST_SITE, devices: { ...TEST_SITE.devices, faceCamera: null }, face: { enabled: false } };

try {
  const full = await measure(fullSite, true, evalFacesPresent ? 'holder' : 'resident-zhang');
  const lean = await measure(leanSite, false, 'resident-zhang');
  const fullAfter = summarise(full.afterCommands);
  const leanAfter = summarise(lean.afterCommands);
  report('daemon.rss.modelsLoaded', 'MB', fullAfter, {
    value: fullAfter.max,
    readyMB: summarise(full.ready).p50,
    peakMB: full.peak,
    peer: 'daemon.rss.withoutFace',
    ratioP50: Math.round((fullAfter.p50 / leanAfter.p50) * 100) / 100,
    face: full.face,
    note: `default simulated site, face service ${full.face}; ${SAMPLES} readings of VmRSS 200 ms apart after ${ROUNDS} rounds of face-free commands (status, capabilities, card read, queue ticket, document picture); once ready: p50 ${summarise(full.ready).p50} MB; VmHWM (peak, start-up included) ${full.peak} MB`,
  });
  if (full.afterFaceChecks) {
    const afterChecks = summarise(full.afterFaceChecks);
    report('daemon.rss.afterFaceChecks', 'MB', afterChecks, {
      value: afterChecks.max,
      note: `the same daemon after ${FACE_CHECKS} face checks of the card holder (detection, landmarks, liveness challenges, descriptor); ${SAMPLES} readings 200 ms apart`,
    });
  } else {
    console.error(`memory: no face checks measured (${evalFacesPresent ? 'BENCH_MEMORY_FACE_CHECKS=0' : 'the evaluation faces are not beside the project'})`);
  }
  report('daemon.rss.withoutFace', 'MB', leanAfter, {
    value: leanAfter.max,
    readyMB: summarise(lean.ready).p50,
    peakMB: lean.peak,
    note: `the same site without the face camera and face service (models not loaded); VmHWM ${lean.peak} MB`,
  });
} finally {
  await stopAllDaemons();
}
