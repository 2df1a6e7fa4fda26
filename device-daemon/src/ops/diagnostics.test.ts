import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Listeners } from '../core/listeners';
import { collectDiagnostics, diagnosticsRoute, diagnosticsSchema, type DiagnosticsSources } from './diagnostics';

const sources = (gc?: () => void): DiagnosticsSources => ({ ws: () => ({ sockets: 2, authenticated: 1, inFlight: 3 }), cameraViewers: () => 1, gc });

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('diagnostics', () => {
  it('reports memory, resources by type, the WebSockets and the listeners of live listener sets', () => {
    const bus = new Listeners<number>('diagnostics test bus');
    const off = [bus.subscribe(() => undefined), bus.subscribe(() => undefined)];
    const timer = setTimeout(() => undefined, 60_000);
    try {
      const d = diagnosticsSchema.parse(collectDiagnostics(sources(), false));
      expect(d.gc).toBe('notRequested');
      expect(d.memory.rss).toBeGreaterThan(d.memory.heapUsed);
      expect(d.resources['Timeout']).toBeGreaterThanOrEqual(1);
      expect(d.timers).toBe(d.resources['Timeout']);
      expect(d.ws).toEqual({ sockets: 2, authenticated: 1, inFlight: 3 });
      expect(d.cameraViewers).toBe(1);
      expect(d.listeners.find((l) => l.where === 'diagnostics test bus')).toEqual({ where: 'diagnostics test bus', sets: 1, listeners: 2 });
      expect(d.listenerTotal).toBe(d.listeners.reduce((n, l) => n + l.listeners, 0));
      off[0]?.();
      expect(collectDiagnostics(sources(), false).listeners.find((l) => l.where === 'diagnostics test bus')?.listeners).toBe(1);
    } finally {
      clearTimeout(timer);
      for (const f of off) f();
    }
  });

  it('collects garbage only when asked and when gc is exposed', () => {
    let runs = 0;
    expect(collectDiagnostics(sources(() => (runs += 1)), true).gc).toBe('collected');
    expect(runs).toBe(1);
    expect(collectDiagnostics(sources(() => (runs += 1)), false).gc).toBe('notRequested');
    expect(runs).toBe(1);
    expect(collectDiagnostics(sources(), true).gc).toBe('unavailable');
  });

  it('answers GET /v1/diagnostics with JSON of its schema, 405 for other methods, and leaves other paths', async () => {
    let collected = 0;
    const route = diagnosticsRoute(sources(() => (collected += 1)));
    server = createServer((request, response) => {
      void route(request, response, new URL(request.url ?? '/', 'http://ops')).then((handled) => {
        if (!handled) response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const got = await fetch(`${base}/v1/diagnostics?gc=1`);
    expect(got.status).toBe(200);
    expect(got.headers.get('cache-control')).toBe('no-store');
    const body = diagnosticsSchema.parse(await got.json());
    expect([body.gc, collected]).toEqual(['collected', 1]);
    expect(body.resources['TCPServerWrap']).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${base}/v1/diagnostics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/v1/other`)).status).toBe(404);
  });
});
