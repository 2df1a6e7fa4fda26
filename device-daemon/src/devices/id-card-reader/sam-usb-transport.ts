// USB readers of the iDR200 family (0400:C35A) split every frame across endpoint pairs: the 7-byte
// header (preamble and LEN) goes to bulk OUT 0x02 and the rest to 0x06; replies come as a header
// on bulk IN 0x81 and a body of LEN bytes on 0x85. This transport joins and splits them so the
// driver sees the same byte stream as on a serial line.
import { raceSignal, reasonOf } from '../../core/deadline';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import { err, ok, OK_VOID, type Result } from '../../core/result';
import { describeCause, transportError, type ByteTransport, type TransportError } from '../../transports/transport';
import { endpointNumber } from '../../transports/usb-endpoints';
import { loadUsb } from '../../transports/usb-bulk-transport';
import { MAX_LEN, PREAMBLE } from './sam-frame';

export interface SplitEndpoints {
  readonly headerOut: number;
  readonly bodyOut: number;
  readonly headerIn: number;
  readonly bodyIn: number;
}

export const IDR_ENDPOINTS: SplitEndpoints = { headerOut: 0x02, bodyOut: 0x06, headerIn: 0x81, bodyIn: 0x85 };

/** The part of a WebUSB device this transport uses. */
export interface BulkDevice {
  transferOut(endpointNumber: number, data: Uint8Array): Promise<{ readonly status?: string }>;
  transferIn(endpointNumber: number, length: number): Promise<{ readonly status?: string; readonly data?: DataView | undefined }>;
  close(): Promise<void>;
}

export type BulkDeviceOpener = (signal: AbortSignal) => Promise<Result<BulkDevice, TransportError>>;

const HEADER = 7;

export class SamUsbTransport implements ByteTransport {
  readonly kind = 'usb' as const;
  readonly #data = new Listeners<Uint8Array>('sam usb data');
  readonly #closed = new Listeners<TransportError | undefined>('sam usb close');
  #device: BulkDevice | undefined;
  #closing = false;

  constructor(
    private readonly openDevice: BulkDeviceOpener,
    private readonly endpoints: SplitEndpoints,
    readonly label: string,
  ) {}

  get isOpen(): boolean {
    return this.#device !== undefined;
  }

  async open(signal: AbortSignal): Promise<Result<void, TransportError>> {
    if (this.#device) return err(transportError('busy', 'already open'));
    const opened = await this.openDevice(signal);
    if (!opened.ok) return opened;
    this.#device = opened.value;
    this.#closing = false;
    void this.#readLoop(opened.value);
    return OK_VOID;
  }

  async #readExactly(device: BulkDevice, endpoint: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const result = await device.transferIn(endpointNumber(endpoint), length - filled);
      const view = result.data;
      if (!view || view.byteLength === 0) continue;
      const chunk = new Uint8Array(view.buffer, view.byteOffset, Math.min(view.byteLength, length - filled));
      out.set(chunk, filled);
      filled += chunk.length;
    }
    return out;
  }

  async #readLoop(device: BulkDevice): Promise<void> {
    while (this.#device === device) {
      try {
        const header = await this.#readExactly(device, this.endpoints.headerIn, HEADER);
        const framed = PREAMBLE.every((b, i) => header[i] === b);
        const len = ((header[5] ?? 0) << 8) | (header[6] ?? 0);
        if (!framed || len === 0 || len > MAX_LEN) {
          // Not a header: hand it on as it is; the frame decoder reports and skips it.
          this.#data.emit(header);
          continue;
        }
        const body = await this.#readExactly(device, this.endpoints.bodyIn, len);
        const frame = new Uint8Array(HEADER + len);
        frame.set(header, 0);
        frame.set(body, HEADER);
        this.#data.emit(frame);
      } catch (cause) {
        if (this.#device === device) this.#drop(this.#closing ? undefined : transportError('closed', `usb read failed: ${describeCause(cause)}`));
        return;
      }
    }
  }

  #drop(error: TransportError | undefined): void {
    const device = this.#device;
    if (!device) return;
    this.#device = undefined;
    void device.close().catch(() => undefined);
    this.#closed.emit(error);
  }

  async write(frame: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>> {
    const device = this.#device;
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    if (!device) return err(transportError('closed', 'transport is not open'));
    if (frame.length <= HEADER) return err(transportError('invalidConfig', 'a SAM frame is longer than its 7-byte header'));
    try {
      const header = await raceSignal(device.transferOut(endpointNumber(this.endpoints.headerOut), frame.slice(0, HEADER)), signal);
      if (!header.ok) return err(transportError('canceled', header.error.message));
      const body = await raceSignal(device.transferOut(endpointNumber(this.endpoints.bodyOut), frame.slice(HEADER)), signal);
      if (!body.ok) return err(transportError('canceled', body.error.message));
      if ((header.value.status ?? 'ok') !== 'ok' || (body.value.status ?? 'ok') !== 'ok') return err(transportError('ioError', 'usb write did not complete'));
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

/** Opens the reader through the `usb` package: the vendor-class interface holding the endpoints. */
export function webUsbOpener(vendorId: number, productId: number, endpoints: SplitEndpoints, serialNumber?: string): BulkDeviceOpener {
  return async (signal) => {
    const loaded = await loadUsb();
    if (!loaded.ok) return loaded;
    const webusb = new loaded.value.WebUSB({ allowAllDevices: true });
    const opening = (async (): Promise<Result<BulkDevice, TransportError>> => {
      const device = (await webusb.getDevices()).find((d) => d.vendorId === vendorId && d.productId === productId && (serialNumber === undefined || d.serialNumber === serialNumber));
      if (!device) return err(transportError('notFound', `usb ${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')} is not connected`));
      try {
        await device.open();
        if (device.configuration === null) await device.selectConfiguration(1);
        const wanted = new Set([endpoints.headerOut, endpoints.bodyOut, endpoints.headerIn, endpoints.bodyIn].map(endpointNumber));
        const iface = device.configuration?.interfaces.find((i) => i.alternate.endpoints.some((e) => wanted.has(e.endpointNumber)));
        if (!iface) return err(transportError('invalidConfig', 'no interface carries the reader endpoints'));
        await device.claimInterface(iface.interfaceNumber);
        return ok(device);
      } catch (cause) {
        await device.close().catch(() => undefined);
        const message = describeCause(cause);
        return err(transportError(/access|permission/i.test(message) ? 'accessDenied' : 'ioError', message));
      }
    })();
    const raced = await raceSignal(opening, signal);
    return raced.ok ? raced.value : err(transportError('canceled', raced.error.message));
  };
}
