// Durable print jobs: stored before they are sent, printed one at a time in order through the
// printer's queue, and never lost or printed twice unmarked. A paper-out or open cover mid-job
// leaves the job pending; when the fault clears the printer either finishes it from its buffer
// (the job completes) or the job is printed again whole under a REPRINT mark. A job still open when
// the daemon stopped is printed again, marked, when it starts.
import { randomUUID } from 'node:crypto';
import { AbortReason } from '../../core/deadline';
import { concatBytes } from '../../core/bytes';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import type { Logger } from '../../log/logger';
import { EscPosBuilder } from './encoder/escpos-builder';
import { encodeGb18030 } from './encoder/gb18030';
import type { PrintJob, PrintJobStore } from './print-job-store';
import type { ReceiptPrinter } from './receipt-printer';

export interface PrintJobOptions {
  /** How long to wait for a job's confirmation while the printer looks fine. */
  readonly confirmTimeoutMs: number;
  /** After a fault clears, how long the printer gets to finish the buffered job. */
  readonly graceMs: number;
  /** Attempts before a job that is never confirmed is given up as failed (kept, reported). */
  readonly maxAttempts: number;
}

export const DEFAULT_JOB_OPTIONS: PrintJobOptions = { confirmTimeoutMs: 60_000, graceMs: 10_000, maxAttempts: 3 };

export interface JobStateChange {
  readonly device: string;
  readonly jobId: string;
  readonly state: PrintJob['state'];
  readonly reason: string | null;
  readonly reprint: boolean;
}

/** The line a reprint starts with, so that a second copy is never taken for a second payment. */
export function reprintMark(): Uint8Array {
  return new EscPosBuilder()
    .initialise()
    .chinese(true)
    .align('center')
    .bold(true)
    .size(2, 2)
    .bytes(encodeGb18030('重打 REPRINT').bytes)
    .lineFeed()
    .size(1, 1)
    .bytes(encodeGb18030('本凭证为补打，原凭证可能已部分打印').bytes)
    .lineFeed()
    .build();
}

type Wake = () => void;

export class PrintJobService {
  readonly #changes = new Listeners<JobStateChange>('print job state');
  readonly #stop = new AbortController();
  #wake: Wake | undefined;
  #worker: Promise<void> | undefined;

  constructor(
    private readonly printer: ReceiptPrinter,
    private readonly store: PrintJobStore,
    private readonly log: Logger,
    private readonly options: PrintJobOptions = DEFAULT_JOB_OPTIONS,
  ) {}

  subscribe(listener: (change: JobStateChange) => void): Unsubscribe {
    return this.#changes.subscribe(listener);
  }

  /** Resumes open jobs (those caught mid-print are printed again, marked) and starts the worker. */
  start(): void {
    for (const job of this.store.open(this.printer.name)) {
      if (job.state === 'printing') this.#set(job, { state: 'queued', reason: 'daemon restarted', reprint: true });
    }
    this.#worker ??= this.#work();
  }

  async stop(): Promise<void> {
    this.#stop.abort(new AbortReason('shutdown', 'daemon stopping'));
    this.#wake?.();
    await this.#worker;
  }

  submit(kind: string, bytes: Uint8Array): PrintJob {
    const job = this.store.add(randomUUID(), this.printer.name, kind, bytes);
    this.log.info({ jobId: job.id, kind }, 'print job stored');
    this.#wake?.();
    return job;
  }

  get(jobId: string): PrintJob | undefined {
    return this.store.get(jobId);
  }

