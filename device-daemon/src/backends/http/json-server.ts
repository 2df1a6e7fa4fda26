// A small signed-JSON HTTP server: what the sandbox backends are built on, and the daemon's
// endpoint for the gateway's notifications. Requests must carry a valid signature of a known app;
// replies are signed with the same secret. Bodies are bounded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { err, ok, type Result } from '../../core/result';
import { NonceWindow, SIGNATURE_HEADERS, sign, verify } from './signature';

export interface JsonRequest {
  readonly method: string;
  /** The path with its query, as signed. */
  readonly path: string;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly appId: string;
  readonly headers: IncomingMessage['headers'];
}

export type JsonReply = { readonly status: number; readonly json: unknown } | { readonly status: number; readonly bytes: Buffer; readonly type: string };

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Matched against the path without its query; groups become `params`. */
  readonly pattern: RegExp;
  /** 'drop' cuts the connection without an answer (a sandbox staging a network failure). */
  handle(request: JsonRequest): JsonReply | 'drop' | Promise<JsonReply | 'drop'>;
}

export interface JsonServerOptions {
  readonly host: string;
  readonly port: number;
  readonly routes: readonly Route[];
  /** The shared secret of an app id, if it is known. */
  readonly secretOf: (appId: string) => string | undefined;
  readonly maxBodyBytes?: number;
  readonly now?: () => number;
  /** Called on every request before routing: a sandbox's scripted faults hook in here. */
  readonly before?: (request: IncomingMessage) => JsonReply | 'drop' | undefined;
}

export interface JsonServer {
  readonly port: number;
  readonly url: string;
  /** Requests received and not yet answered. */
  readonly inFlight: number;
  close(): Promise<void>;
}

export const errorReply = (status: number, code: string, message: string): JsonReply => ({ status, json: { error: { code, message } } });

function readBody(request: IncomingMessage, max: number): Promise<Result<Buffer, string>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        resolve(err(`body over ${max} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(ok(Buffer.concat(chunks, size))));
    request.on('error', () => resolve(err('request aborted')));
  });
}

export async function startJsonServer(options: JsonServerOptions): Promise<Result<JsonServer, string>> {
  const now = options.now ?? ((): number => Date.now());
  const nonces = new NonceWindow();
  const sockets = new Set<import('node:net').Socket>();

  const send = (response: ServerResponse, path: string, reply: JsonReply, secret: string | undefined): void => {
    const body = 'json' in reply ? Buffer.from(JSON.stringify(reply.json), 'utf8') : reply.bytes;
    const type = 'json' in reply ? 'application/json; charset=utf-8' : reply.type;
    const signature = secret ? sign(secret, String(reply.status), path, body, now()) : {};
    response.writeHead(reply.status, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store', ...signature });
    response.end(body);
  };

  let inFlight = 0;
  const server: Server = createServer((request, response) => {
    inFlight += 1;
    let counted = true;
    const done = (): void => {
      if (counted) inFlight -= 1;
      counted = false;
    };
    response.on('finish', done);
    response.on('close', done);
    void (async () => {
      const path = request.url ?? '/';
      const injected = options.before?.(request);
      if (injected === 'drop') {
        request.socket.destroy();
        return;
      }
      const appId = request.headers[SIGNATURE_HEADERS.app];
      const secret = typeof appId === 'string' ? options.secretOf(appId) : undefined;
      if (injected) return send(response, path, injected, secret);
      const body = await readBody(request, options.maxBodyBytes ?? 16 * 1024 * 1024);
      if (!body.ok) return send(response, path, errorReply(413, 'tooLarge', body.error), secret);
      if (typeof appId !== 'string' || !secret) return send(response, path, errorReply(401, 'unknownApp', 'unknown app'), undefined);
      const problem = verify(secret, request.method ?? 'GET', path, body.value, request.headers, nonces, now());
      if (problem) return send(response, path, errorReply(401, 'badSignature', `signature ${problem}`), secret);
      const url = new URL(path, 'http://sandbox');
      const route = options.routes.find((r) => r.method === request.method && r.pattern.test(url.pathname));
      if (!route) return send(response, path, errorReply(404, 'notFound', `no route ${request.method} ${url.pathname}`), secret);
      let json: unknown;
      if (body.value.length > 0) {
        try {
          json = JSON.parse(body.value.toString('utf8'));
        } catch {
          return send(response, path, errorReply(400, 'badJson', 'body is not JSON'), secret);
        }
      }
      const params = route.pattern.exec(url.pathname)?.slice(1).map((p) => decodeURIComponent(p ?? '')) ?? [];
      const reply = await route.handle({ method: request.method ?? 'GET', path, params, query: url.searchParams, body: json, appId, headers: request.headers });
      if (reply === 'drop') request.socket.destroy();
      else send(response, path, reply, secret);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.once('error', (error) => resolve(err(`cannot listen on ${options.host}:${options.port}: ${error.message}`)));
    server.listen(options.port, options.host, () => {
      const address = server.address();
      if (typeof address !== 'object' || !address) return resolve(err('no address'));
      resolve(
        ok({
          port: address.port,
          url: `http://${options.host}:${address.port}`,
          get inFlight() {
            return inFlight;
          },
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              for (const socket of sockets) socket.destroy();
            }),
        }),
      );
    });
  });
}
