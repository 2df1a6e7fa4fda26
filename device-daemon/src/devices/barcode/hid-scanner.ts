// A USB HID barcode scanner in keyboard mode, read through node-hid (or, in simulation, a virtual
// scanner typing the same reports over the memory transport). Scans that arrive while nobody asked
// are dropped: a code read by accident must not be taken for the next resident's.
import type { BackoffPolicy } from '../../core/backoff';
import { deadline } from '../../core/deadline';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import { err, ok, type Result } from '../../core/result';
import type { Logger } from '../../log/logger';
import type { DeviceCapabilities, DeviceInformation, DeviceStatus, ErrorEvent } from '../../protocol';
import type { TransportError, TransportFactory } from '../../transports/transport';
import type { Device, DeviceNotification, HealthLevel, HealthReport } from '../device';
import { DeviceLink } from '../device-link';
import { StatusStore } from '../status-store';
import { KeyboardDecoder } from './hid-keyboard';
import { identifyScan, type ScanText } from './scan-text';

export interface HidScannerOptions {
  readonly name: string;
  readonly simulated: boolean;
  readonly createTransport: TransportFactory;
  readonly openTimeoutMs: number;
  readonly backoff: BackoffPolicy;
  /** The device prefixes each input report with this report id. */
  readonly reportId?: number | undefined;
  readonly information: Omit<DeviceInformation, 'simulated' | 'serialNumber'>;
  readonly log: Logger;
  readonly now?: () => number;
}

export class HidScanner implements Device {
  readonly deviceClass = 'barcodeReader' as const;
  readonly #link: DeviceLink;
  readonly #store: StatusStore;
  readonly #notifications = new Listeners<DeviceNotification>('scanner notification');
  readonly #scans = new Listeners<ScanText>('scanner scan');
  /** The link dropped: reads waiting for a scan end at once instead of waiting out their timeout. */
  readonly #lost = new Listeners<string>('scanner lost');
  readonly #now: () => number;
  #armed = 0;
  #faultKey: string | undefined;
  #lastHealth: HealthReport | undefined;
  #closed = false;

  constructor(private readonly options: HidScannerOptions) {
    this.#now = options.now ?? (() => performance.now());
    this.#store = new StatusStore(options.name, {
      deviceClass: 'barcodeReader',
      common: { device: 'starting', devicePosition: 'inPosition' },
      barcodeReader: { scanning: false },
    });
    this.#store.subscribe((event) => this.#notifications.emit({ kind: 'statusChanged', event }));
    this.#link = new DeviceLink({ createTransport: options.createTransport, openTimeoutMs: options.openTimeoutMs, backoff: options.backoff, log: options.log });
  }

  get name(): string {
    return this.options.name;
  }

  get simulated(): boolean {
    return this.options.simulated;
  }

  open(): void {
    this.#link.onConnected((transport) => {
      const decoder = new KeyboardDecoder((line) => this.#onLine(line));
      const withReportId = this.options.reportId !== undefined;
      transport.onData((bytes) => decoder.chunk(bytes, this.#now(), withReportId));
      this.#store.update({ common: { device: 'online' } });
      this.#faultKey = undefined;
    });
    this.#link.onFailure((error) => this.#onFailure(error));
    this.#link.start();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#link.stop();
  }

  status(): DeviceStatus {
    return this.#store.get();
  }

  capabilities(): DeviceCapabilities {
    return {
      deviceClass: 'barcodeReader',
      common: {
        serviceVersion: '1.0',
        deviceInformation: [{ ...this.options.information, serialNumber: '', simulated: this.options.simulated }],
        healthLevels: ['internal', 'interactive'],
      },
      interfaces: [
        { name: 'Common', commands: ['Common.Status', 'Common.Capabilities', 'Common.Cancel'], events: ['Common.StatusChangedEvent', 'Common.ErrorEvent'] },
        { name: 'Scanner', commands: ['Scanner.Read'], events: [] },
      ],
      barcodeReader: { source: 'hid', symbologies: ['qr', 'code128', 'ean13', 'ean8'] },
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
    let report: HealthReport;
    if (level === 'interactive') {
      // The technician scans any code.
      const scan = await this.read(signal);
      report = { level, ok: scan.ok, at, text: `Interactive CheckHealth: ${scan.ok ? `read a ${scan.value.symbology} code of ${scan.value.text.length} characters` : scan.error}` };
    } else {
      const online = this.#store.state === 'online';
      report = { level, ok: online, at, text: `${level === 'internal' ? 'Internal' : 'External'} CheckHealth: ${online ? 'OK' : `state ${this.#store.state}`}` };
    }
    this.#lastHealth = report;
    return report;
  }

  /** The next scan, while the signal lasts. */
  read(signal: AbortSignal): Promise<Result<ScanText, string>> {
    if (this.#store.state !== 'online') return Promise.resolve(err(`scanner ${this.name} is ${this.#store.state}`));
    return new Promise((resolve) => {
      const guard = deadline(signal, undefined, 'waiting for a scan');
      const done = (result: Result<ScanText, string>): void => {
        stop();
        guard.dispose();
        this.#arm(-1);
        resolve(result);
      };
      const stopScans = this.#scans.subscribe((scan) => done(ok(scan)));
      const stopLost = this.#lost.subscribe((reason) => done(err(reason)));
      const stop = (): void => {
        stopScans();
        stopLost();
      };
      guard.signal.addEventListener('abort', () => done(err('canceled')), { once: true });
      this.#arm(1);
    });
  }

  #arm(delta: number): void {
    this.#armed += delta;
    this.#store.update({ barcodeReader: { scanning: this.#armed > 0 } });
  }

  #onLine(line: string): void {
    if (this.#armed === 0) {
      this.options.log.debug({ length: line.length }, 'scan while nobody asked; dropped');
      return;
    }
    this.#scans.emit(identifyScan(line));
  }

  #onFailure(error: TransportError): void {
    if (this.#closed) return;
    this.#store.update({ common: { device: 'noDevice' } });
    this.#raiseFault({ eventId: 'hardware', action: 'suspend', vendorDescription: error.code === 'driverUnavailable' ? `scanner driver unavailable: ${error.message}` : `scanner is not connected (${error.code}); reconnecting` });
    this.#lost.emit(`scanner ${this.name} was disconnected`);
  }

  #raiseFault(fault: Omit<ErrorEvent, 'device'>): void {
    const key = `${fault.eventId}/${fault.action}/${fault.vendorDescription}`;
    if (key === this.#faultKey) return;
    this.#faultKey = key;
    this.options.log.warn({ eventId: fault.eventId, action: fault.action, description: fault.vendorDescription }, 'device fault');
    this.#notifications.emit({ kind: 'error', event: { device: this.name, ...fault } });
  }
}
