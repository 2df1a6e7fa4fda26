// The Linux printer-class device file (/dev/usb/lp0, the usblp kernel driver): no native module
// needed. Opened non-blocking, so no thread of the pool is held by a read that waits for the
// printer: reads are polled while the file is open. usblp answers reads when the printer's
// interface is bidirectional, which is how DLE EOT replies come back.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { delay, reasonOf } from '../core/deadline';
import { Listeners, type Unsubscribe } from '../core/listeners';
import { err, OK_VOID, type Result } from '../core/result';
import { causeProperty, describeCause, transportError, type ByteTransport, type TransportError, type TransportErrorCode } from './transport';

export interface DeviceFileOptions {
  readonly path: string;
  /** How often to look for bytes from the device. */
  readonly pollMs?: number;
}

function codeOf(cause: unknown): TransportErrorCode {
  const code = causeProperty(cause, 'code');
  if (code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO') return 'notFound';
  if (code === 'EACCES' || code === 'EPERM') return 'accessDenied';
  if (code === 'EBUSY') return 'busy';
  return 'ioError';
}

const isWouldBlock = (cause: unknown): boolean => {
  const code = causeProperty(cause, 'code');
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
};

export class DeviceFileTransport implements ByteTransport {
  readonly kind = 'usb' as const;
  readonly label: string;
  readonly #data = new Listeners<Uint8Array>('device file data');
  readonly #closed = new Listeners<TransportError | undefined>('device file close');
  #handle: FileHandle | undefined;
  readonly #stop = new AbortController();

  constructor(private readonly options: DeviceFileOptions) {
    this.label = `file ${options.path}`;
  }

  get isOpen(): boolean {
    return this.#handle !== undefined;
  }

  async open(signal: AbortSignal): Promise<Result<void, TransportError>> {
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    if (this.#handle) return err(transportError('busy', 'already open'));
    try {
      this.#handle = await open(this.options.path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
    } catch (cause) {
      return err(transportError(codeOf(cause), describeCause(cause)));
    }
    void this.#readLoop(this.#handle);
    return OK_VOID;
  }

  async #readLoop(handle: FileHandle): Promise<void> {
    const buffer = Buffer.alloc(512);
    while (this.#handle === handle) {
      try {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead > 0) {
          this.#data.emit(Uint8Array.from(buffer.subarray(0, bytesRead)));
          continue;
        }
      } catch (cause) {
        if (!isWouldBlock(cause)) {
          if (this.#handle === handle) this.#drop(transportError('closed', `device file read failed: ${describeCause(cause)}`));
          return;
        }
      }
      await delay(this.options.pollMs ?? 20, this.#stop.signal);
    }
  }

  #drop(error: TransportError | undefined): void {
    const handle = this.#handle;
    if (!handle) return;
    this.#handle = undefined;
    void handle.close().catch(() => undefined);
    this.#closed.emit(error);
  }

  async write(bytes: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>> {
    let offset = 0;
    while (offset < bytes.length) {
      const handle = this.#handle;
      if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
      if (!handle) return err(transportError('closed', 'transport is not open'));
      try {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
        offset += bytesWritten;
      } catch (cause) {
        if (!isWouldBlock(cause)) {
          const error = transportError(codeOf(cause), describeCause(cause));
          if (error.code === 'notFound') this.#drop(transportError('closed', 'printer was unplugged'));
          return err(error);
        }
        // The printer's buffer is full: wait for it to print.
        const waited = await delay(20, signal);
        if (!waited.ok) return err(transportError('canceled', waited.error.message));
      }
    }
    return OK_VOID;
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.#data.subscribe(listener);
  }

  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe {
    return this.#closed.subscribe(listener);
  }

  async close(): Promise<void> {
    this.#stop.abort();
    this.#drop(undefined);
  }
}
