// HID transport (barcode scanners, HID card readers) through node-hid. node-hid is imported on first
// use: on a machine without libusb the import fails, the device reports driverUnavailable, and the
// daemon keeps running with every other device.
import { raceSignal, reasonOf } from '../core/deadline';
import { Listeners, type Unsubscribe } from '../core/listeners';
import { err, ok, OK_VOID, type Result } from '../core/result';
import { describeCause, transportError, type ByteTransport, type TransportError } from './transport';

export interface HidOptions {
  readonly vendorId: number;
  readonly productId: number;
  /** hidraw path, when several identical devices are attached. */
  readonly path?: string | undefined;
  /** Prepended to every output report (0 when the device uses no report ids). */
  readonly reportId?: number | undefined;
}

type HidModule = typeof import('node-hid');
type HidDevice = Awaited<ReturnType<HidModule['HIDAsync']['open']>>;

export type HidLoader = () => Promise<Result<HidModule, TransportError>>;

let hidModule: Promise<Result<HidModule, TransportError>> | undefined;

export const loadNodeHid: HidLoader = () => {
  hidModule ??= import('node-hid').then(
    (module) => ok(module),
    (cause: unknown) =>
      err(transportError('driverUnavailable', `node-hid could not be loaded (is libusb-1.0-0 installed?): ${describeCause(cause)}`)),
  );
  return hidModule;
};

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

export class HidTransport implements ByteTransport {
  readonly kind = 'hid' as const;
  readonly label: string;
  readonly #data = new Listeners<Uint8Array>('hid transport data');
  readonly #closed = new Listeners<TransportError | undefined>('hid transport close');
  #device: HidDevice | undefined;
  #closing = false;

  constructor(
    private readonly options: HidOptions,
    private readonly loadHid: HidLoader = loadNodeHid,
  ) {
    this.label = `hid ${hex4(options.vendorId)}:${hex4(options.productId)}`;
  }

  get isOpen(): boolean {
    return this.#device !== undefined;
  }

  async open(signal: AbortSignal): Promise<Result<void, TransportError>> {
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    if (this.#device) return err(transportError('busy', 'already open'));
    const loaded = await this.loadHid();
    if (!loaded.ok) return loaded;
    const hid = loaded.value;
    let opening: Promise<HidDevice>;
    try {
      opening = this.options.path !== undefined ? hid.HIDAsync.open(this.options.path) : hid.HIDAsync.open(this.options.vendorId, this.options.productId);
    } catch (cause) {
      return err(transportError('notFound', describeCause(cause)));
    }
    let raced;
    try {
      raced = await raceSignal(opening, signal);
    } catch (cause) {
      const message = describeCause(cause);
      return err(transportError(/permission|access/i.test(message) ? 'accessDenied' : 'notFound', message));
    }
    if (!raced.ok) {
      void opening.then((device) => device.close()).catch(() => undefined);
      return err(transportError('canceled', raced.error.message));
    }
    const device = raced.value;
    this.#device = device;
    this.#closing = false;
    device.on('data', (report: Buffer) => this.#data.emit(Uint8Array.from(report)));
    device.on('error', (cause: unknown) => this.#drop(this.#closing ? undefined : transportError('closed', `hid device dropped: ${describeCause(cause)}`)));
    return OK_VOID;
  }

  #drop(error: TransportError | undefined): void {
    const device = this.#device;
    if (!device) return;
    this.#device = undefined;
    device.removeAllListeners('data');
    void device.close().catch(() => undefined);
    this.#closed.emit(error);
  }

  async write(bytes: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>> {
    const device = this.#device;
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    if (!device) return err(transportError('closed', 'transport is not open'));
    try {
      const report = [this.options.reportId ?? 0, ...bytes];
      const written = await raceSignal(device.write(report), signal);
      if (!written.ok) return err(transportError('canceled', written.error.message));
      return OK_VOID;
    } catch (cause) {
      return err(transportError('ioError', describeCause(cause)));
    }
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.#data.subscribe(listener);
  }

  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe {
    return this.#closed.subscribe(listener);
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#drop(undefined);
  }
}
