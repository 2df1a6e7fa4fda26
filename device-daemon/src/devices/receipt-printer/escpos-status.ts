// ESC/POS status: the DLE EOT 1..4 real-time replies and the 4-byte Automatic Status Back (GS a),
// decoded bit by bit (Epson TM-series specs as gathered in reference/escpos-printer.md), and mapped
// onto the device status model.
import { err, ok, type Result } from '../../core/result';
import type { DeviceState, ErrorEvent, PrinterStatus } from '../../protocol';

export const DLE = 0x10;
export const EOT = 0x04;
export const ENQ = 0x05;
export const GS = 0x1d;
export const ESC = 0x1b;

/** DLE EOT 1 (printer), 2 (offline cause), 3 (error cause), 4 (roll paper sensor). */
export const STATUS_QUERY = Uint8Array.of(DLE, EOT, 1, DLE, EOT, 2, DLE, EOT, 3, DLE, EOT, 4);

/** ESC @: initialise (clears the buffer and modes). */
export const INITIALISE = Uint8Array.of(ESC, 0x40);

/** GS a n: n = 0xff enables every Automatic Status Back source, 0 disables it. */
export function autoStatusBack(enabled: boolean): Uint8Array {
  return Uint8Array.of(GS, 0x61, enabled ? 0xff : 0x00);
}

/** GS r 1: transmit paper sensor status. Processed in buffer order: its reply means "done". */
export const PROCESSED_MARKER = Uint8Array.of(GS, 0x72, 1);

/** Every DLE EOT reply has the pattern 0xx1xx10. */
export function isDleEotReply(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

export interface PrinterSensors {
  readonly offline: boolean;
  readonly coverOpen: boolean;
  readonly paperEndStop: boolean;
  readonly errorOccurred: boolean;
  readonly mechanicalError: boolean;
  readonly cutterError: boolean;
  readonly unrecoverableError: boolean;
  readonly autoRecoverableError: boolean;
  readonly paperNearEnd: boolean;
  readonly paperEnd: boolean;
}

const bit = (byte: number, n: number): boolean => (byte & (1 << n)) !== 0;

/** Decodes the four replies to STATUS_QUERY, in order. */
export function decodeDleEot(replies: readonly number[]): Result<PrinterSensors, string> {
  if (replies.length !== 4) return err(`expected 4 status bytes, got ${replies.length}`);
  const [printer, offline, error, paper] = replies as [number, number, number, number];
  for (const byte of replies) {
    if (!isDleEotReply(byte)) return err(`0x${byte.toString(16).padStart(2, '0')} is not a DLE EOT reply`);
  }
  return ok({
    offline: bit(printer, 3),
    coverOpen: bit(offline, 2),
    paperEndStop: bit(offline, 5),
    errorOccurred: bit(offline, 6),
    mechanicalError: bit(error, 2),
    cutterError: bit(error, 3),
    unrecoverableError: bit(error, 5),
    autoRecoverableError: bit(error, 6),
    paperNearEnd: (paper & 0x0c) !== 0,
    paperEnd: (paper & 0x60) !== 0,
  });
}

/** ASB: byte 1 pattern 0xx1xx00, bytes 2-4 pattern 0xx0xxxx. */
export function decodeAutoStatusBack(bytes: readonly number[]): Result<PrinterSensors, string> {
  if (bytes.length !== 4) return err(`expected 4 ASB bytes, got ${bytes.length}`);
  const [b1, b2, b3, b4] = bytes as [number, number, number, number];
  if ((b1 & 0x93) !== 0x10) return err('ASB first byte has the wrong fixed bits');
  if ((b2 & 0x90) !== 0 || (b3 & 0x90) !== 0 || (b4 & 0x90) !== 0) return err('ASB trailing byte has the wrong fixed bits');
  return ok({
    offline: bit(b1, 3),
    coverOpen: bit(b1, 5),
    paperEndStop: (b3 & 0x0c) !== 0,
    errorOccurred: bit(b2, 2) || bit(b2, 3) || bit(b2, 5) || bit(b2, 6),
    mechanicalError: bit(b2, 2),
    cutterError: bit(b2, 3),
    unrecoverableError: bit(b2, 5),
    autoRecoverableError: bit(b2, 6),
    paperNearEnd: (b3 & 0x03) !== 0,
    paperEnd: (b3 & 0x0c) !== 0,
  });
}

/** GS r 1 reply: bits 0-1 near end, bits 2-3 paper end. */
export function decodePaperSensor(byte: number): { readonly nearEnd: boolean; readonly end: boolean } {
  return { nearEnd: (byte & 0x03) !== 0, end: (byte & 0x0c) !== 0 };
}

export interface PrinterCondition {
  readonly device: DeviceState;
  readonly printer: PrinterStatus;
  /** The most urgent fault, if any: what an operator or the resident's screen is told. */
  readonly fault: Omit<ErrorEvent, 'device'> | undefined;
}

/**
 * Maps sensors to the status model. Paper out keeps the device online with paper "out", as
 * XFS4IoT printers report it; a person fixing the printer (cover) is userError; a mechanism
 * fault is hardwareError.
 */
export function printerCondition(s: PrinterSensors): PrinterCondition {
  const paper: PrinterStatus['paper'] = s.mechanicalError ? 'jammed' : s.paperEnd ? 'out' : s.paperNearEnd ? 'low' : 'full';
  const printer: PrinterStatus = { paper, cover: s.coverOpen ? 'open' : 'closed' };
  if (s.unrecoverableError) {
    return { device: 'hardwareError', printer, fault: { eventId: 'hardware', action: 'maintenance', vendorDescription: 'unrecoverable printer error' } };
  }
  if (s.cutterError) {
    return { device: 'hardwareError', printer, fault: { eventId: 'hardware', action: 'clear', vendorDescription: 'autocutter error: clear the cutter' } };
  }
  if (s.mechanicalError) {
    return { device: 'hardwareError', printer, fault: { eventId: 'hardware', action: 'clear', vendorDescription: 'paper jam or mechanism error' } };
  }
  if (s.autoRecoverableError) {
    return { device: 'hardwareError', printer, fault: { eventId: 'hardware', action: 'suspend', vendorDescription: 'print head over temperature; recovering' } };
  }
  if (s.coverOpen) {
    return { device: 'userError', printer, fault: { eventId: 'user', action: 'clear', vendorDescription: 'printer cover is open' } };
  }
  if (s.paperEnd) {
    return { device: 'online', printer, fault: { eventId: 'user', action: 'clear', vendorDescription: 'receipt paper is out' } };
  }
  return { device: 'online', printer, fault: undefined };
}
