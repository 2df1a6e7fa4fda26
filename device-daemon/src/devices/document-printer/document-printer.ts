// The A4 printer, a CUPS queue: PDFs go to it with lp, its state comes from lpstat every few
// seconds. A PDF is written to a private temporary file only for as long as lp needs it.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackoffPolicy } from '../../core/backoff';
import { deadline } from '../../core/deadline';
import { FifoQueue } from '../../core/fifo-queue';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import { err, ok, type Result } from '../../core/result';
import type { Logger } from '../../log/logger';
import type { DeviceCapabilities, DeviceInformation, DeviceStatus, ErrorEvent } from '../../protocol';
import type { Device, DeviceNotification, HealthLevel, HealthReport } from '../device';
import { StatusStore } from '../status-store';
import { parsePrinterState, parseRequestId, run, type Command } from './cups-commands';

export interface DocumentPrinterOptions {
  readonly name: string;
  readonly simulated: boolean;
  /** The CUPS queue. */
  readonly queue: string;
  readonly lp: Command;
  readonly lpstat: Command;
  readonly statusPollMs: number;
  readonly commandTimeoutMs: number;
  /** A private folder for the PDF while lp reads it. */
  readonly workDir: string;
  readonly backoff: BackoffPolicy;
  readonly information: Omit<DeviceInformation, 'simulated' | 'serialNumber'>;
  readonly log: Logger;
}

export type DocumentPrintError = { readonly code: 'printerNotReady' | 'printFailed' | 'timeout' | 'canceled'; readonly message: string };

export interface PrintOptions {
  /** fit (default): scaled into the printable area; none: at 100 %, for what must keep its size (ID photos). */
  readonly scaling?: 'fit' | 'none';
}

export class DocumentPrinter implements Device {
  readonly deviceClass = 'documentPrinter' as const;
  readonly jobs: FifoQueue;
  readonly #store: StatusStore;
  readonly #notifications = new Listeners<DeviceNotification>('document printer notification');
  #timer: ReturnType<typeof setTimeout> | undefined;
  #faultKey: string | undefined;
  #lastHealth: HealthReport | undefined;
  #closed = false;
  readonly #stop = new AbortController();

