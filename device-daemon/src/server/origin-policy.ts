// Who may talk to the UI listener: loopback peers, a Host header naming this listener (against DNS
// rebinding), and for WebSocket upgrades an Origin of the UI itself or a configured dev origin.
import type { IncomingMessage } from 'node:http';

const LOOPBACK_PEERS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export class OriginPolicy {
  #hosts = new Set<string>();
  #origins = new Set<string>();

  constructor(private readonly extraOrigins: readonly string[]) {}

  /** Called once the port is known (it may have been 0). */
  setPort(port: number): void {
    this.#hosts = new Set(LOOPBACK_NAMES.map((name) => `${name}:${port}`));
    this.#origins = new Set([...LOOPBACK_NAMES.map((name) => `http://${name}:${port}`), ...this.extraOrigins.map((o) => new URL(o).origin)]);
  }

  peerAllowed(request: IncomingMessage): boolean {
    return LOOPBACK_PEERS.has(request.socket.remoteAddress ?? '');
  }

  hostAllowed(request: IncomingMessage): boolean {
    return this.#hosts.has((request.headers.host ?? '').toLowerCase());
  }

  /** Browsers always send Origin on a WebSocket upgrade; a local tool may send none. */
  originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    return origin === undefined || this.#origins.has(origin);
  }
}
