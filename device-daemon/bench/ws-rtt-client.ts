// A lean WebSocket client for round-trip timing: sends one command at a time and waits for its
// completion. No schema checks or message log (unlike WsTestClient), so the figure is the server's
// and the socket's, not the measuring client's. The same client measures the daemon and its peer.
import WebSocket from 'ws';
import { z } from 'zod';

const headerSchema = z.object({ header: z.object({ type: z.string(), requestId: z.unknown().optional() }) });

export class RttClient {
  #nextId = 1;
  #waiting: { id: number; resolve: (raw: string) => void } | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const waiting = this.#waiting;
      if (!waiting) return;
      const raw = data.toString();
      const parsed = headerSchema.safeParse(JSON.parse(raw));
      // Acknowledges and unsolicited status events arrive too; only the completion ends the trip.
      if (parsed.success && parsed.data.header.type === 'completion' && parsed.data.header.requestId === waiting.id) {
        this.#waiting = undefined;
        waiting.resolve(raw);
      }
    });
  }

  static connect(url: string): Promise<RttClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new RttClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends the command and resolves with the raw completion text when it arrives. */
  send(name: string, payload: unknown, timeoutMs = 30_000): Promise<string> {
    const requestId = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no completion of ${name} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting = {
        id: requestId,
        resolve: (raw) => {
          clearTimeout(timer);
          resolve(raw);
        },
      };
      this.socket.send(JSON.stringify({ header: { name, requestId, type: 'command' }, payload }));
    });
  }

  /** Round trips of one command after a warm-up, in milliseconds. */
  async time(name: string, payload: unknown, samples: number, warmup: number, check: (raw: string) => void = () => undefined): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < warmup + samples; i += 1) {
      const started = performance.now();
      const raw = await this.send(name, payload);
      const elapsed = performance.now() - started;
      if (i === 0) check(raw);
      if (i >= warmup) out.push(elapsed);
    }
    return out;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
