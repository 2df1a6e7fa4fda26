// A WebSocket client for tests: records every message the daemon sends (each checked against the
// protocol schema) and waits for the ones a test expects. Waits are bounded; nothing sleeps.
import WebSocket from 'ws';
import { daemonMessageSchema, type CompletionMessage, type DaemonMessage } from '../protocol';

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

export class WsTestClient {
  readonly messages: DaemonMessage[] = [];
  /** Messages that did not match the protocol schema: a test should expect none. */
  readonly malformed: unknown[] = [];
  readonly closed: Promise<Closed>;
  #waiters: { predicate: (m: DaemonMessage) => boolean; resolve: (m: DaemonMessage) => void }[] = [];
  #nextId = 1;

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
    socket.on('message', (data) => {
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        this.malformed.push(data.toString());
        return;
      }
      const parsed = daemonMessageSchema.safeParse(json);
      if (!parsed.success) {
        this.malformed.push(json);
        return;
      }
      this.messages.push(parsed.data);
      for (const waiter of [...this.#waiters]) {
        if (waiter.predicate(parsed.data)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(parsed.data);
        }
      }
    });
  }

  /** Opens a connection; rejects with the HTTP status when the upgrade is refused. */
  static connect(url: string, options: { origin?: string; headers?: Record<string, string> } = {}): Promise<WsTestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { ...(options.origin ? { origin: options.origin } : {}), headers: options.headers ?? {} });
      const client = new WsTestClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
      socket.once('error', (error) => reject(error));
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** Sends a command; returns its request id. */
  command(name: string, payload: unknown = {}, options: { requestId?: number; timeout?: number } = {}): number {
    const requestId = options.requestId ?? this.#nextId++;
    if (options.requestId !== undefined) this.#nextId = Math.max(this.#nextId, requestId + 1);
    const header: Record<string, unknown> = { name, requestId, type: 'command' };
    if (options.timeout !== undefined) header.timeout = options.timeout;
    this.socket.send(JSON.stringify({ header, payload }));
    return requestId;
  }

  waitFor(predicate: (m: DaemonMessage) => boolean, timeoutMs = 10_000, what = 'message'): Promise<DaemonMessage> {
    const seen = this.messages.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}`));
      }, timeoutMs);
      const done = (m: DaemonMessage): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.#waiters.push({ predicate, resolve: done });
    });
  }

  acknowledge(requestId: number | null): Promise<DaemonMessage> {
    return this.waitFor((m) => m.header.type === 'acknowledge' && m.header.requestId === requestId, 10_000, `acknowledge of ${requestId}`);
  }

  completion(requestId: number, timeoutMs = 10_000): Promise<CompletionMessage> {
    const isIt = (m: DaemonMessage): m is CompletionMessage => m.header.type === 'completion' && m.header.requestId === requestId;
    return this.waitFor(isIt, timeoutMs, `completion of ${requestId}`).then((m) => {
      if (!isIt(m)) throw new Error('not a completion');
      return m;
    });
  }

  unsolicited(name: string, predicate: (payload: Record<string, unknown>) => boolean = () => true, timeoutMs = 10_000): Promise<DaemonMessage> {
    return this.waitFor((m) => m.header.type === 'unsolicited' && m.header.name === name && predicate(m.payload ?? {}), timeoutMs, `unsolicited ${name}`);
  }

  /** Every solicited event of one request, as it arrives: `onEvent` sees each once, in order. */
  events(requestId: number, onEvent: (name: string, payload: Record<string, unknown>) => void): () => void {
    let seen = 0;
    const check = (): void => {
      const events = this.about(requestId).filter((m) => m.header.type === 'event');
      for (const m of events.slice(seen)) onEvent(m.header.name, m.payload ?? {});
      seen = events.length;
    };
    check();
    this.socket.on('message', check);
    return () => this.socket.off('message', check);
  }

  /** Every message the daemon sent about one request, in order. */
  about(requestId: number): DaemonMessage[] {
    return this.messages.filter((m) => 'requestId' in m.header && m.header.requestId === requestId);
  }

  /** Authenticates with the first-message method. */
  async authenticate(token: string): Promise<DaemonMessage> {
    const id = this.command('Kiosk.Authenticate', { token });
    return this.completion(id);
  }

  close(): void {
    this.socket.close();
  }
}
