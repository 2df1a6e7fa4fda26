// HID readers (Routon 0425:8159 and others) wrap the SAM frames in a vendor report format that is
// not public. The transport is therefore pluggable: a framing module named in config turns frames
// into output reports and input reports back into bytes, and the driver runs unchanged on top.
import { pathToFileURL } from 'node:url';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import { err, ok, type Result } from '../../core/result';
import { describeCause, transportError, type ByteTransport, type TransportError } from '../../transports/transport';

export interface HidFraming {
  /** One SAM frame to the output reports that carry it (without the report id). */
  toReports(frame: Uint8Array): Uint8Array[];
  /** The SAM bytes an input report carries (possibly none). */
  fromReport(report: Uint8Array): Uint8Array;
}

const framings = new Map<string, Promise<Result<HidFraming, TransportError>>>();

/** Loads `createFraming()` from an ES module file, once. */
export function loadFraming(modulePath: string): Promise<Result<HidFraming, TransportError>> {
  let loading = framings.get(modulePath);
  if (!loading) {
    loading = import(pathToFileURL(modulePath).href).then(
      (module: unknown) => {
        const create = typeof module === 'object' && module !== null && 'createFraming' in module ? module.createFraming : undefined;
        if (typeof create !== 'function') return err(transportError('driverUnavailable', `${modulePath} does not export createFraming()`));
        const framing: unknown = create();
        if (typeof framing !== 'object' || framing === null || !('toReports' in framing) || !('fromReport' in framing) || typeof framing.toReports !== 'function' || typeof framing.fromReport !== 'function') {
          return err(transportError('driverUnavailable', `createFraming() in ${modulePath} did not return toReports and fromReport`));
        }
        const { toReports, fromReport } = framing;
        return ok<HidFraming>({
          toReports: (frame) => {
            const reports: unknown = toReports.call(framing, frame);
            return Array.isArray(reports) ? reports.filter((r): r is Uint8Array => r instanceof Uint8Array) : [];
          },
          fromReport: (report) => {
            const bytes: unknown = fromReport.call(framing, report);
            return bytes instanceof Uint8Array ? bytes : new Uint8Array(0);
          },
        });
      },
      (cause: unknown) => err(transportError('driverUnavailable', `HID framing module ${modulePath} could not be loaded: ${describeCause(cause)}`)),
    );
    framings.set(modulePath, loading);
  }
  return loading;
}

export class FramedHidTransport implements ByteTransport {
  readonly kind = 'hid' as const;
  readonly #data = new Listeners<Uint8Array>('framed hid data');
  readonly #closed = new Listeners<TransportError | undefined>('framed hid close');
  #framing: HidFraming | undefined;

  constructor(
    private readonly inner: ByteTransport,
    private readonly framingModule: string,
  ) {
    inner.onData((report) => {
      const bytes = this.#framing?.fromReport(report);
      if (bytes && bytes.length > 0) this.#data.emit(bytes);
    });
    inner.onClose((error) => this.#closed.emit(error));
  }

  get label(): string {
    return `${this.inner.label} framed by ${this.framingModule}`;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  async open(signal: AbortSignal): Promise<Result<void, TransportError>> {
    const framing = await loadFraming(this.framingModule);
    if (!framing.ok) return framing;
    this.#framing = framing.value;
    return this.inner.open(signal);
  }

  async write(frame: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>> {
    if (!this.#framing) return err(transportError('closed', 'transport is not open'));
    for (const report of this.#framing.toReports(frame)) {
      const written = await this.inner.write(report, signal);
      if (!written.ok) return written;
    }
    return ok(undefined);
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.#data.subscribe(listener);
  }

  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe {
    return this.#closed.subscribe(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
