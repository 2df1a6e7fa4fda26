// The receipt printer driver: ESC/POS over any byte transport. It keeps the status live (DLE EOT
// polling, Automatic Status Back where supported), reconnects a dropped transport, and runs
// physical actions one at a time through the device's FIFO queue.
import type { BackoffPolicy } from '../../core/backoff';
import { concatBytes } from '../../core/bytes';
import { deadline, raceSignal, reasonOf } from '../../core/deadline';
import { FifoQueue } from '../../core/fifo-queue';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import { err, OK_VOID, ok, type Result } from '../../core/result';
import type { Logger } from '../../log/logger';
import type { DeviceCapabilities, DeviceInformation, DeviceStatus, ErrorEvent } from '../../protocol';
import type { ByteTransport, TransportError, TransportFactory } from '../../transports/transport';
export type { PrinterFailure, PrinterFailureCode } from './printer-failure';
import type { Device, DeviceNotification, HealthLevel, HealthReport } from '../device';
import { DeviceLink } from '../device-link';
import { StatusStore } from '../status-store';
import {
  autoStatusBack,
  decodeAutoStatusBack,
  decodeDleEot,
  DLE,
  ENQ,
  INITIALISE,
  printerCondition,
  PROCESSED_MARKER,
  STATUS_QUERY,
  type PrinterSensors,
} from './escpos-status';
import { JobConfirmations, type Confirmation } from './job-confirmations';
import { failure, fromAbort, fromTransport, type PrinterFailure } from './printer-failure';
import { PrinterReplyParser, type PrinterReply } from './reply-parser';

export interface ReceiptPrinterOptions {
  readonly name: string;
  readonly simulated: boolean;
  readonly createTransport: TransportFactory;
  readonly statusPollMs: number;
  readonly statusTimeoutMs: number;
  readonly openTimeoutMs: number;
  /** Bound on one job (or reset) at the device, whatever the command's own timeout. */
  readonly jobTimeoutMs: number;
  readonly autoStatusBack: boolean;
  readonly backoff: BackoffPolicy;
  readonly information: Omit<DeviceInformation, 'simulated'>;
  readonly log: Logger;
}

export type SentJob = Pick<Confirmation, 'processed' | 'abandon'>;

interface StatusWaiter {
  readonly replies: number[];
  readonly done: (replies: number[]) => void;
}

export const PRINTER_COMMANDS = ['Printer.Reset', 'Printer.PrintRaw'] as const;

export class ReceiptPrinter implements Device {
  readonly deviceClass = 'printer' as const;
  readonly queue: FifoQueue;
  readonly #store: StatusStore;
  readonly #link: DeviceLink;
  readonly #parser: PrinterReplyParser;
  readonly #notifications = new Listeners<DeviceNotification>('printer notification');
  #statusWaiter: StatusWaiter | undefined;
  #statusChain: Promise<unknown> = Promise.resolve();
  readonly #confirmations = new JobConfirmations();
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #lastHealth: HealthReport | undefined;
  #faultKey: string | undefined;
  #unsubscribeData: Unsubscribe | undefined;
  #closed = false;

