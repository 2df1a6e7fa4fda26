// USB-serial readers have no fixed device path: ask each candidate port for the SAM status (11 FF)
// at 115200 8N1 and take the first that answers 90 within 2 s.
import type { PortInfo } from '@serialport/bindings-interface';
import { deadline, reasonOf } from '../../core/deadline';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import { err, ok, type Result } from '../../core/result';
import type { Logger } from '../../log/logger';
import { loadRealSerialBinding, SerialTransport, type SerialBindingLoader } from '../../transports/serial-transport';
import { transportError, type ByteTransport, type TransportError } from '../../transports/transport';
import { SamClient } from './sam-client';
import { SAM_COMMANDS } from './sam-commands';

export const PROBE_TIMEOUT_MS = 2_000;

/** USB-serial bridges first (they carry a vendor id), then on-board UARTs. */
export function candidatePorts(ports: readonly PortInfo[]): string[] {
  const usb = ports.filter((p) => p.vendorId !== undefined).map((p) => p.path);
  const other = ports.filter((p) => p.vendorId === undefined && /tty(USB|ACM|S|AMA|MT|SAC)\d+$|^COM\d+$/.test(p.path)).map((p) => p.path);
  return [...usb, ...other];
}

export async function probeSamPort(path: string, baudRate: number, loadBinding: SerialBindingLoader, log: Logger, signal: AbortSignal): Promise<boolean> {
  const transport = new SerialTransport({ path, baudRate }, loadBinding);
  const guard = deadline(signal, PROBE_TIMEOUT_MS, `probing ${path}`);
  try {
    if (!(await transport.open(guard.signal)).ok) return false;
    const client = new SamClient(log);
    client.attach(transport);
    const reply = await client.call({ ...SAM_COMMANDS.samStatus, timeoutMs: PROBE_TIMEOUT_MS }, guard.signal);
    client.detach();
    return reply.ok && reply.value.sw3 === 0x90;
  } finally {
    guard.dispose();
    await transport.close();
  }
}

export async function detectSamPort(
  baudRate: number,
  loadBinding: SerialBindingLoader,
  log: Logger,
  signal: AbortSignal,
): Promise<Result<string, TransportError>> {
  const binding = await loadBinding();
  if (!binding.ok) return binding;
  let ports: PortInfo[];
  try {
    ports = await binding.value.list();
  } catch (cause) {
    return err(transportError('ioError', `cannot list serial ports: ${cause instanceof Error ? cause.message : String(cause)}`));
  }
  const candidates = candidatePorts(ports);
  for (const path of candidates) {
    if (signal.aborted) return err(transportError('canceled', reasonOf(signal).message));
    if (await probeSamPort(path, baudRate, loadBinding, log, signal)) {
      log.info({ path }, 'ID card reader found on serial port');
      return ok(path);
    }
  }
  return err(transportError('notFound', `no serial port answered 11 FF with 90 within ${PROBE_TIMEOUT_MS} ms (tried: ${candidates.join(', ') || 'none'})`));
}

/** A serial transport whose port is found by probing at each open. */
export class AutoSerialTransport implements ByteTransport {
  readonly kind = 'serial' as const;
  #inner: SerialTransport | undefined;
  readonly #data = new Listeners<Uint8Array>('auto serial data');
  readonly #closed = new Listeners<TransportError | undefined>('auto serial close');

  constructor(
    private readonly baudRate: number,
    private readonly log: Logger,
    private readonly loadBinding: SerialBindingLoader = loadRealSerialBinding,
  ) {}

  get label(): string {
    return this.#inner ? `${this.#inner.label} (detected)` : `serial auto ${this.baudRate}`;
  }

  get isOpen(): boolean {
    return this.#inner?.isOpen ?? false;
  }

  async open(signal: AbortSignal): Promise<Result<void, TransportError>> {
    const found = await detectSamPort(this.baudRate, this.loadBinding, this.log, signal);
    if (!found.ok) return found;
    const inner = new SerialTransport({ path: found.value, baudRate: this.baudRate }, this.loadBinding);
    const opened = await inner.open(signal);
    if (!opened.ok) return opened;
    this.#inner = inner;
    inner.onData((bytes) => this.#data.emit(bytes));
    inner.onClose((error) => this.#closed.emit(error));
    return opened;
  }

  write(bytes: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>> {
    return this.#inner ? this.#inner.write(bytes, signal) : Promise.resolve(err(transportError('closed', 'transport is not open')));
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.#data.subscribe(listener);
  }

  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe {
    return this.#closed.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.#inner?.close();
  }
}