  constructor(private readonly options: DocumentPrinterOptions) {
    this.jobs = new FifoQueue(options.name);
    this.#store = new StatusStore(options.name, {
      deviceClass: 'documentPrinter',
      common: { device: 'starting', devicePosition: 'inPosition' },
      documentPrinter: { queue: 'unknown', reason: '' },
    });
    this.#store.subscribe((event) => this.#notifications.emit({ kind: 'statusChanged', event }));
  }

  get name(): string {
    return this.options.name;
  }

  get simulated(): boolean {
    return this.options.simulated;
  }

  open(): void {
    void this.#poll();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stop.abort();
    if (this.#timer) clearTimeout(this.#timer);
  }

  status(): DeviceStatus {
    return this.#store.get();
  }

  capabilities(): DeviceCapabilities {
    return {
      deviceClass: 'documentPrinter',
      common: { serviceVersion: '1.0', deviceInformation: [{ ...this.options.information, serialNumber: '', simulated: this.options.simulated }], healthLevels: ['internal', 'external'] },
      interfaces: [{ name: 'Common', commands: ['Common.Status', 'Common.Capabilities', 'Common.Cancel'], events: ['Common.StatusChangedEvent', 'Common.ErrorEvent'] }],
      documentPrinter: { queue: this.options.queue, media: 'A4' },
    };
  }

  subscribe(listener: (notification: DeviceNotification) => void): Unsubscribe {
    return this.#notifications.subscribe(listener);
  }

  lastHealth(): HealthReport | undefined {
    return this.#lastHealth;
  }

  async checkHealth(level: HealthLevel, signal: AbortSignal): Promise<HealthReport> {
    const at = new Date().toISOString();
    if (level !== 'internal') await this.#poll(signal);
    const s = this.#store.get();
    const healthy = s.common.device === 'online';
    const report: HealthReport = { level, ok: healthy, at, text: `${level === 'internal' ? 'Internal' : 'External'} CheckHealth: queue ${this.options.queue} ${s.documentPrinter?.queue ?? 'unknown'}${s.documentPrinter?.reason ? ` (${s.documentPrinter.reason})` : ''}` };
    this.#lastHealth = report;
    return report;
  }

  /** Prints a PDF; resolves when CUPS has taken the job (with its request id). */
  async print(pdf: Uint8Array, title: string, signal: AbortSignal, options: PrintOptions = {}): Promise<Result<{ jobId: string }, DocumentPrintError>> {
    const queued = await this.jobs.run((jobSignal) => this.#print(pdf, title, options.scaling ?? 'fit', jobSignal), signal);
    if (!queued.ok) return err({ code: queued.error.kind === 'timeout' ? 'timeout' : 'canceled', message: queued.error.message });
    return queued.value;
  }

  async #print(pdf: Uint8Array, title: string, scaling: 'fit' | 'none', signal: AbortSignal): Promise<Result<{ jobId: string }, DocumentPrintError>> {
    if (this.#store.state !== 'online') return err({ code: 'printerNotReady', message: `printer ${this.options.queue} is ${this.#store.get().documentPrinter?.queue ?? 'unknown'}` });
    await mkdir(this.options.workDir, { recursive: true, mode: 0o700 });
    const file = join(this.options.workDir, `${randomUUID()}.pdf`);
    try {
      await writeFile(file, pdf, { mode: 0o600 });
      const guard = deadline(signal, this.options.commandTimeoutMs, 'lp');
      const result = await run(this.options.lp, ['-d', this.options.queue, '-t', title.slice(0, 80), '-o', 'media=A4', '-o', scaling === 'fit' ? 'fit-to-page' : 'print-scaling=none', '--', file], guard.signal, this.options.commandTimeoutMs);
      guard.dispose();
      if (!result.ok) {
        void this.#poll();
        return err({ code: result.error.kind === 'timeout' ? 'timeout' : result.error.kind === 'canceled' ? 'canceled' : 'printFailed', message: result.error.message });
      }
      const jobId = parseRequestId(result.value);
      if (!jobId) return err({ code: 'printFailed', message: `lp gave no request id: ${result.value.trim().slice(0, 100)}` });
      return ok({ jobId });
    } finally {
      // Personal data: the file goes as soon as lp has it (CUPS keeps its own spool copy).
      await rm(file, { force: true });
    }
  }

  async #poll(signal: AbortSignal = this.#stop.signal): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    const result = await run(this.options.lpstat, ['-p', this.options.queue], signal, this.options.commandTimeoutMs);
    if (this.#closed) return;
    if (!result.ok) {
      const missing = result.error.kind === 'notFound' || /Invalid destination|not exist|Unknown printer/i.test(result.error.message);
      this.#store.update({ common: { device: missing ? 'noDevice' : 'offline' }, documentPrinter: { queue: 'unknown', reason: result.error.message } });
      this.#fault(`A4 printer: ${result.error.message}`);
    } else {
      const state = parsePrinterState(result.value, this.options.queue);
      if (!state) {
        this.#store.update({ common: { device: 'noDevice' }, documentPrinter: { queue: 'unknown', reason: 'lpstat does not know the queue' } });
        this.#fault(`A4 printer queue ${this.options.queue} not found`);
      } else if (state.state === 'stopped') {
        const paper = /paper|media/i.test(state.reason);
        this.#store.update({ common: { device: paper ? 'userError' : 'offline' }, documentPrinter: { queue: 'stopped', reason: state.reason } });
        this.#fault(`A4 printer stopped: ${state.reason || 'disabled'}`, paper ? 'clear' : 'maintenance');
      } else {
        this.#store.update({ common: { device: 'online' }, documentPrinter: { queue: state.state, reason: '' } });
        this.#faultKey = undefined;
      }
    }
    if (!this.#closed) this.#timer = setTimeout(() => void this.#poll(), this.options.statusPollMs);
  }

  #fault(description: string, action: ErrorEvent['action'] = 'suspend'): void {
    const key = `${action}/${description}`;
    if (key === this.#faultKey) return;
    this.#faultKey = key;
    this.options.log.warn({ action, description }, 'device fault');
    this.#notifications.emit({ kind: 'error', event: { device: this.name, eventId: 'hardware', action, vendorDescription: description } });
  }
}
