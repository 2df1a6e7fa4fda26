// Serial transport over node-serialport's binding layer (USB-serial ID card readers at 115200 8N1).
// The binding is injected: the real one is loaded lazily from @serialport/bindings-cpp, tests pass
// serialport's MockBinding, so the fake sits at the lowest layer and all of this code runs in tests.
import type { BindingInterface, BindingPortInterface } from '@serialport/bindings-interface';
import { reasonOf } from '../core/deadline';
import { Listeners, type Unsubscribe } from '../core/listeners';
import { err, ok, OK_VOID, type Result } from '../core/result';
import { causeProperty, describeCause, transportError, type ByteTransport, type TransportError } from './transport';

export interface SerialOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly dataBits?: 5 | 6 | 7 | 8;
  readonly stopBits?: 1 | 2;
  readonly parity?: 'none' | 'even' | 'odd';
}

export type SerialBindingLoader = () => Promise<Result<BindingInterface, TransportError>>;

let realBinding: Promise<Result<BindingInterface, TransportError>> | undefined;

/** The platform binding, loaded on first use so that a machine without it still starts. */
export const loadRealSerialBinding: SerialBindingLoader = () => {
  realBinding ??= import('@serialport/bindings-cpp').then(
    (module) => ok<BindingInterface>(module.autoDetect()),
    (cause: unknown) => err(transportError('driverUnavailable', `serial binding could not be loaded: ${describeCause(cause)}`)),
  );
  return realBinding;
};

const READ_CHUNK = 4096;

function errorCode(cause: unknown): TransportError['code'] {
  const message = describeCause(cause);
  if (/ENOENT|No such file|does not exist/i.test(message)) return 'notFound';
  if (/EACCES|EPERM|Permission denied/i.test(message)) return 'accessDenied';
  if (/EBUSY|locked|Resource temporarily unavailable/i.test(message)) return 'busy';
  return 'ioError';
}

export class SerialTransport implements ByteTransport {
  readonly kind = 'serial' as const;
  readonly label: string;
  readonly #data = new Listeners<Uint8Array>('serial transport data');
  readonly #closed = new Listeners<TransportError | undefined>('serial transport close');
  #port: BindingPortInterface | undefined;
  #closing = false;
  #writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: SerialOptions,
    private readonly loadBinding: SerialBindingLoader = loadRealSerialBinding,
  ) {
    this.label = `serial ${options.path} ${options.baudRate}`;
  }

  get isOpen(): boolean {
    return this.#port?.isOpen ?? false;
  }

  async open(signal: AbortSignal): Promise<Result<void, TransportError>> {
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    if (this.#port) return err(transportError('busy', 'already open'));
    const binding = await this.loadBinding();
    if (!binding.ok) return binding;
    let port: BindingPortInterface;
    try {
      port = await binding.value.open({
        path: this.options.path,
        baudRate: this.options.baudRate,
        dataBits: this.options.dataBits ?? 8,
        stopBits: this.options.stopBits ?? 1,
        parity: this.options.parity ?? 'none',
        lock: true,
      });
    } catch (cause) {
      return err(transportError(errorCode(cause), describeCause(cause)));
    }
    if (signal.aborted) {
      await port.close().catch(() => undefined);
      return err(transportError('canceled', reasonOf(signal).message));
    }
    this.#port = port;
    this.#closing = false;
    void this.#readLoop(port);
    return OK_VOID;
  }

  async #readLoop(port: BindingPortInterface): Promise<void> {
    const buffer = Buffer.alloc(READ_CHUNK);
    for (;;) {
      try {
        const { bytesRead } = await port.read(buffer, 0, READ_CHUNK);
        if (bytesRead > 0) this.#data.emit(Uint8Array.from(buffer.subarray(0, bytesRead)));
      } catch (cause) {
        const canceled = causeProperty(cause, 'canceled') === true;
        this.#port = undefined;
        if (!this.#closing) await port.close().catch(() => undefined);
        this.#closed.emit(this.#closing && canceled ? undefined : transportError('closed', `serial port dropped: ${describeCause(cause)}`));
        return;
      }
    }
  }

  write(bytes: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>> {
    const port = this.#port;
    if (signal.aborted) return Promise.resolve(err(transportError('canceled', reasonOf(signal).message)));
    if (!port) return Promise.resolve(err(transportError('closed', 'transport is not open')));
    // The binding allows one write at a time: chain them.
    const result = this.#writing.then(async (): Promise<Result<void, TransportError>> => {
      if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
      try {
        await port.write(Buffer.from(bytes));
        return OK_VOID;
      } catch (cause) {
        return err(transportError(errorCode(cause), describeCause(cause)));
      }
    });
    this.#writing = result;
    return result;
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.#data.subscribe(listener);
  }

  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe {
    return this.#closed.subscribe(listener);
  }

  async close(): Promise<void> {
    const port = this.#port;
    if (!port) return;
    this.#closing = true;
    await port.close().catch(() => undefined);
  }
}
