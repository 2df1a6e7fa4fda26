// A fault-injecting HTTP proxy between the daemon and a sandbox backend: it passes requests on, or
// answers them late, answers 500 itself (signed like the backend's own replies when given the
// secret), resets connections, or closes its port so that connections are refused. It records
// every request and what became of it, so a test can see that the fault was met and what retries
// carried which idempotency key.
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { sign } from '../../device-daemon/src/backends/http/signature';

export type FaultMode =
  | { readonly kind: 'pass' }
  /** Forwarded at once (the backend acts on it); its reply held back `ms` from the request's arrival. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Answered here with this status; the backend never hears of it. */
  | { readonly kind: 'status'; readonly status: number }
  /** The connection is destroyed when the request arrives. */
  | { readonly kind: 'reset' }
  /** The listening port is closed: connections are refused. */
  | { readonly kind: 'refuse' };

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | undefined;
  readonly fault: FaultMode['kind'];
  /** The status the daemon was sent, 'reset', or 'gone' (the daemon hung up first, e.g. its timeout). */
  outcome: number | 'reset' | 'gone' | undefined;
}

export interface FaultProxy {
  readonly url: string;
  readonly requests: readonly ProxiedRequest[];
  /** The fault for requests whose path matches `only` (all when absent); others pass. */
  set(mode: FaultMode, only?: RegExp): Promise<void>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

export async function startFaultProxy(target: string, options: { readonly secret?: string } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  let mode: FaultMode = { kind: 'pass' };
  let only: RegExp | undefined;
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const readBody = (request: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => resolve(Buffer.concat(chunks)));
      request.on('error', reject);
    });

  const reply = (record: ProxiedRequest, response: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer): void => {
    if (response.destroyed || response.socket === null || response.socket.destroyed) {
      record.outcome = 'gone';
      return;
    }
    record.outcome = status;
    response.writeHead(status, { ...headers, 'content-length': String(body.length) }).end(body);
  };

  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const key = request.headers['idempotency-key'];
    const fault: FaultMode = only === undefined || only.test(path) ? mode : { kind: 'pass' };
    const record: ProxiedRequest = { method: request.method ?? 'GET', path, idempotencyKey: typeof key === 'string' ? key : undefined, fault: fault.kind, outcome: undefined };
    requests.push(record);
    const arrived = Date.now();
    void readBody(request).then(
      (body) => {
        if (fault.kind === 'reset' || fault.kind === 'refuse') {
          record.outcome = 'reset';
          request.socket.destroy();
          return;
        }
        if (fault.kind === 'status') {
          const text = Buffer.from(JSON.stringify({ error: { code: 'SYSTEMERROR', message: 'injected by the fault proxy' } }));
          reply(record, response, fault.status, { 'content-type': 'application/json', ...(options.secret ? sign(options.secret, String(fault.status), path, text) : {}) }, text);
          return;
        }
        const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)).flatMap(([name, value]) => (value === undefined ? [] : [[name, value]])));
        const outgoing = forward({ host: upstream.hostname, port: upstream.port, method: request.method, path, headers: { ...headers, 'content-length': String(body.length) } }, (answer) => {
          void readBody(answer).then(
            (answerBody) => {
              const answerHeaders = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)).flatMap(([name, value]) => (value === undefined ? [] : [[name, value]])));
              const send = (): void => reply(record, response, answer.statusCode ?? 502, answerHeaders, answerBody);
              const wait = fault.kind === 'delay' ? fault.ms - (Date.now() - arrived) : 0;
              if (wait <= 0) return send();
              const timer = setTimeout(() => {
                timers.delete(timer);
                send();
              }, wait);
              timers.add(timer);
            },
            () => request.socket.destroy(),
          );
        });
        // The backend itself away: the daemon sees its connection drop.
        outgoing.on('error', () => {
          record.outcome = 'reset';
          request.socket.destroy();
        });
        outgoing.end(body);
      },
      () => request.socket.destroy(),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const closeListener = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      // Kept-alive connections too: a closed port must refuse every new request.
      for (const socket of sockets) socket.destroy();
    });
  await listen(0);
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the fault proxy has no port');
  const port = address.port;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async set(next, filter) {
      const wasRefusing = mode.kind === 'refuse';
      mode = next;
      only = filter;
      if (next.kind === 'refuse' && !wasRefusing) await closeListener();
      // Back on the same port, as a backend coming back would be.
      if (next.kind !== 'refuse' && wasRefusing) await listen(port);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      if (server.listening) await closeListener();
    },
  };
}
