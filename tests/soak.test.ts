// The soak, bounded for npm test: mixed resident sessions over the WebSocket (tests/support/
// soak-sessions.ts) against the daemon with the sandboxes, then the leak properties that do not
// depend on timing: after the sessions end and the socket closes, the daemon's handles by type and
// the listeners of its listener sets are back at what they were, and stay there when the number
// of sessions doubles; no socket is left; the heap after a collection does not grow with the
// sessions beyond a generous bound. Memory percentages are the benchmark's (npm run soak).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostics } from '../device-daemon/src/ops/diagnostics';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { startSandboxes, type Sandboxes } from './support/sandboxes';
import { diagnostics, leakProfile, soakSite, SoakDriver } from './support/soak-sessions';

const WARM_UP = 100;
const ROUND = Number(process.env.SOAK_TEST_SESSIONS ?? 300);
/** Handles a type may differ by between two quiet moments (a status poll's timer, a socket closing). */
const HANDLE_SLACK = 2;

let sandboxes: Sandboxes;
let daemon: DaemonProcess;

beforeAll(async () => {
  sandboxes = await startSandboxes();
  daemon = await startDaemon({ site: soakSite(sandboxes, true), env: { NODE_OPTIONS: '--expose-gc' } });
  // The platform's service list is synced once after start; journeys need it.
  const probe = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  await waitUntil(async () => (await probe.completion(probe.command('Platform.Catalogue', {}))).header.completionCode === 'success', 20_000, 'catalogue');
  await waitUntil(async () => ((await probe.completion(probe.command('Common.Status', { device: 'documentCamera' }))).payload as { devices: { documentCamera: { common: { device: string } } } }).devices.documentCamera.common.device === 'online', 20_000, 'document camera');
  probe.close();
  await probe.closed;
}, 60_000);

afterAll(async () => {
  await daemon.stop();
  await stopAllDaemons();
  await sandboxes.gateway.close();
  await sandboxes.platform.close();
});

/** Diagnostics once the sessions are over: no socket, nothing in flight (the daemon side has closed). */
async function quiet(): Promise<Diagnostics> {
  let last: Diagnostics | undefined;
  await waitUntil(
    async () => {
      last = await diagnostics(daemon);
      return last.ws.sockets === 0 && last.ws.inFlight === 0;
    },
    30_000,
    'no socket and no command in flight',
  );
  if (!last) throw new Error('no diagnostics');
  return last;
}

/** Waits (bounded) until handles are within the slack of `base` and listeners equal to it; returns the last view. */
async function settledAgainst(base: Diagnostics): Promise<Diagnostics> {
  let last = await quiet();
  const matches = (d: Diagnostics): boolean => Object.values(growth(d, base)).every((g) => Object.keys(g).length === 0);
  try {
    await waitUntil(
      async () => {
        last = await diagnostics(daemon);
        return last.ws.sockets === 0 && matches(last);
      },
      30_000,
      'handles and listeners back at the baseline',
    );
  } catch {
    // The assertions below show what differs.
  }
  return last;
}

/** What grew between two quiet moments: handle types beyond the slack, listener sets and process events that differ. */
function growth(now: Diagnostics, base: Diagnostics): Record<string, Record<string, string>> {
  const n = leakProfile(now);
  const b = leakProfile(base);
  const differs = (a: Record<string, number>, c: Record<string, number>, slack: number): Record<string, string> =>
    Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(c)])].filter((k) => (a[k] ?? 0) > (c[k] ?? 0) + slack || (slack === 0 && (a[k] ?? 0) !== (c[k] ?? 0))).map((k) => [k, `${c[k] ?? 0} -> ${a[k] ?? 0}`]));
  return { resources: differs(n.resources, b.resources, HANDLE_SLACK), listeners: differs(n.listeners, b.listeners, 0), processListeners: differs(now.processListeners, base.processListeners, 0) };
}

function expectNoGrowth(now: Diagnostics, base: Diagnostics): void {
  expect(growth(now, base)).toEqual({ resources: {}, listeners: {}, processListeners: {} });
  expect(now.listenerTotal).toBe(base.listenerTotal);
}

describe('soak (bounded)', () => {
  it(`runs ${WARM_UP} + 2 x ${ROUND} mixed sessions with every command completed and nothing left behind`, { timeout: 15 * 60_000 }, async () => {
    const driver = new SoakDriver(daemon, { seed: 20261207, gateway: sandboxes.gateway });
    await driver.run(WARM_UP);
    await driver.close();
    const baseline = await quiet();
    expect(baseline.gc).toBe('collected');

    await driver.run(ROUND);
    await driver.close();
    const first = await settledAgainst(baseline);
    expectNoGrowth(first, baseline);

    await driver.run(ROUND);
    // One client open: exactly one socket, authenticated.
    const open = await diagnostics(daemon);
    expect(open.ws).toMatchObject({ sockets: 1, authenticated: 1 });
    await driver.close();
    const second = await settledAgainst(first);
    expectNoGrowth(second, first);
    expect(second.ws).toEqual({ sockets: 0, authenticated: 0, inFlight: 0 });

    // A leak of even a kilobyte per session would show as hundreds of kilobytes here; the bound is
    // wide enough for the allocator's and JIT's own drift.
    const heapGrowth = second.memory.heapUsed - first.memory.heapUsed;
    console.log(`soak test: heapUsed after gc ${(baseline.memory.heapUsed / 1e6).toFixed(1)} / ${(first.memory.heapUsed / 1e6).toFixed(1)} / ${(second.memory.heapUsed / 1e6).toFixed(1)} MB; rss ${(second.memory.rss / 1e6).toFixed(1)} MB; ${JSON.stringify(driver.tally.byJourney)}`);
    expect(heapGrowth).toBeLessThan(Math.max(4 * 1024 * 1024, first.memory.heapUsed * 0.1));

    const { tally } = driver;
    expect(tally.sessions).toBe(WARM_UP + 2 * ROUND);
    expect(tally.unexpected).toEqual([]);
    expect(tally.completions).toBe(tally.commands);
    expect(tally.malformed).toEqual([]);
    expect(tally.reconnects).toBeGreaterThan(0);
    for (const [journey, n] of Object.entries(tally.byJourney)) expect({ journey, ran: n > 0 }).toEqual({ journey, ran: true });
  });
});
