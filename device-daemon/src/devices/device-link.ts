// Keeps a device's transport connected: opens it, notices when it drops, and reopens it with
// exponential backoff until it returns (PRODUCT.md section 5: reconnect when a transport drops).
import { backoffDelay, type BackoffPolicy } from '../core/backoff';
import { deadline, delay } from '../core/deadline';
import { Listeners, type Unsubscribe } from '../core/listeners';
import type { Logger } from '../log/logger';
import type { ByteTransport, TransportError, TransportFactory } from '../transports/transport';

export type LinkState = 'idle' | 'connecting' | 'connected' | 'stopped';

export interface DeviceLinkOptions {
  readonly createTransport: TransportFactory;
  readonly openTimeoutMs: number;
  readonly backoff: BackoffPolicy;
  /** A logger bound to the device (its child logger). */
  readonly log: Logger;
  readonly random?: () => number;
}

export class DeviceLink {
  #state: LinkState = 'idle';
  #transport: ByteTransport | undefined;
  #attempt = 0;
  #reconnects = 0;
  #everConnected = false;
  #lastError: TransportError | undefined;
  readonly #stop = new AbortController();
  readonly #connected = new Listeners<ByteTransport>('link connected');
  readonly #failed = new Listeners<TransportError>('link failed');
  #loop: Promise<void> | undefined;

  constructor(private readonly options: DeviceLinkOptions) {}

  get state(): LinkState {
    return this.#state;
  }

  /** The open transport, when connected. */
  get transport(): ByteTransport | undefined {
    return this.#state === 'connected' ? this.#transport : undefined;
  }

  get reconnects(): number {
    return this.#reconnects;
  }

  get lastError(): TransportError | undefined {
    return this.#lastError;
  }

  onConnected(listener: (transport: ByteTransport) => void): Unsubscribe {
    return this.#connected.subscribe(listener);
  }

  /** Every failed open and every drop of an open transport. */
  onFailure(listener: (error: TransportError) => void): Unsubscribe {
    return this.#failed.subscribe(listener);
  }

  start(): void {
    if (this.#state !== 'idle') return;
    this.#loop = this.#connectLoop();
  }

  async stop(): Promise<void> {
    this.#state = 'stopped';
    this.#stop.abort();
    await this.#loop;
    const transport = this.#transport;
    this.#transport = undefined;
    await transport?.close();
  }

  async #connectLoop(): Promise<void> {
    const { log } = this.options;
    this.#state = 'connecting';
    while (!this.#stop.signal.aborted) {
      const transport = this.options.createTransport();
      const guard = deadline(this.#stop.signal, this.options.openTimeoutMs, `opening ${transport.label}`);
      const opened = await transport.open(guard.signal);
      guard.dispose();
      if (this.#stop.signal.aborted) {
        if (opened.ok) await transport.close();
        return;
      }
      if (opened.ok) {
        this.#attach(transport);
        return;
      }
      const wait = backoffDelay(this.options.backoff, this.#attempt, this.options.random);
      if (this.#lastError?.code !== opened.error.code || this.#attempt === 0) {
        log.warn({ transport: transport.label, code: opened.error.code, reason: opened.error.message, retryInMs: wait }, 'device transport did not open');
      }
      this.#lastError = opened.error;
      this.#attempt += 1;
      this.#failed.emit(opened.error);
      await delay(wait, this.#stop.signal);
    }
  }

  #attach(transport: ByteTransport): void {
    const { log } = this.options;
    this.#transport = transport;
    this.#state = 'connected';
    this.#attempt = 0;
    this.#lastError = undefined;
    if (this.#everConnected) this.#reconnects += 1;
    this.#everConnected = true;
    log.info({ transport: transport.label }, 'device transport open');
    const stopWatching = transport.onClose((error) => {
      stopWatching();
      if (this.#state === 'stopped') return;
      const reason = error ?? { code: 'closed' as const, message: 'transport closed' };
      log.warn({ transport: transport.label, code: reason.code, reason: reason.message }, 'device transport dropped; reconnecting');
      this.#transport = undefined;
      this.#lastError = reason;
      this.#failed.emit(reason);
      this.#loop = this.#connectLoop();
    });
    this.#connected.emit(transport);
  }
}
