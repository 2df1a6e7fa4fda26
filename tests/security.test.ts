// PRODUCT.md section 6 against the real daemon: the UI WebSocket refuses a missing, wrong or misplaced
// token, a foreign Origin and a foreign Host, and tells refused connections nothing; both listeners
// bind loopback; every ops route wants its bearer token (the gateway's notifications their signature);
// the technician PIN locks; hostile strings reach SQL only as bound values; paths never leave their
// folder.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../device-daemon/src/backends/http/signature';
import { GATEWAY_SECRET } from '../device-daemon/src/testing/backends-harness';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { OPS_TOKEN, startDaemon, stopAllDaemons, type DaemonProcess } from './support/daemon-process';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';
import { listeningAddresses, rawRequest } from './support/security-probes';

const PIN = '582046';
let sandboxes: Sandboxes;
let daemon: DaemonProcess;
let site: Record<string, unknown>;
const scratch = mkdtempSync(join(tmpdir(), 'kiosk-security-'));

beforeAll(async () => {
  sandboxes = await startSandboxes();
  site = siteFor(sandboxes, { lean: true, extra: { technician: { pinSha256: createHash('sha256').update(PIN).digest('hex'), maxAttempts: 3, lockoutMs: 600_000 } } });
  daemon = await startDaemon({ site, dataDir: join(scratch, 'data') });
}, 60_000);

afterAll(async () => {
  await stopAllDaemons();
  await sandboxes?.gateway.close();
  await sandboxes?.platform.close();
  rmSync(scratch, { recursive: true, force: true });
});

const connect = (query: string, options: { origin?: string; headers?: Record<string, string> } = {}): Promise<WsTestClient> => WsTestClient.connect(`${daemon.wsUrl}${query}`, options);
const authed = (): Promise<WsTestClient> => connect(`?token=${daemon.uiToken}`);

