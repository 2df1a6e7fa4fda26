// The ops listener: /healthz and /readyz without auth and without detail; /metrics, /v1/status and
// (for simulated devices) /v1/simulator/<device> behind a bearer token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { err, ok, type Result } from '../core/result';
import type { Logger } from '../log/logger';
import type { Registry } from 'prom-client';

export interface SimulatorControl {
  /** Validates and applies a control request; returns the simulator's new state or a reason. */
  apply(body: unknown): Result<unknown, string> | Promise<Result<unknown, string>>;
  state(): unknown;
}

export interface OpsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly checkToken: (token: string) => boolean;
  readonly isLive: () => boolean;
  readonly isReady: () => boolean;
  readonly metrics: Registry;
  readonly status: () => unknown;
  readonly simulators: ReadonlyMap<string, SimulatorControl>;
  /** Routes that authenticate themselves (the payment gateway's signed notifications); true = handled. */
  readonly publicRoutes?: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
  /** Routes behind the bearer token, besides the built-in ones; true = handled. */
  readonly authedRoutes?: (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;
  readonly log: Logger;
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function send(response: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
  response.end(body);
}

const json = (response: ServerResponse, status: number, value: unknown): void => send(response, status, JSON.stringify(value, null, 2) + '\n', 'application/json');

function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer ([\x21-\x7e]{1,512})$/.exec(header) : null;
  return match?.[1];
}

function readBody(request: IncomingMessage): Promise<Result<unknown, string>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(err('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(ok(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      } catch {
        resolve(err('request body is not JSON'));
      }
    });
    request.on('error', () => resolve(err('request failed')));
  });
}

export async function startOpsServer(options: OpsServerOptions): Promise<Result<OpsServer, string>> {
  const { log } = options;
  const server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => {
      log.error({ err: error }, 'ops request failed');
      if (!response.headersSent) send(response, 500, 'internal error\n');
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://ops').pathname;
    if (path === '/healthz' || path === '/readyz') {
      const good = path === '/healthz' ? options.isLive() : options.isReady();
      return send(response, good ? 200 : 503, good ? 'ok\n' : 'not ok\n');
    }
    if (options.publicRoutes && (await options.publicRoutes(request, response))) return;
    const known = path === '/metrics' || path === '/v1/status' || path.startsWith('/v1/simulator/') || (options.authedRoutes !== undefined && path.startsWith('/v1/'));
    if (!known) return send(response, 404, 'not found\n');
    const token = bearer(request);
    if (token === undefined || !options.checkToken(token)) {
      return send(response, 401, 'unauthorized\n', 'text/plain; charset=utf-8', { 'www-authenticate': 'Bearer realm="kiosk-ops"' });
    }
    if (path === '/metrics') {
      if (request.method !== 'GET') return send(response, 405, 'method not allowed\n');
      return send(response, 200, await options.metrics.metrics(), options.metrics.contentType);
    }
    if (path === '/v1/status') {
      if (request.method !== 'GET') return send(response, 405, 'method not allowed\n');
      return json(response, 200, options.status());
    }
    if (!path.startsWith('/v1/simulator/')) {
      if (options.authedRoutes && (await options.authedRoutes(request, response, new URL(request.url ?? '/', 'http://ops')))) return;
      return send(response, 404, 'not found\n');
    }
    const device = decodeURIComponent(path.slice('/v1/simulator/'.length));
    const simulator = options.simulators.get(device);
    if (!simulator) return json(response, 404, { error: `no simulated device named ${device.slice(0, 64)}` });
    if (request.method === 'GET') return json(response, 200, simulator.state());
    if (request.method !== 'POST') return send(response, 405, 'method not allowed\n');
    const body = await readBody(request);
    if (!body.ok) return json(response, 400, { error: body.error });
    const applied = await simulator.apply(body.value);
    if (!applied.ok) return json(response, 400, { error: applied.error });
    log.info({ device }, 'simulator control applied');
    return json(response, 200, applied.value);
  }

  const listening = await new Promise<Result<number, string>>((resolve) => {
    server.once('error', (error) => resolve(err(`ops listener cannot listen on ${options.host}:${options.port}: ${error.message}`)));
    server.listen(options.port, options.host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? ok(address.port) : err('ops listener has no address'));
    });
  });
  if (!listening.ok) return listening;
  return ok({
    port: listening.value,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
