// TCP transport: network receipt printers (port 9100) and loopback simulators.
import { createConnection, type Socket } from 'node:net';
import { reasonOf } from '../core/deadline';
import { Listeners, type Unsubscribe } from '../core/listeners';
import { err, OK_VOID, type Result } from '../core/result';
import { causeProperty, describeCause, transportError, type ByteTransport, type TransportError, type TransportErrorCode } from './transport';

export interface TcpOptions {
  readonly host: string;
  readonly port: number;
}

function codeOf(cause: unknown): TransportErrorCode {
  const code = causeProperty(cause, 'code');
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND' || code === 'ENETUNREACH') return 'notFound';
  if (code === 'EACCES' || code === 'EPERM') return 'accessDenied';
  if (code === 'ETIMEDOUT') return 'timeout';
  return 'ioError';
}

export class TcpTransport implements ByteTransport {
  readonly kind = 'tcp' as const;
  readonly label: string;
  readonly #data = new Listeners<Uint8Array>('tcp transport data');
  readonly #closed = new Listeners<TransportError | undefined>('tcp transport close');
  #socket: Socket | undefined;
  #closing = false;

  constructor(private readonly options: TcpOptions) {
    this.label = `tcp ${options.host}:${options.port}`;
  }

  get isOpen(): boolean {
    return this.#socket !== undefined && !this.#socket.destroyed;
  }

  open(signal: AbortSignal): Promise<Result<void, TransportError>> {
    if (signal.aborted) return Promise.resolve(err(transportError('canceled', reasonOf(signal).message)));
    if (this.#socket) return Promise.resolve(err(transportError('busy', 'already open')));
    return new Promise((resolve) => {
      const socket = createConnection({ host: this.options.host, port: this.options.port });
      const onAbort = (): void => {
        socket.destroy();
        resolve(err(transportError(reasonOf(signal).kind === 'timeout' ? 'timeout' : 'canceled', reasonOf(signal).message)));
      };
      const onError = (cause: Error): void => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(err(transportError(codeOf(cause), describeCause(cause))));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', onError);
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.off('error', onError);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 5_000);
        this.#attach(socket);
        resolve(OK_VOID);
      });
    });
  }

  #attach(socket: Socket): void {
    this.#socket = socket;
    let dropError: TransportError | undefined;
    socket.on('data', (chunk: Buffer) => this.#data.emit(chunk));
    socket.on('error', (cause) => {
      dropError = transportError(codeOf(cause), describeCause(cause));
    });
    socket.on('close', () => {
      this.#socket = undefined;
      const error = this.#closing ? undefined : (dropError ?? transportError('closed', 'peer closed the connection'));
      this.#closed.emit(error);
    });
  }

  write(bytes: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>> {
    const socket = this.#socket;
    if (signal.aborted) return Promise.resolve(err(transportError('canceled', reasonOf(signal).message)));
    if (!socket || socket.destroyed) return Promise.resolve(err(transportError('closed', 'transport is not open')));
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(err(transportError('canceled', reasonOf(signal).message)));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.write(bytes, (cause) => {
        signal.removeEventListener('abort', onAbort);
        resolve(cause ? err(transportError(codeOf(cause), describeCause(cause))) : OK_VOID);
      });
    });
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.#data.subscribe(listener);
  }

  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe {
    return this.#closed.subscribe(listener);
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    this.#closing = true;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }
}
