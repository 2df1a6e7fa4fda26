// How a printer action fails, as a value: what the job service and the commands decide on.
import { reasonOf } from '../../core/deadline';
import type { TransportError } from '../../transports/transport';

export type PrinterFailureCode = 'notConnected' | 'offline' | 'paperOut' | 'coverOpen' | 'hardwareError' | 'ioError' | 'canceled' | 'timeout';

export interface PrinterFailure {
  readonly code: PrinterFailureCode;
  readonly message: string;
}

export const failure = (code: PrinterFailureCode, message: string): PrinterFailure => ({ code, message });

export const fromTransport = (error: TransportError): PrinterFailure =>
  failure(error.code === 'closed' ? 'notConnected' : error.code === 'timeout' ? 'timeout' : error.code === 'canceled' ? 'canceled' : 'ioError', error.message);

export const fromAbort = (signal: AbortSignal): PrinterFailure => {
  const reason = reasonOf(signal);
  return failure(reason.kind === 'timeout' ? 'timeout' : 'canceled', reason.message);
};

