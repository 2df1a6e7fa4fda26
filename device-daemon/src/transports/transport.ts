// A transport is a byte pipe to one device: serial, USB bulk, HID, TCP, or the in-memory pair that
// connects a driver to its simulator. Drivers speak their protocol over this and nothing else, so
// the same driver runs against hardware and against a simulator.
import type { Unsubscribe } from '../core/listeners';
import type { Result } from '../core/result';

export type TransportKind = 'serial' | 'usb' | 'hid' | 'tcp' | 'memory' | 'process';

export type TransportErrorCode =
  | 'notFound'
  | 'accessDenied'
  | 'busy'
  | 'ioError'
  | 'closed'
  | 'timeout'
  | 'canceled'
  | 'driverUnavailable'
  | 'invalidConfig';

export interface TransportError {
  readonly code: TransportErrorCode;
  readonly message: string;
}

export interface ByteTransport {
  readonly kind: TransportKind;
  /** Human-readable, no secrets: "tcp 127.0.0.1:9100", "usb 0400:c35a". */
  readonly label: string;
  readonly isOpen: boolean;
  open(signal: AbortSignal): Promise<Result<void, TransportError>>;
  write(bytes: Uint8Array, signal: AbortSignal): Promise<Result<void, TransportError>>;
  /** Bytes as they arrive, in order; chunk boundaries mean nothing. */
  onData(listener: (bytes: Uint8Array) => void): Unsubscribe;
  /** Fires once when an open transport closes, with the error if it dropped. */
  onClose(listener: (error: TransportError | undefined) => void): Unsubscribe;
  close(): Promise<void>;
}

/** Each (re)connection attempt gets a fresh transport: a USB device re-enumerates after a replug. */
export type TransportFactory = () => ByteTransport;

export function transportError(code: TransportErrorCode, message: string): TransportError {
  return { code, message };
}

/** A property of a thrown value (errno code, binding flags), read without trusting its shape. */
export function causeProperty(cause: unknown, key: string): unknown {
  return typeof cause === 'object' && cause !== null && key in cause ? (cause as Record<string, unknown>)[key] : undefined;
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = causeProperty(cause, 'code');
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