  constructor(private readonly options: ReceiptPrinterOptions) {
    this.queue = new FifoQueue(options.name);
    this.#parser = new PrinterReplyParser(options.autoStatusBack);
    this.#store = new StatusStore(options.name, {
      deviceClass: 'printer',
      common: { device: 'starting', devicePosition: 'inPosition' },
      printer: { paper: 'unknown', cover: 'unknown' },
    });
    this.#store.subscribe((event) => this.#notifications.emit({ kind: 'statusChanged', event }));
    this.#link = new DeviceLink({
      createTransport: options.createTransport,
      openTimeoutMs: options.openTimeoutMs,
      backoff: options.backoff,
      log: options.log,
    });
  }

  get name(): string {
    return this.options.name;
  }

  get simulated(): boolean {
    return this.options.simulated;
  }

  get reconnects(): number {
    return this.#link.reconnects;
  }

  open(): void {
    this.#link.onConnected((transport) => void this.#onConnected(transport));
    this.#link.onFailure((error) => this.#onLinkFailure(error));
    this.#link.start();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#failWaiters();
    await this.#link.stop();
  }

  status(): DeviceStatus {
    return this.#store.get();
  }

  capabilities(): DeviceCapabilities {
    return {
      deviceClass: 'printer',
      common: {
        serviceVersion: '1.0',
        deviceInformation: [{ ...this.options.information, simulated: this.options.simulated }],
        healthLevels: ['internal', 'external'],
      },
      interfaces: [
        { name: 'Common', commands: ['Common.Status', 'Common.Capabilities', 'Common.Cancel'], events: ['Common.StatusChangedEvent', 'Common.ErrorEvent'] },
        { name: 'Printer', commands: [...PRINTER_COMMANDS], events: [] },
      ],
      printer: { type: 'receipt', paperWidthDots: 576, columns: 48, autoStatusBack: this.options.autoStatusBack },
    };
  }

  subscribe(listener: (notification: DeviceNotification) => void): Unsubscribe {
    return this.#notifications.subscribe(listener);
  }

  lastHealth(): HealthReport | undefined {
    return this.#lastHealth;
  }

  /** internal: the cached view, nothing sent. external: a status round trip through the transport. */
  async checkHealth(level: HealthLevel, signal: AbortSignal): Promise<HealthReport> {
    const at = new Date().toISOString();
    let report: HealthReport;
    if (level === 'internal') {
      const s = this.#store.get();
      const healthy = s.common.device === 'online' && s.printer?.paper !== 'out';
      const link = this.#link.transport ? `connected over ${this.#link.transport.label}` : `not connected (${this.#link.lastError?.message ?? 'connecting'})`;
      report = { level, ok: healthy, at, text: `Internal CheckHealth: ${healthy ? 'OK' : 'Failed'}; ${link}; state ${s.common.device}; paper ${s.printer?.paper}; cover ${s.printer?.cover}` };
    } else if (level === 'external') {
      const refreshed = await this.refreshStatus(signal);
      if (refreshed.ok) {
        const c = printerCondition(refreshed.value);
        report = { level, ok: c.device === 'online' && c.printer.paper !== 'out', at, text: `External CheckHealth: printer answered; state ${c.device}; paper ${c.printer.paper}; cover ${c.printer.cover}` };
      } else {
        report = { level, ok: false, at, text: `External CheckHealth: Failed; ${refreshed.error.message}` };
      }
    } else {
      report = { level, ok: false, at, text: 'Interactive CheckHealth is not offered by this printer driver' };
    }
    this.#lastHealth = report;
    return report;
  }

  async #onConnected(transport: ByteTransport): Promise<void> {
    this.#parser.reset();
    this.#confirmations.loseAll();
    this.#unsubscribeData?.();
    const stopData = transport.onData((bytes) => this.#onBytes(bytes));
    const stopClose = transport.onClose(() => {
      stopData();
      stopClose();
    });
    this.#unsubscribeData = () => {
      stopData();
      stopClose();
    };
    const guard = deadline(undefined, this.options.statusTimeoutMs, 'printer initialisation');
    const init = concatBytes(INITIALISE, autoStatusBack(this.options.autoStatusBack));
    const written = await transport.write(init, guard.signal);
    guard.dispose();
    if (!written.ok) return;
    await this.#pollOnce();
    this.#schedulePoll();
  }

  #onLinkFailure(error: TransportError): void {
    if (this.#closed) return;
    this.#failWaiters();
    this.#store.update({ common: { device: 'noDevice' } });
    // One event for the outage, however its retries fail; the link logs each reason.
    this.#raiseFault({ eventId: 'hardware', action: 'suspend', vendorDescription: error.code === 'driverUnavailable' ? `printer driver unavailable: ${error.message}` : 'printer is not connected; reconnecting' });
  }

  #failWaiters(): void {
    const waiter = this.#statusWaiter;
    this.#statusWaiter = undefined;
    waiter?.done([]);
    this.#confirmations.loseAll();
  }

  #onBytes(bytes: Uint8Array): void {
    for (const reply of this.#parser.feed(bytes)) this.#onReply(reply);
  }

  #onReply(reply: PrinterReply): void {
    switch (reply.kind) {
      case 'dleEot': {
        const waiter = this.#statusWaiter;
        if (!waiter) return;
        waiter.replies.push(reply.byte);
        if (waiter.replies.length === 4) {
          this.#statusWaiter = undefined;
          waiter.done(waiter.replies);
        }
        return;
      }
      case 'asb': {
        const decoded = decodeAutoStatusBack(reply.bytes);
        if (decoded.ok) this.#apply(decoded.value);
        return;
      }
      case 'processed': {
        this.#confirmations.confirm();
        return;
      }
      case 'noise':
        this.options.log.debug({ byte: reply.byte }, 'unexpected byte from printer');
        return;
    }
  }

  /** Asks DLE EOT 1..4 and applies the answer; no answer in time means offline. */
  refreshStatus(signal: AbortSignal): Promise<Result<PrinterSensors, PrinterFailure>> {
    const run = async (): Promise<Result<PrinterSensors, PrinterFailure>> => {
      const transport = this.#link.transport;
      if (!transport) return err(failure('notConnected', 'printer is not connected'));
      const guard = deadline(signal, this.options.statusTimeoutMs, 'printer status');
      try {
        const replies = new Promise<number[]>((resolve) => {
          this.#statusWaiter = { replies: [], done: resolve };
          guard.signal.addEventListener('abort', () => resolve([]), { once: true });
        });
        const written = await transport.write(STATUS_QUERY, guard.signal);
        if (!written.ok) {
          this.#statusWaiter = undefined;
          return err(fromTransport(written.error));
        }
        const bytes = await replies;
        this.#statusWaiter = undefined;
        if (bytes.length < 4) {
          if (guard.signal.aborted && reasonOf(guard.signal).kind !== 'timeout') return err(fromAbort(guard.signal));
          if (this.#link.transport === transport) {
            this.#store.update({ common: { device: 'offline' } });
            this.#raiseFault({ eventId: 'hardware', action: 'suspend', vendorDescription: 'printer does not answer status requests' });
          }
          return err(failure('offline', 'printer did not answer the status request in time'));
        }
        const decoded = decodeDleEot(bytes);
        if (!decoded.ok) return err(failure('ioError', decoded.error));
        this.#apply(decoded.value);
        return ok(decoded.value);
      } finally {
        guard.dispose();
      }
    };
    // One status exchange at a time: replies carry no tag to match them to a request.
    const result = this.#statusChain.then(run, run);
    this.#statusChain = result;
    return result;
  }

  #apply(sensors: PrinterSensors): void {
    const condition = printerCondition(sensors);
    this.#store.update({ common: { device: condition.device }, printer: condition.printer });
    if (condition.fault) this.#raiseFault(condition.fault);
    else this.#faultKey = undefined;
  }

  /** Emits Common.ErrorEvent once per distinct fault, not on every poll. */
  #raiseFault(fault: Omit<ErrorEvent, 'device'>): void {
    const key = `${fault.eventId}/${fault.action}/${fault.vendorDescription}`;
    if (key === this.#faultKey) return;
    this.#faultKey = key;
    this.options.log.warn({ eventId: fault.eventId, action: fault.action, description: fault.vendorDescription }, 'device fault');
    this.#notifications.emit({ kind: 'error', event: { device: this.name, ...fault } });
  }

  async #pollOnce(): Promise<void> {
    // Polling goes on while a job is in the queue: DLE EOT is real-time, the printer answers it with
    // a job in its buffer, and each write reaches the transport whole, never inside a command.
    if (this.#closed || !this.#link.transport) return;
    const guard = deadline(undefined, this.options.statusTimeoutMs * 2, 'printer status poll');
    await this.refreshStatus(guard.signal);
    guard.dispose();
  }

  #schedulePoll(): void {
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    if (this.#closed) return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = undefined;
      if (!this.#link.transport) return;
      void this.#pollOnce().then(() => this.#schedulePoll());
    }, this.options.statusPollMs);
  }

  /** Whether a job may start, from the cached status. */
  readiness(): Result<void, PrinterFailure> {
    const s = this.#store.get();
    switch (s.common.device) {
      case 'noDevice':
        return err(failure('notConnected', 'printer is not connected'));
      case 'offline':
      case 'starting':
        return err(failure('offline', `printer is ${s.common.device}`));
      case 'userError':
        return err(failure('coverOpen', 'printer cover is open'));
      case 'hardwareError':
        return err(failure('hardwareError', 'printer reports a hardware error'));
      default:
        break;
    }
    if (s.printer?.paper === 'out') return err(failure('paperOut', 'receipt paper is out'));
    return OK_VOID;
  }

  /** DLE ENQ 2 (recover and clear buffers), ESC @, then a fresh status. Run inside the queue. */
  async reset(signal: AbortSignal): Promise<Result<void, PrinterFailure>> {
    const guard = deadline(signal, this.options.jobTimeoutMs, 'printer reset');
    try {
      return await this.#reset(guard.signal);
    } finally {
      guard.dispose();
    }
  }

  async #reset(signal: AbortSignal): Promise<Result<void, PrinterFailure>> {
    const transport = this.#link.transport;
    if (!transport) return err(failure('notConnected', 'printer is not connected'));
    const bytes = concatBytes(Uint8Array.of(DLE, ENQ, 2), INITIALISE, autoStatusBack(this.options.autoStatusBack));
    const written = await transport.write(bytes, signal);
    if (!written.ok) return err(fromTransport(written.error));
    // DLE ENQ 2 and ESC @ drop whatever was buffered, including unanswered GS r requests.
    this.#confirmations.loseAll();
    const refreshed = await this.refreshStatus(signal);
    return refreshed.ok ? OK_VOID : err(refreshed.error);
  }

  /**
   * Sends a job and waits until the printer has processed all of it (the GS r reply that follows
   * the job). Run inside the queue.
   */
  async printRaw(job: Uint8Array, signal: AbortSignal): Promise<Result<void, PrinterFailure>> {
    const guard = deadline(signal, this.options.jobTimeoutMs, 'print job');
    try {
      return await this.#printRaw(job, guard.signal);
    } finally {
      guard.dispose();
    }
  }

  async #printRaw(job: Uint8Array, signal: AbortSignal): Promise<Result<void, PrinterFailure>> {
    const sent = await this.startJob(job, signal);
    if (!sent.ok) return sent;
    const outcome = await raceSignal(sent.value.processed, signal);
    if (!outcome.ok) {
      sent.value.abandon();
      return err(fromAbort(signal));
    }
    if (outcome.value === 'lost') return err(failure('notConnected', 'the printer lost the job (connection dropped or buffer cleared)'));
    const refreshed = await this.refreshStatus(signal);
    return refreshed.ok ? OK_VOID : err(refreshed.error);
  }

  /**
   * Sends a job followed by GS r 1, whose reply comes when the printer has processed everything
   * before it. Run inside the queue. The confirmation has no timeout of its own: the caller
   * decides how long to wait, and abandons the job when it stops waiting.
   */
  async startJob(job: Uint8Array, signal: AbortSignal): Promise<Result<SentJob, PrinterFailure>> {
    const ready = this.readiness();
    if (!ready.ok) return ready;
    const transport = this.#link.transport;
    if (!transport) return err(failure('notConnected', 'printer is not connected'));
    const confirmation = this.#confirmations.expect();
    const written = await transport.write(concatBytes(job, PROCESSED_MARKER), signal);
    if (!written.ok) {
      confirmation.cancel();
      return err(fromTransport(written.error));
    }
    return ok({ processed: confirmation.processed, abandon: confirmation.abandon });
  }
}
