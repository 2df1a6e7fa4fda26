// GET /v1/diagnostics on the ops listener (behind its bearer token): the daemon's memory, its
// active handles by type, its open WebSockets and commands in flight, and the listeners on its
// long-lived event sets, so that an operator or the soak can tell a leak from a plateau. Counts
// and sizes only: nothing here can carry personal data. `?gc=1` collects garbage first when the
// daemon runs with --expose-gc, so heap figures compare like with like.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { listenerCounts } from '../core/listeners';

const count = z.number().int().nonnegative();

export const diagnosticsSchema = z.object({
  at: z.string(),
  uptimeSeconds: z.number(),
  memory: z.object({ rss: count, heapTotal: count, heapUsed: count, external: count, arrayBuffers: count }),
  /** Whether a collection ran before the figures were taken (asked for, and --expose-gc given). */
  gc: z.enum(['collected', 'unavailable', 'notRequested']),
  /** process.getActiveResourcesInfo() counted by type: TCPWrap, Timeout, FSReqCallback, ... */
  resources: z.record(z.string(), count),
  /** Pending timers (the Timeout resources). */
  timers: count,
  ws: z.object({ sockets: count, authenticated: count, inFlight: count }),
  cameraViewers: count,
  listeners: z.array(z.object({ where: z.string(), sets: count, listeners: count })),
  /** All listeners of the daemon's own listener sets. */
  listenerTotal: count,
  /** Listeners on the process object (signals, exit, warnings) by event. */
  processListeners: z.record(z.string(), count),
});
export type Diagnostics = z.infer<typeof diagnosticsSchema>;

export interface DiagnosticsSources {
  readonly ws: () => { sockets: number; authenticated: number; inFlight: number };
  readonly cameraViewers: () => number;
  /** global.gc when the process was started with --expose-gc. */
  readonly gc?: (() => void) | undefined;
}

/** The gc function Node exposes with --expose-gc, if it is there. */
export function exposedGc(): (() => void) | undefined {
  const candidate: unknown = Reflect.get(globalThis, 'gc');
  return typeof candidate === 'function' ? () => void Reflect.apply(candidate, globalThis, []) : undefined;
}

export function collectDiagnostics(sources: DiagnosticsSources, runGc: boolean): Diagnostics {
  let gc: Diagnostics['gc'] = 'notRequested';
  if (runGc) {
    if (sources.gc) {
      sources.gc();
      gc = 'collected';
    } else {
      gc = 'unavailable';
    }
  }
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const resources: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
  const listeners = listenerCounts();
  const processListeners: Record<string, number> = {};
  for (const name of process.eventNames()) if (typeof name === 'string') processListeners[name] = process.listenerCount(name);
  return {
    at: new Date().toISOString(),
    uptimeSeconds: Math.round(process.uptime()),
    memory: { rss, heapTotal, heapUsed, external, arrayBuffers },
    gc,
    resources,
    timers: resources['Timeout'] ?? 0,
    ws: sources.ws(),
    cameraViewers: sources.cameraViewers(),
    listeners,
    listenerTotal: listeners.reduce((n, l) => n + l.listeners, 0),
    processListeners,
  };
}

/** The route for the ops listener's authenticated routes; true: the request was this route's. */
export function diagnosticsRoute(sources: DiagnosticsSources): (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean> {
  return async (request, response, url) => {
    if (url.pathname !== '/v1/diagnostics') return false;
    const headers = { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (request.method !== 'GET') {
      response.writeHead(405, headers).end(JSON.stringify({ error: 'GET only' }) + '\n');
      return true;
    }
    const body = collectDiagnostics(sources, url.searchParams.get('gc') === '1');
    response.writeHead(200, headers).end(JSON.stringify(body, null, 2) + '\n');
    return true;
  };
}
