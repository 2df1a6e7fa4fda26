// The in-memory duplex pair that connects a driver to a simulator. Bytes are copied and delivered
// on a microtask, like real I/O arriving later, so neither side can re-enter the other.
import { reasonOf } from '../core/deadline';
import { Listeners, type Unsubscribe } from '../core/listeners';
import { err, OK_VOID, type Result } from '../core/result';
import { transportError, type ByteTransport, type TransportError } from './transport';

/** The simulator's end of a pair. */
export interface MemoryEndpoint {
  readonly isOpen: boolean;
  write(bytes: Uint8Array): void;
  onData(listener: (bytes: Uint8Array) => void): Unsubscribe;
  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe;
  /** Ends the connection from the device side, as when a cable is pulled. */
  close(error?: TransportError): void;
}

class PairEnd implements MemoryEndpoint {
  peer!: PairEnd;
  open = true;
  readonly data = new Listeners<Uint8Array>('memory transport data');
  readonly closed = new Listeners<TransportError | undefined>('memory transport close');

  get isOpen(): boolean {
    return this.open;
  }

  write(bytes: Uint8Array): void {
    if (!this.open) return;
    const copy = Uint8Array.from(bytes);
    const peer = this.peer;
    queueMicrotask(() => {
      if (peer.open) peer.data.emit(copy);
    });
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.data.subscribe(listener);
  }

  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe {
    return this.closed.subscribe(listener);
  }

  close(error?: TransportError): void {
    if (!this.open) return;
    this.open = false;
    this.peer.open = false;
    // The side that closed sees a clean close; the other side sees the drop.
    const peer = this.peer;
    queueMicrotask(() => {
      this.closed.emit(undefined);
      peer.closed.emit(error ?? transportError('closed', 'peer closed the connection'));
    });
  }
}

export function createMemoryPair(): { readonly host: MemoryEndpoint; readonly device: MemoryEndpoint } {
  const host = new PairEnd();
  const device = new PairEnd();
  host.peer = device;
  device.peer = host;
  return { host, device };
}

/** Something a memory transport can connect to: a simulator that accepts a new pair per open. */
export interface MemoryConnector {
  connect(signal: AbortSignal): Promise<Result<MemoryEndpoint, TransportError>>;
}

export class MemoryTransport implements ByteTransport {
  readonly kind = 'memory' as const;
  readonly #data = new Listeners<Uint8Array>('memory transport data');
  readonly #closed = new Listeners<TransportError | undefined>('memory transport close');
  #endpoint: MemoryEndpoint | undefined;

  constructor(
    private readonly connector: MemoryConnector,
    readonly label: string,
  ) {}

  get isOpen(): boolean {
    return this.#endpoint?.isOpen ?? false;
  }

  async open(signal: AbortSignal): Promise<Result<void, TransportError>> {
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    if (this.#endpoint) return err(transportError('busy', 'already open'));
    const connected = await this.connector.connect(signal);
    if (!connected.ok) return connected;
    const endpoint = connected.value;
    this.#endpoint = endpoint;
    endpoint.onData((bytes) => this.#data.emit(bytes));
    endpoint.onClose((error) => {
      this.#endpoint = undefined;
      this.#closed.emit(error);
    });
    return OK_VOID;
  }

  async write(bytes: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>> {
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    const endpoint = this.#endpoint;
    if (!endpoint?.isOpen) return err(transportError('closed', 'transport is not open'));
    endpoint.write(bytes);
    return OK_VOID;
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.#data.subscribe(listener);
  }

  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe {
    return this.#closed.subscribe(listener);
  }

  async close(): Promise<void> {
    this.#endpoint?.close();
    this.#endpoint = undefined;
  }
}