describe('the UI WebSocket', { timeout: 60_000 }, () => {
  it('closes with 4401, and sends nothing, without the token, with a wrong one, or with it in the wrong place', async () => {
    const wrongLength = daemon.uiToken.slice(0, -1);
    const attempts: Array<{ what: string; query: string; headers?: Record<string, string>; first?: (c: WsTestClient) => void }> = [
      { what: 'no token, a command first', query: '', first: (c) => c.command('Common.Status', {}) },
      { what: 'no token, silence', query: '' },
      { what: 'a wrong token', query: '?token=guess' },
      { what: 'a token one character short', query: `?token=${encodeURIComponent(wrongLength)}` },
      { what: 'an empty token', query: '?token=' },
      { what: 'the token as a bearer header', query: '', headers: { authorization: `Bearer ${daemon.uiToken}` }, first: (c) => c.command('Common.Status', {}) },
      { what: 'the token as a cookie', query: '', headers: { cookie: `token=${daemon.uiToken}` }, first: (c) => c.command('Common.Status', {}) },
      { what: 'the token under another query name', query: `?Token=${daemon.uiToken}`, first: (c) => c.command('Common.Status', {}) },
      { what: 'the token outside the payload', query: '', first: (c) => c.sendRaw(JSON.stringify({ header: { name: 'Kiosk.Authenticate', requestId: 1, type: 'command' }, payload: {}, token: daemon.uiToken })) },
      { what: 'a wrong first-message token', query: '', first: (c) => c.command('Kiosk.Authenticate', { token: 'guess' }) },
      { what: 'the token as another command', query: '', first: (c) => c.command('Common.Status', { token: daemon.uiToken }) },
    ];
    for (const attempt of attempts) {
      const c = await connect(attempt.query, attempt.headers ? { headers: attempt.headers } : {});
      attempt.first?.(c);
      // Something to tell them while they wait: a card placed is broadcast to authenticated clients only.
      expect((await c.closed).code, attempt.what).toBe(4401);
      expect(c.messages.filter((m) => m.header.type !== 'acknowledge' || m.header.name !== 'Kiosk.Authenticate'), attempt.what).toEqual([]);
    }
  });

  it('broadcasts nothing to a connection that has not authenticated yet', async () => {
    const waiting = await connect('');
    const watcher = await authed();
    await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
    await watcher.unsolicited('IdCard.CardInserted');
    await daemon.simulate('idCardReader', { action: 'remove' });
    await watcher.unsolicited('IdCard.CardRemoved');
    expect((await waiting.closed).code).toBe(4401);
    expect(waiting.messages).toEqual([]);
    watcher.close();
  });

  it('refuses the upgrade (403) from another Origin or with another Host; a local tool without Origin is let in', async () => {
    const port = daemon.uiPort;
    for (const origin of ['http://attacker.example', 'null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://127.0.0.1.attacker.example:${port}`, `http://localhost:${port}.attacker.example`]) {
      await expect(connect(`?token=${daemon.uiToken}`, { origin }), origin).rejects.toThrow('upgrade refused: 403');
    }
    for (const host of ['attacker.example', `attacker.example:${port}`, `127.0.0.1:${port + 1}`, `192.168.1.10:${port}`, '127.0.0.1']) {
      await expect(connect(`?token=${daemon.uiToken}`, { headers: { host } }), host).rejects.toThrow('upgrade refused: 403');
    }
    // The policy (origin-policy.ts) admits a missing Origin on purpose: browsers always send one, and
    // kioskctl does not; the token is still required.
    const tool = await connect(`?token=${daemon.uiToken}`);
    expect((await tool.completion(tool.command('Common.Status', {}))).header.completionCode).toBe('success');
    tool.close();
    const browser = await connect(`?token=${daemon.uiToken}`, { origin: `http://localhost:${port}` });
    expect((await browser.completion(browser.command('Common.Status', {}))).header.completionCode).toBe('success');
    browser.close();
  });

  it('does not serve the page that carries the token to another Host (DNS rebinding)', async () => {
    const good = await rawRequest(daemon.uiPort, '/');
    expect(good.status).toBe(200);
    expect(good.body.toString('utf8')).toContain(daemon.uiToken);
    for (const host of ['attacker.example', `attacker.example:${daemon.uiPort}`, `127.0.0.1:${daemon.uiPort + 1}`]) {
      const refused = await rawRequest(daemon.uiPort, '/', { host });
      expect(refused.status, host).toBe(403);
      expect(refused.body.toString('latin1')).not.toContain(daemon.uiToken);
    }
  });

  it('keeps its data directory and every file in it to its own user', () => {
    expect(statSync(daemon.dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(daemon.dataDir).filter((f) => statSync(join(daemon.dataDir, f)).isFile());
    expect(files).toEqual(expect.arrayContaining(['ui-token', 'kiosk.sqlite', 'kiosk.sqlite-wal', 'kiosk.sqlite-shm']));
    for (const file of files) expect(statSync(join(daemon.dataDir, file)).mode & 0o077, file).toBe(0);
  });

  it('listens on 127.0.0.1 only, as does the ops listener', () => {
    expect(listeningAddresses(daemon.uiPort)).toEqual(['127.0.0.1']);
    expect(listeningAddresses(daemon.opsPort)).toEqual(['127.0.0.1']);
  });
});

describe('the ops listener', { timeout: 60_000 }, () => {
  const routes: Array<[string, string, string?]> = [
    ['GET', '/metrics'],
    ['GET', '/v1/status'],
    ['GET', '/v1/simulator/idCardReader'],
    ['POST', '/v1/simulator/idCardReader', JSON.stringify({ action: 'place', card: 'holder' })],
    ['POST', '/v1/simulator/receiptPrinter', JSON.stringify({ action: 'paper', paper: 'out' })],
    ['GET', '/v1/simulator/nope'],
    ['POST', '/v1/selftest', JSON.stringify({ level: 'external' })],
    ['GET', '/v1/selftest'],
    ['GET', '/v1/payments/reconcile?date=2026-11-22'],
    ['GET', '/v1/catalogue'],
    ['GET', '/v1/outbox'],
    ['GET', '/v1/diagnostics'],
    ['GET', '/v1/anything-else'],
  ];
  const credentials: Array<[string, Record<string, string>]> = [
    ['none', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token' }],
    ['a token one character longer', { authorization: `Bearer ${OPS_TOKEN}x` }],
    ['a token one character shorter', { authorization: `Bearer ${OPS_TOKEN.slice(0, -1)}` }],
    ['the token as Basic', { authorization: `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}` }],
    ['the token without a scheme', { authorization: OPS_TOKEN }],
    ['the UI token', { authorization: 'Bearer UI' }],
    ['the token in a cookie', { cookie: `token=${OPS_TOKEN}` }],
  ];

  it('answers 401 and nothing else to every route without the right bearer token, and applies nothing', async () => {
    for (const [method, path, body] of routes) {
      for (const [what, headers] of credentials) {
        const h = what === 'the UI token' ? { authorization: `Bearer ${daemon.uiToken}` } : headers;
        const reply = await fetch(`http://127.0.0.1:${daemon.opsPort}${path}`, { method, headers: h, ...(body ? { body } : {}) });
        expect(reply.status, `${method} ${path} with ${what}`).toBe(401);
        expect(await reply.text()).toBe('unauthorized\n');
      }
      const query = await fetch(`http://127.0.0.1:${daemon.opsPort}${path}${path.includes('?') ? '&' : '?'}token=${OPS_TOKEN}`, { method, ...(body ? { body } : {}) });
      expect(query.status, `${method} ${path} with the token in the query`).toBe(401);
    }
    // None of the refused controls took effect.
    const reader = (await (await daemon.ops('/v1/simulator/idCardReader')).json()) as { card?: unknown };
    expect(reader.card ?? null).toBeNull();
    const printer = (await (await daemon.ops('/v1/simulator/receiptPrinter')).json()) as { paper?: unknown };
    expect(printer.paper).toBe('full');
    const selfTests = (await (await daemon.ops('/v1/selftest')).json()) as unknown;
    expect(JSON.stringify(selfTests)).not.toContain('external');
  });

  it('refuses payment notifications without a signature or with a forged one, saying only why', async () => {
    const body = JSON.stringify({ orderId: 'KIOSK0000000001', state: 'SUCCESS' });
    const path = '/v1/payments/notify';
    const forged = [
      {},
      sign('not-the-gateway-secret', 'POST', path, body),
      { ...sign(GATEWAY_SECRET, 'POST', path, body), 'x-kiosk-signature': Buffer.alloc(32).toString('base64') },
      sign(GATEWAY_SECRET, 'POST', path, `${body} `),
      sign(GATEWAY_SECRET, 'POST', path, body, Date.now() - 3_600_000),
    ];
    for (const headers of forged) {
      const reply = await fetch(`http://127.0.0.1:${daemon.opsPort}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(reply.status).toBe(401);
      expect(await reply.json()).toEqual({ error: expect.stringMatching(/^signature (missing|mismatch|stale)$/) });
    }
  });

  it('says only ok on /healthz and /readyz, to anyone', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const reply = await fetch(`http://127.0.0.1:${daemon.opsPort}${path}`);
      expect(reply.status).toBe(200);
      expect(await reply.text()).toBe('ok\n');
      // Nothing about the build, the devices or the server in the headers either.
      expect([...reply.headers.keys()].filter((k) => !['cache-control', 'connection', 'content-type', 'date', 'keep-alive', 'transfer-encoding', 'content-length', 'x-content-type-options'].includes(k))).toEqual([]);
    }
  });
});

describe('the technician PIN', { timeout: 90_000 }, () => {
  it('locks after three wrong PINs, refuses the right one while locked, also on a new connection', async () => {
    const ui = await authed();
    const login = async (c: WsTestClient, pin: string): Promise<string> => {
      const done = await c.completion(c.command('Technician.Login', { pin }), 20_000);
      return done.header.completionCode === 'success' ? 'success' : String(done.payload.errorCode ?? done.header.completionCode);
    };
    expect(await login(ui, '000000')).toBe('wrongPin');
    expect(await login(ui, '111111')).toBe('wrongPin');
    expect(await login(ui, '222222')).toBe('lockedOut');
    expect(await login(ui, PIN)).toBe('lockedOut');
    expect((await ui.completion(ui.command('Technician.SelfTest', { level: 'internal' }))).header.completionCode).toBe('authorisationRequired');
    // Not a PIN at all: refused by the schema, not counted.
    expect((await ui.completion(ui.command('Technician.Login', { pin: "' OR '1'='1" }))).header.completionCode).toBe('invalidData');
    ui.close();
    const again = await authed();
    expect(await login(again, PIN)).toBe('lockedOut');
    expect((await again.completion(again.command('Technician.Counters', {}))).header.completionCode).toBe('authorisationRequired');
    again.close();
  });

  // The lockout is kept in the database: restarting the daemon (a power cycle of the kiosk) does
  // not end it, and the restart is a plain stop, not a crash, so nothing else explains it.
  it('a daemon restart does not end the lockout', async () => {
    expect(await daemon.stop()).toBe(0);
    daemon = await startDaemon({ site, dataDir: join(scratch, 'data') });
    const ui = await authed();
    const done = await ui.completion(ui.command('Technician.Login', { pin: PIN }), 20_000);
    ui.close();
    expect(done.header.completionCode).not.toBe('success');
    expect(done.payload.errorCode).toBe('lockedOut');
  });
});
