// Sends the outbox: one message at a time, the oldest due first, never overtaking an older message
// of the same stream. A backend that cannot be reached or answers "try later" gets the message again
// with backoff, forever (the message is kept); one that refuses it for good gets it marked rejected,
// which operators see. Every send carries the message id as its idempotency key.
import { backoffDelay, type BackoffPolicy } from '../../core/backoff';
import { deadline } from '../../core/deadline';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import type { Logger } from '../../log/logger';
import type { OutboxKind, OutboxMessage, OutboxStore } from './outbox-store';

export type SendOutcome =
  | { readonly kind: 'delivered'; readonly result?: Record<string, unknown> }
  | { readonly kind: 'retry'; readonly error: string }
  | { readonly kind: 'rejected'; readonly error: string };

export type OutboxHandler = (message: OutboxMessage, payload: unknown, signal: AbortSignal) => Promise<SendOutcome>;

export interface OutboxSenderOptions {
  readonly backoff: BackoffPolicy;
  /** Bound on one send. */
  readonly timeoutMs: number;
  readonly log: Logger;
  readonly now?: () => number;
  readonly random?: () => number;
}

export interface OutboxEvent {
  readonly message: OutboxMessage;
  readonly outcome: SendOutcome;
}

export class OutboxSender {
  readonly #events = new Listeners<OutboxEvent>('outbox event');
  readonly #stop = new AbortController();
  readonly #now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #started = false;

  constructor(
    private readonly store: OutboxStore,
    private readonly handlers: Readonly<Record<OutboxKind, OutboxHandler>>,
    private readonly options: OutboxSenderOptions,
  ) {
    this.#now = options.now ?? ((): number => Date.now());
  }

  /** Every attempt's outcome. */
  onEvent(listener: (event: OutboxEvent) => void): Unsubscribe {
    return this.#events.subscribe(listener);
  }

  start(): void {
    this.#started = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  /** Look now: a message was added, or the network came back. */
  kick(): void {
    if (!this.#started || this.#stop.signal.aborted) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      } else this.#schedule();
    });
  }

  /** Resolves once nothing is due now (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #schedule(): void {
    if (this.#stop.signal.aborted) return;
    const at = this.store.earliestDue();
    if (at === undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.kick();
    }, Math.max(0, at - this.#now()));
  }

  async #drain(): Promise<void> {
    for (;;) {
      if (this.#stop.signal.aborted) return;
      const due = this.store.nextDue();
      if (!due) return;
      const { message, payload } = due;
      let outcome: SendOutcome;
      if (!payload.ok) {
        outcome = { kind: 'rejected', error: `cannot open the message: ${payload.error}` };
      } else {
        const guard = deadline(this.#stop.signal, this.options.timeoutMs, `sending ${message.kind}`);
        try {
          outcome = await this.handlers[message.kind](message, payload.value, guard.signal);
        } finally {
          guard.dispose();
        }
      }
      if (this.#stop.signal.aborted && outcome.kind === 'retry') return;
      if (outcome.kind === 'delivered') this.store.delivered(message.id, outcome.result ?? null);
      else if (outcome.kind === 'rejected') {
        this.store.rejected(message.id, outcome.error);
        this.options.log.error({ id: message.id, kind: message.kind, reason: outcome.error }, 'outbox message rejected by the backend');
      } else {
        const wait = backoffDelay(this.options.backoff, message.attempts, this.options.random);
        this.store.retryAt(message.id, this.#now() + wait, outcome.error);
        if (message.attempts === 0 || message.attempts % 10 === 0) this.options.log.warn({ id: message.id, kind: message.kind, attempts: message.attempts + 1, retryInMs: wait, reason: outcome.error }, 'outbox send failed; will retry');
      }
      this.#events.emit({ message, outcome });
    }
  }
}
