// Printer.* commands. Physical actions go through the printer's FIFO queue.
import { failure, commandError, success, type CommandHandler, type Failure } from '../../server/command-registry';
import type { PrinterFailure, ReceiptPrinter } from './receipt-printer';

export function printerFailure(f: PrinterFailure): Failure {
  switch (f.code) {
    case 'paperOut':
      return commandError('paperOut', f.message);
    case 'notConnected':
    case 'offline':
    case 'coverOpen':
      return failure('deviceNotReady', f.message);
    case 'hardwareError':
    case 'ioError':
      return failure('hardwareError', f.message);
    case 'timeout':
      return failure('timeOut', f.message);
    case 'canceled':
      return failure('canceled', f.message);
  }
}

export function printerCommands(printers: ReadonlyMap<string, ReceiptPrinter>): [CommandHandler<'Printer.Reset'>, CommandHandler<'Printer.PrintRaw'>] {
  const pick = (name: string | undefined): ReceiptPrinter | undefined => (name === undefined ? printers.values().next().value : printers.get(name));
  const missing = (name: string | undefined): Failure => failure('invalidData', name === undefined ? 'this terminal has no receipt printer' : `there is no printer named ${name}`);
  return [
    {
      name: 'Printer.Reset',
      device: (payload) => pick(payload.device)?.name,
      async handle({ payload, signal }) {
        const printer = pick(payload.device);
        if (!printer) return missing(payload.device);
        const queued = await printer.queue.run((jobSignal) => printer.reset(jobSignal), signal);
        if (!queued.ok) return failure(queued.error.kind === 'timeout' ? 'timeOut' : 'canceled', queued.error.message);
        return queued.value.ok ? success({}) : printerFailure(queued.value.error);
      },
    },
    {
      name: 'Printer.PrintRaw',
      device: (payload) => pick(payload.device)?.name,
      async handle({ payload, signal }) {
        const printer = pick(payload.device);
        if (!printer) return missing(payload.device);
        const bytes = Buffer.from(payload.data, 'base64');
        const queued = await printer.queue.run((jobSignal) => printer.printRaw(bytes, jobSignal), signal);
        if (!queued.ok) return failure(queued.error.kind === 'timeout' ? 'timeOut' : 'canceled', queued.error.message);
        return queued.value.ok ? success({}) : printerFailure(queued.value.error);
      },
    },
  ];
}
