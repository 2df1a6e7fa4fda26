import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonClient } from './json-client';
import { errorReply, startJsonServer, type JsonServer, type Route } from './json-server';

const SECRET = 'sandbox-secret-0123456789';
const servers: JsonServer[] = [];

async function server(routes: Route[], secret = SECRET, before?: Parameters<typeof startJsonServer>[0]['before']): Promise<JsonServer> {
  const started = await startJsonServer({ host: '127.0.0.1', port: 0, routes, secretOf: (app) => (app === 'kiosk' ? secret : undefined), ...(before ? { before } : {}) });
  if (!started.ok) throw new Error(started.error);
  servers.push(started.value);
  return started.value;
}

const client = (url: string, timeoutMs = 2_000, secret = SECRET): JsonClient => new JsonClient({ baseUrl: url, appId: 'kiosk', secret, timeoutMs, maxReplyBytes: 4096 });
const echo: Route = { method: 'POST', pattern: /^\/v1\/echo\/(\w+)$/, handle: (r) => ({ status: 200, json: { name: r.params[0], body: r.body, q: r.query.get('q') } }) };
const shape = z.object({ name: z.string(), body: z.unknown(), q: z.string().nullable() });
const signal = (): AbortSignal => new AbortController().signal;

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('signed JSON over HTTP', () => {
  it('calls a route with a signed body, Chinese included, and checks the signed reply', async () => {
    const s = await server([echo]);
    const reply = await client(s.url).call('POST', '/v1/echo/pay?q=1', { 名称: '水费', amount: 1234 }, shape, signal());
    expect(reply).toEqual({ ok: true, value: { name: 'pay', body: { 名称: '水费', amount: 1234 }, q: '1' } });
  });

  it('refuses an unsigned or wrongly signed request, and a reply signed with another secret', async () => {
    const s = await server([echo]);
    const wrong = await client(s.url, 2_000, 'not-the-secret').call('POST', '/v1/echo/x', {}, shape, signal());
    expect(wrong).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    const raw = await fetch(`${s.url}/v1/echo/x`, { method: 'POST', body: '{}' });
    expect(raw.status).toBe(401);
    const impostor = await server([echo], 'another-secret-entirely');
    const forged = await client(impostor.url).call('POST', '/v1/echo/x', {}, shape, signal());
    // Its 401 is signed with its own secret: the client cannot trust it, so it is malformed, not a status.
    expect(forged).toMatchObject({ ok: false, error: { kind: 'malformed', message: expect.stringContaining('reply signature mismatch') } });
  });

  it('tells error statuses, malformed replies, oversized replies and timeouts apart', async () => {
    const s = await server([
      { method: 'GET', pattern: /^\/v1\/missing$/, handle: () => errorReply(404, 'noSuchAccount', 'no such account') },
      { method: 'GET', pattern: /^\/v1\/odd$/, handle: () => ({ status: 200, json: { name: 7 } }) },
      { method: 'GET', pattern: /^\/v1\/huge$/, handle: () => ({ status: 200, json: { name: 'x'.repeat(10_000), body: null, q: null } }) },
      { method: 'GET', pattern: /^\/v1\/slow$/, handle: () => new Promise(() => {}) },
    ]);
    const c = client(s.url, 300);
    expect(await c.call('GET', '/v1/missing', undefined, shape, signal())).toMatchObject({ ok: false, error: { kind: 'status', status: 404, code: 'noSuchAccount' } });
    expect(await c.call('GET', '/v1/odd', undefined, shape, signal())).toMatchObject({ ok: false, error: { kind: 'malformed', message: expect.stringContaining('name') } });
    expect(await c.call('GET', '/v1/huge', undefined, shape, signal())).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    expect(await c.call('GET', '/v1/slow', undefined, shape, signal())).toMatchObject({ ok: false, error: { kind: 'unknown' } });
  });

  it('says unreachable when nothing listens, unknown when the connection drops, canceled when asked', async () => {
    const gone = await server([echo]);
    const url = gone.url;
    await gone.close();
    servers.splice(servers.indexOf(gone), 1);
    expect(await client(url).call('POST', '/v1/echo/x', {}, shape, signal())).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    const dropping = await server([echo], SECRET, () => 'drop');
    expect(await client(dropping.url).call('POST', '/v1/echo/x', {}, shape, signal())).toMatchObject({ ok: false, error: { kind: 'unknown' } });
    const controller = new AbortController();
    const slow = await server([{ method: 'GET', pattern: /^\/v1\/slow$/, handle: () => new Promise(() => {}) }]);
    const pending = client(slow.url).call('GET', '/v1/slow', undefined, shape, controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'canceled' } });
  });
});
