// The socket a simulator plugs into: a memory connector that hands the simulator the device end of
// a fresh pair per connection, and can be unplugged and replugged like a USB cable.
import { Listeners, type Unsubscribe } from '../core/listeners';
import { reasonOf } from '../core/deadline';
import { err, ok, type Result } from '../core/result';
import { createMemoryPair, type MemoryConnector, type MemoryEndpoint } from '../transports/memory-transport';
import { transportError, type TransportError } from '../transports/transport';

export class SimulatedPort implements MemoryConnector {
  #plugged = true;
  #active: MemoryEndpoint | undefined;
  readonly #connections = new Listeners<MemoryEndpoint>('simulated port connection');

  constructor(readonly label: string) {}

  get plugged(): boolean {
    return this.#plugged;
  }

  get connected(): boolean {
    return this.#active?.isOpen ?? false;
  }

  /** The simulator receives the device end of every new connection. */
  onConnection(listener: (device: MemoryEndpoint) => void): Unsubscribe {
    return this.#connections.subscribe(listener);
  }

  async connect(signal: AbortSignal): Promise<Result<MemoryEndpoint, TransportError>> {
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    if (!this.#plugged) return err(transportError('notFound', `${this.label} is unplugged`));
    this.#active?.close();
    const { host, device } = createMemoryPair();
    this.#active = device;
    this.#connections.emit(device);
    return ok(host);
  }

  /** Pulls the cable: the open connection drops and new ones fail until plug(). */
  unplug(): void {
    this.#plugged = false;
    this.#active?.close(transportError('closed', `${this.label} was unplugged`));
    this.#active = undefined;
  }

  plug(): void {
    this.#plugged = true;
  }
}
