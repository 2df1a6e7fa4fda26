// USB bulk transport (receipt printers in printer or vendor class, USB ID card readers), through
// the `usb` package's WebUSB API. The module is loaded on first use.
import { raceSignal, reasonOf } from '../core/deadline';
import { Listeners, type Unsubscribe } from '../core/listeners';
import { err, ok, OK_VOID, type Result } from '../core/result';
import { describeCause, transportError, type ByteTransport, type TransportError } from './transport';
import { selectBulkEndpoints, type EndpointChoice, type EndpointPreferences } from './usb-endpoints';

export interface UsbOptions extends EndpointPreferences {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | undefined;
  /** Bytes requested per IN transfer. */
  readonly readSize?: number | undefined;
}

type WebUsbModule = typeof import('usb');
type WebUsb = InstanceType<WebUsbModule['WebUSB']>;

let usbModule: Promise<Result<WebUsbModule, TransportError>> | undefined;

export function loadUsb(): Promise<Result<WebUsbModule, TransportError>> {
  usbModule ??= import('usb').then(
    (module) => ok(module),
    (cause: unknown) => err(transportError('driverUnavailable', `usb could not be loaded: ${describeCause(cause)}`)),
  );
  return usbModule;
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

export class UsbBulkTransport implements ByteTransport {
  readonly kind = 'usb' as const;
  readonly label: string;
  readonly #data = new Listeners<Uint8Array>('usb transport data');
  readonly #closed = new Listeners<TransportError | undefined>('usb transport close');
  #device: USBDevice | undefined;
  #webusb: WebUsb | undefined;
  #choice: EndpointChoice | undefined;
  #closing = false;
  #onDisconnect: ((event: USBConnectionEvent) => void) | undefined;

  constructor(private readonly options: UsbOptions) {
    this.label = `usb ${hex4(options.vendorId)}:${hex4(options.productId)}`;
  }

  get isOpen(): boolean {
    return this.#device?.opened ?? false;
  }

  async open(signal: AbortSignal): Promise<Result<void, TransportError>> {
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    if (this.#device) return err(transportError('busy', 'already open'));
    const loaded = await loadUsb();
    if (!loaded.ok) return loaded;
    const webusb = new loaded.value.WebUSB({ allowAllDevices: true });
    const opened = await raceSignal(this.#openDevice(webusb), signal);
    if (!opened.ok) return err(transportError('canceled', opened.error.message));
    if (!opened.value.ok) return opened.value;
    const { device, choice } = opened.value.value;
    this.#device = device;
    this.#webusb = webusb;
    this.#choice = choice;
    this.#closing = false;
    this.#onDisconnect = (event) => {
      if (event.device === device) this.#drop(transportError('closed', 'device was unplugged'));
    };
    webusb.addEventListener('disconnect', this.#onDisconnect);
    if (choice.inEndpoint) void this.#readLoop(device, choice.inEndpoint.endpointNumber, this.options.readSize ?? Math.max(64, choice.inEndpoint.packetSize));
    return OK_VOID;
  }

  async #openDevice(webusb: WebUsb): Promise<Result<{ device: USBDevice; choice: EndpointChoice }, TransportError>> {
    let device: USBDevice | undefined;
    try {
      const devices = await webusb.getDevices();
      device = devices.find(
        (d) =>
          d.vendorId === this.options.vendorId &&
          d.productId === this.options.productId &&
          (this.options.serialNumber === undefined || d.serialNumber === this.options.serialNumber),
      );
      if (!device) return err(transportError('notFound', `${this.label} is not connected`));
      await device.open();
      if (device.configuration === null) await device.selectConfiguration(1);
      const configuration = device.configuration;
      if (!configuration) return err(transportError('ioError', `${this.label} has no configuration`));
      const choice = selectBulkEndpoints(
        configuration.interfaces.map((i) => ({
          interfaceNumber: i.interfaceNumber,
          alternate: { interfaceClass: i.alternate.interfaceClass, endpoints: i.alternate.endpoints },
        })),
        { preferClasses: [7, 0xff], ...this.options },
      );
      if (!choice.ok) {
        await device.close().catch(() => undefined);
        return choice;
      }
      // On Linux the usblp driver holds printer-class interfaces.
      const native = device as USBDevice & { detachKernelDriver?: (n: number) => Promise<void> };
      await native.detachKernelDriver?.(choice.value.interfaceNumber).catch(() => undefined);
      await device.claimInterface(choice.value.interfaceNumber);
      return ok({ device, choice: choice.value });
    } catch (cause) {
      await device?.close().catch(() => undefined);
      const message = describeCause(cause);
      return err(transportError(/access|permission/i.test(message) ? 'accessDenied' : 'ioError', message));
    }
  }

  async #readLoop(device: USBDevice, endpoint: number, size: number): Promise<void> {
    while (this.#device === device) {
      try {
        const result = await device.transferIn(endpoint, size);
        if (result.status === 'stall') {
          await device.clearHalt('in', endpoint);
          continue;
        }
        const view = result.data;
        if (view && view.byteLength > 0) this.#data.emit(new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength)));
      } catch (cause) {
        if (this.#device === device && !this.#closing) this.#drop(transportError('closed', `usb read failed: ${describeCause(cause)}`));
        return;
      }
    }
  }

  #drop(error: TransportError | undefined): void {
    const device = this.#device;
    if (!device) return;
    this.#device = undefined;
    if (this.#onDisconnect) this.#webusb?.removeEventListener('disconnect', this.#onDisconnect);
    void device.close().catch(() => undefined);
    this.#closed.emit(error);
  }

  async write(bytes: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>> {
    const device = this.#device;
    const choice = this.#choice;
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    if (!device || !choice) return err(transportError('closed', 'transport is not open'));
    try {
      const sent = await raceSignal(device.transferOut(choice.outEndpoint.endpointNumber, Uint8Array.from(bytes)), signal);
      if (!sent.ok) return err(transportError(sent.error.kind === 'timeout' ? 'timeout' : 'canceled', sent.error.message));
      if (sent.value.status !== 'ok') return err(transportError('ioError', `usb write ended with ${sent.value.status}`));
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
    const device = this.#device;
    if (!device) return;
    this.#closing = true;
    const choice = this.#choice;
    if (choice) await device.releaseInterface(choice.interfaceNumber).catch(() => undefined);
    this.#drop(undefined);
  }
}