  /** Resolves when the job is printed, pending on a fault, or failed, whichever comes first. */
  settled(jobId: string, signal: AbortSignal): Promise<PrintJob | undefined> {
    const now = this.store.get(jobId);
    if (!now || now.state === 'printed' || now.state === 'pending' || now.state === 'failed') return Promise.resolve(now);
    return new Promise((resolve) => {
      const stop = this.subscribe((change) => {
        if (change.jobId !== jobId || change.state === 'queued' || change.state === 'printing') return;
        stop();
        signal.removeEventListener('abort', onAbort);
        resolve(this.store.get(jobId));
      });
      const onAbort = (): void => {
        stop();
        resolve(this.store.get(jobId));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #set(job: PrintJob, change: Parameters<PrintJobStore['update']>[1]): PrintJob {
    const updated = change.state === 'printed' ? this.store.printed(job) : this.store.update(job, change);
    if (updated.state !== job.state || updated.reason !== job.reason) {
      this.log.info({ jobId: job.id, state: updated.state, reason: updated.reason, attempts: updated.attempts, reprint: updated.reprint }, 'print job state');
      this.#changes.emit({ device: this.printer.name, jobId: job.id, state: updated.state, reason: updated.reason, reprint: updated.reprint });
    }
    return updated;
  }

  /** Waits for a wake-up (a new job) or a printer status change, or the stop. */
  #nap(): Promise<void> {
    return new Promise((resolve) => {
      const stopStatus = this.printer.subscribe((n) => {
        if (n.kind === 'statusChanged') done();
      });
      const done = (): void => {
        stopStatus();
        this.#wake = undefined;
        this.#stop.signal.removeEventListener('abort', done);
        resolve();
      };
      this.#wake = done;
      this.#stop.signal.addEventListener('abort', done, { once: true });
    });
  }

  async #work(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      const job = this.store.open(this.printer.name)[0];
      if (!job) {
        await this.#nap();
        continue;
      }
      const ran = await this.printer.queue.run((signal) => this.#attempt(job, signal), this.#stop.signal);
      // Not ready, or waiting on a fault: look again when something changes.
      if (!ran.ok || ran.value === 'wait') await this.#nap();
    }
  }

  /** One step for the oldest open job. Runs inside the printer's queue. */
  async #attempt(current: PrintJob, signal: AbortSignal): Promise<'done' | 'wait' | 'again'> {
    let job = current;
    const ready = this.printer.readiness();
    if (!ready.ok) {
      if (job.state !== 'pending' || job.reason !== ready.error.code) this.#set(job, { state: 'pending', reason: ready.error.code });
      return 'wait';
    }
    if (job.state === 'pending' && job.reason === 'finishing') {
      // The fault has cleared: the printer may print the rest of the job from its buffer.
      return this.#awaitFinish(job, signal);
    }
    if (job.attempts >= this.options.maxAttempts) {
      this.#set(job, { state: 'failed', reason: 'noConfirmation' });
      return 'done';
    }
    const bytes = this.store.bytes(job.id);
    if (!bytes) {
      this.#set(job, { state: 'failed', reason: 'jobDataMissing' });
      return 'done';
    }
    if (job.reprint) {
      // Whatever is left of an earlier attempt in the printer's buffer goes first.
      await this.printer.reset(signal);
    }
    job = this.#set(job, { state: 'printing', attempts: job.attempts + 1 });
    const sent = await this.printer.startJob(job.reprint ? concatBytes(reprintMark(), bytes) : bytes, signal);
    if (!sent.ok) {
      this.#set(job, { state: 'pending', reason: sent.error.code, reprint: job.reprint });
      return 'wait';
    }
    const outcome = await this.#watch(sent.value.processed, signal, this.options.confirmTimeoutMs);
    switch (outcome) {
      case 'processed':
        this.#set(job, { state: 'printed' });
        return 'done';
      case 'lost':
        // The printer's buffer is gone (reconnected or cleared): print it again, marked.
        this.#set(job, { state: 'pending', reason: 'connectionLost', reprint: true });
        return 'wait';
      case 'fault': {
        const readiness = this.printer.readiness();
        this.#set(job, { state: 'pending', reason: readiness.ok ? 'fault' : readiness.error.code });
        // Keep waiting for the confirmation while the fault lasts; the printer holds the job.
        const later = await this.#watchUntilReady(sent.value.processed, signal);
        if (later === 'processed') {
          this.#set(job, { state: 'printed' });
          return 'done';
        }
        if (later === 'lost') {
          this.#set(this.store.get(job.id) ?? job, { state: 'pending', reason: 'connectionLost', reprint: true });
          return 'wait';
        }
        // Ready again without the confirmation yet: give the printer its grace period.
        const finishing = this.#set(this.store.get(job.id) ?? job, { state: 'pending', reason: 'finishing' });
        return this.#awaitFinish(finishing, signal, sent.value);
      }
      case 'timeout':
      case 'stopped':
        sent.value.abandon();
        this.#set(job, { state: 'pending', reason: outcome === 'timeout' ? 'noConfirmation' : 'daemonStopping', reprint: true });
        return outcome === 'timeout' ? 'again' : 'wait';
    }
  }

  async #awaitFinish(job: PrintJob, signal: AbortSignal, sent?: { processed: Promise<'processed' | 'lost'>; abandon(): void }): Promise<'done' | 'wait' | 'again'> {
    if (sent) {
      const outcome = await this.#watch(sent.processed, signal, this.options.graceMs);
      if (outcome === 'processed') {
        this.#set(job, { state: 'printed' });
        return 'done';
      }
      sent.abandon();
    }
    this.#set(job, { state: 'pending', reason: 'reprintNeeded', reprint: true });
    return 'again';
  }

  /** Waits for the confirmation, a fault, the timeout, or the stop. */
  #watch(processed: Promise<'processed' | 'lost'>, signal: AbortSignal, timeoutMs: number): Promise<'processed' | 'lost' | 'fault' | 'timeout' | 'stopped'> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: 'processed' | 'lost' | 'fault' | 'timeout' | 'stopped'): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopStatus();
        signal.removeEventListener('abort', onStop);
        resolve(outcome);
      };
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      const stopStatus = this.printer.subscribe((n) => {
        if (n.kind === 'statusChanged' && !this.printer.readiness().ok) finish('fault');
      });
      const onStop = (): void => finish('stopped');
      signal.addEventListener('abort', onStop, { once: true });
      void processed.then((outcome) => finish(outcome));
      // The fault may have come before this watch began (a fast printer runs out at once).
      if (!this.printer.readiness().ok) finish('fault');
    });
  }

  /** While a fault lasts: the confirmation (the printer finished from its buffer), a loss, or readiness. */
  async #watchUntilReady(processed: Promise<'processed' | 'lost'>, signal: AbortSignal): Promise<'processed' | 'lost' | 'ready'> {
    let outcome: 'processed' | 'lost' | undefined;
    void processed.then((o) => {
      outcome = o;
    });
    for (;;) {
      if (outcome) return outcome;
      if (signal.aborted) return 'lost';
      if (this.printer.readiness().ok) return 'ready';
      await this.#change(processed, signal);
    }
  }

  /** The next printer status change, the job's confirmation, or the stop, whichever comes first. */
  #change(processed: Promise<unknown>, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        stopStatus();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const stopStatus = this.printer.subscribe((n) => {
        if (n.kind === 'statusChanged') done();
      });
      signal.addEventListener('abort', done, { once: true });
      void processed.then(done);
    });
  }
}
