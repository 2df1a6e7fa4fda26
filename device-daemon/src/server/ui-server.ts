// The UI listener: serves the kiosk UI and its WebSocket at /ws, on loopback only. A WebSocket must
// come from the UI's origin (or none), and present the per-boot token, on the upgrade as ?token=
// or in its first message; otherwise it is closed with 4401.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { err, ok, type Result } from '../core/result';
import type { Logger } from '../log/logger';
import { CLOSE_CODES, MAX_MESSAGE_BYTES } from '../protocol';
import { ClientSession, type SessionObserver } from './client-session';
import type { CommandRegistry } from './command-registry';
import { OriginPolicy } from './origin-policy';
import { sha256Hex, tokenChecker } from './secrets';
import { SECURITY_HEADERS, StaticFiles } from './static-files';

export interface UiServerOptions {
  readonly host: string;
  readonly port: number;
  readonly staticDir: string | undefined;
  readonly token: string;
  readonly allowedOrigins: readonly string[];
  readonly registry: CommandRegistry;
  readonly authTimeoutMs: number;
  readonly maxInFlight: number;
  readonly defaultTimeoutMs: number;
  readonly log: Logger;
  readonly observer: Omit<SessionObserver, 'onReady' | 'onClosed'>;
  /** Extra routes (the camera preview, later) get the request first; true means handled. */
  readonly extraRoutes?: (request: IncomingMessage, response: import('node:http').ServerResponse) => boolean;
}

export interface UiServer {
  readonly port: number;
  readonly uiAvailable: boolean;
  /** Authenticated connections. */
  readonly connections: number;
  /** Open WebSockets, authenticated or not yet (for diagnostics). */
  readonly sockets: number;
  /** Commands accepted and not yet completed, over every connection (for diagnostics). */
  readonly inFlight: number;
  broadcast(name: string, payload: Record<string, unknown>): void;
  close(): Promise<void>;
}

/**
 * The transport-level ceiling: above the 1 MiB application limit, so an oversized message is
 * answered (invalidMessage) rather than dropped; far above it, the connection is closed (1009).
 */
const WS_MAX_PAYLOAD = 8 * MAX_MESSAGE_BYTES;

function reject(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

export async function startUiServer(options: UiServerOptions): Promise<Result<UiServer, string>> {
  const { log } = options;
  const policy = new OriginPolicy(options.allowedOrigins);
  const files = new StaticFiles(options.staticDir, options.token);
  const checkToken = tokenChecker(sha256Hex(options.token));
  const sessions = new Set<ClientSession>();
  const sockets = new Set<WebSocket>();
  let nextConnectionId = 1;

  const server: Server = createServer((request, response) => {
    if (!policy.peerAllowed(request) || !policy.hostAllowed(request)) {
      response.writeHead(403, SECURITY_HEADERS).end();
      return;
    }
    if (options.extraRoutes?.(request, response)) return;
    files.serve(request, response);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false, clientTracking: false });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://ui');
    if (url.pathname !== '/ws') return reject(socket, 404, 'Not Found');
    if (!policy.peerAllowed(request) || !policy.hostAllowed(request)) return reject(socket, 403, 'Forbidden');
    if (!policy.originAllowed(request)) {
      log.warn({ origin: request.headers.origin?.slice(0, 100) }, 'websocket from a foreign origin refused');
      return reject(socket, 403, 'Forbidden');
    }
    const queryToken = url.searchParams.get('token');
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      const connectionId = nextConnectionId++;
      if (queryToken !== null && !checkToken(queryToken)) {
        log.warn({ connectionId }, 'websocket with a wrong token refused');
        options.observer.onRefusal({ connectionId, reason: 'unauthorized', command: undefined, detail: 'wrong token on the upgrade' });
        ws.close(CLOSE_CODES.unauthorized, 'unauthorized');
        return;
      }
      new ClientSession({
        connectionId,
        socket: ws,
        registry: options.registry,
        preAuthenticated: queryToken !== null,
        checkToken,
        authTimeoutMs: options.authTimeoutMs,
        maxInFlight: options.maxInFlight,
        defaultTimeoutMs: options.defaultTimeoutMs,
        log,
        observer: {
          ...options.observer,
          onReady: (session) => {
            sessions.add(session);
            log.info({ connectionId }, 'ui client connected');
          },
          onClosed: (session) => {
            sessions.delete(session);
            log.info({ connectionId }, 'ui client disconnected');
          },
        },
      });
    });
  });

  const listening = await new Promise<Result<number, string>>((resolve) => {
    server.once('error', (error) => resolve(err(`UI listener cannot listen on ${options.host}:${options.port}: ${error.message}`)));
    server.listen(options.port, options.host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? ok(address.port) : err('UI listener has no address'));
    });
  });
  if (!listening.ok) return listening;
  const port = listening.value;
  policy.setPort(port);

  return ok({
    port,
    uiAvailable: files.available,
    get connections() {
      return sessions.size;
    },
    get sockets() {
      return sockets.size;
    },
    get inFlight() {
      let n = 0;
      for (const session of sessions) n += session.inFlight;
      return n;
    },
    broadcast(name, payload) {
      for (const session of sessions) session.sendUnsolicited(name, payload);
    },
    async close() {
      for (const ws of sockets) ws.close(CLOSE_CODES.shuttingDown, 'daemon shutting down');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const ws of sockets) ws.terminate();
    },
  });
}
