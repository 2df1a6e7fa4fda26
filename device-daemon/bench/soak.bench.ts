// The soak (npm run soak): 10,000 simulated resident sessions of mixed journeys over the WebSocket
// (tests/support/soak-sessions.ts) against the daemon on the full default site, face models
// loaded, with the platform and gateway sandboxes in this process. The daemon's resident set is
// read from /proc every 100 sessions; the first 1,000 sessions are the warm-up. A sixth of the card
// journeys add a face check (when the evaluation faces are beside the project), so inference runs
// throughout. PRODUCT.md section 7: at most 300 MB resident with models loaded, under 5% growth over
// the sessions.
import { startDaemon, stopAllDaemons, waitUntil } from '../../tests/support/daemon-process';
import { startSandboxes } from '../../tests/support/sandboxes';
import { diagnostics, residentBytes, SOAK_FACE_SCENE, SOAK_FACES, soakSite, SoakDriver } from '../../tests/support/soak-sessions';
import type { Diagnostics } from '../src/ops/diagnostics';
import { WsTestClient } from '../src/testing/ws-test-client';
import { report, summarise } from './stats';

const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 10_000);
const WARM_UP = Number(process.env.SOAK_WARMUP ?? Math.min(1_000, Math.floor(SESSIONS / 10)));
const SAMPLE_EVERY = 100;
const FACE_SHARE = SOAK_FACES ? Number(process.env.SOAK_FACE_SHARE ?? 1 / 6) : 0;
const MB = 1024 * 1024;
const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;
const pct = (from: number, to: number): number => Math.round(((to - from) / from) * 1000) / 10;
const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
const byType = (d: Diagnostics): string =>
  Object.entries(d.resources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
const median = (values: readonly number[]): number => summarise(values).p50;

const sandboxes = await startSandboxes();
const daemon = await startDaemon({ site: soakSite(sandboxes, false), env: { NODE_OPTIONS: '--expose-gc' } });
const pid = daemon.child.pid;
if (pid === undefined) throw new Error('the daemon has no pid');
try {
  const probe = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  await waitUntil(async () => (await probe.completion(probe.command('Platform.Catalogue', {}))).header.completionCode === 'success', 30_000, 'catalogue');
  await waitUntil(async () => ((await probe.completion(probe.command('Common.Status', { device: 'documentCamera' }))).payload as { devices: { documentCamera: { common: { device: string } } } }).devices.documentCamera.common.device === 'online', 30_000, 'document camera');
  probe.close();
  await probe.closed;
  const status: unknown = await (await daemon.ops('/v1/status')).json();
  const face = typeof status === 'object' && status !== null && 'face' in status && typeof status.face === 'object' && status.face !== null && 'kind' in status.face ? String(status.face.kind) : 'unknown';
  console.error(`soak: daemon ${pid} up, face service ${face}; ${SESSIONS} sessions, warm-up ${WARM_UP}, face checks in ${Math.round(FACE_SHARE * 100)}% of card journeys`);
  if (FACE_SHARE > 0) await daemon.simulate('faceCamera', { action: 'show', image: SOAK_FACE_SCENE });

  const start = await diagnostics(daemon);
  const rss: { at: number; bytes: number }[] = [{ at: 0, bytes: residentBytes(pid) }];
  let warm: Diagnostics | undefined;
  let warmRss = 0;
  const driver = new SoakDriver(daemon, { seed: 7_000_001, gateway: sandboxes.gateway, faceShare: FACE_SHARE });
  const began = performance.now();
  let warmAt = began;
  await driver.run(SESSIONS, SAMPLE_EVERY, async (done) => {
    const bytes = residentBytes(pid);
    rss.push({ at: done, bytes });
    if (done === WARM_UP) {
      warmRss = bytes;
      warm = await diagnostics(daemon);
      warmAt = performance.now();
    }
    if (done % 1_000 === 0) console.error(`soak: ${done} sessions, rss ${mb(bytes)} MB, ${driver.tally.unexpected.length} unexpected`);
  });
  const ended = performance.now();
  const endRss = residentBytes(pid);
  await driver.close();
  await waitUntil(async () => (await diagnostics(daemon, false)).ws.sockets === 0, 30_000, 'socket closed');
  const end = await diagnostics(daemon);
  if (!warm) throw new Error('no warm-up sample');

  const after = rss.filter((s) => s.at >= WARM_UP).map((s) => s.bytes);
  const maxRss = Math.max(...rss.map((s) => s.bytes));
  const growthPct = pct(warmRss, endRss);
  // Medians of ten samples either side: a plateau reads the same, a noisy sample does not move it.
  const earlyMedian = median(after.slice(0, 10));
  const lateMedian = median(after.slice(-10));
  const { tally } = driver;
  const rate = (SESSIONS - WARM_UP) / ((ended - warmAt) / 1000);
  const unexpected = tally.unexpected.length;

  // The growth is read from medians of the first and last ten samples after the warm-up: a single
  // sample can land on a transient (a model's arena, a frame in flight) and move either end.
  const medianGrowthPct = pct(earlyMedian, lateMedian);
  report('soak.daemon.rss', 'MB', { ...summarise(after.map(mb)), max: mb(maxRss) }, {
    warmupEndMB: mb(warmRss),
    endMB: mb(endRss),
    maxMB: mb(maxRss),
    startMB: mb(rss[0]?.bytes ?? 0),
    earlyMedianMB: mb(earlyMedian),
    lateMedianMB: mb(lateMedian),
    growthPct: medianGrowthPct,
    pointGrowthPct: growthPct,
    face,
    target: `<= 300 MB with models loaded (max ${mb(maxRss)}); growth after warm-up < 5% (medians ${medianGrowthPct}%)`,
    note: `start ${mb(rss[0]?.bytes ?? 0)}, warm-up end ${mb(warmRss)}, end ${mb(endRss)} MB (${growthPct}% point to point); medians of 10 samples ${mb(earlyMedian)} -> ${mb(lateMedian)} MB; ${WARM_UP} warm-up sessions, sampled every ${SAMPLE_EVERY}; face service ${face}`,
  });
  report('soak.daemon.heapUsedAfterGc', 'MB', summarise([mb(warm.memory.heapUsed), mb(end.memory.heapUsed)]), {
    warmupEndMB: mb(warm.memory.heapUsed),
    endMB: mb(end.memory.heapUsed),
    growthPct: pct(warm.memory.heapUsed, end.memory.heapUsed),
    externalMB: [mb(warm.memory.external), mb(end.memory.external)],
    arrayBuffersMB: [mb(warm.memory.arrayBuffers), mb(end.memory.arrayBuffers)],
    note: `heapUsed after gc: ${mb(start.memory.heapUsed)} at start, ${mb(warm.memory.heapUsed)} after warm-up, ${mb(end.memory.heapUsed)} at end`,
  });
  report('soak.daemon.handles', 'count', summarise([total(start.resources), total(warm.resources), total(end.resources)]), {
    start: start.resources,
    warmup: warm.resources,
    end: end.resources,
    note: `start ${total(start.resources)} / warm-up ${total(warm.resources)} / end ${total(end.resources)} (end: ${byType(end)}; warm-up and end with the socket ${warm.ws.sockets} / ${end.ws.sockets})`,
  });
  report('soak.daemon.listeners', 'count', summarise([start.listenerTotal, warm.listenerTotal, end.listenerTotal]), {
    start: start.listenerTotal,
    warmup: warm.listenerTotal,
    end: end.listenerTotal,
    processListeners: [total(start.processListeners), total(warm.processListeners), total(end.processListeners)],
    note: `listeners on the daemon's listener sets: start ${start.listenerTotal} / warm-up ${warm.listenerTotal} / end ${end.listenerTotal}; on process ${total(start.processListeners)} / ${total(warm.processListeners)} / ${total(end.processListeners)}`,
  });
  report('soak.ws.roundTrip', 'ms', summarise(tally.roundTripsMs), {
    commands: tally.commands,
    completions: tally.completions,
    unexpected,
    note: `every command of the soak, send to completion; ${tally.completions}/${tally.commands} completed, ${unexpected} unexpected${unexpected > 0 ? ` (${tally.unexpected.slice(0, 3).join('; ')})` : ''}`,
  });
  report('soak.print.receipt', 'ms', summarise(tally.printMs), { note: `Printer.PrintForm on the virtual printer, ${tally.prints} jobs` });
  if (tally.faceChecks > 0) {
    report('soak.face.verify', 'ms', summarise(tally.faceMs), {
      checks: tally.faceChecks,
      verified: tally.faceVerified,
      note: `Face.Verify send to completion with the resident answering each challenge after 500 ms; ${tally.faceVerified}/${tally.faceChecks} verified`,
    });
  }
  report('soak.sessions', 'sessions/s', { n: tally.sessions, p50: rate, p90: rate, p99: rate, max: rate }, {
    sessionsPerSecond: Math.round(rate * 10) / 10,
    reconnects: tally.reconnects,
    byJourney: tally.byJourney,
    malformed: tally.malformed.length,
    faceChecks: tally.faceChecks,
    note: `${tally.sessions} sessions in ${Math.round((ended - began) / 1000)} s, ${tally.reconnects} reconnects, ${tally.faceChecks > 0 ? `${tally.faceChecks} face checks` : 'no face checks'}; ${JSON.stringify(tally.byJourney)}`,
  });
  if (unexpected > 0) console.error(`soak: unexpected completions:\n${tally.unexpected.slice(0, 50).join('\n')}`);
  if (tally.malformed.length > 0) console.error(`soak: malformed messages: ${JSON.stringify(tally.malformed.slice(0, 5))}`);
} finally {
  await stopAllDaemons();
  await sandboxes.gateway.close();
  await sandboxes.platform.close();
}
