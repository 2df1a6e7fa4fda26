// Printer.* commands. Physical actions go through the printer's FIFO queue; receipts go through
// the durable job service, so a receipt outlives the command that asked for it.
import { failure, commandError, success, type CommandHandler, type Failure } from '../../server/command-registry';
import type { PrintJob } from './print-job-store';
import type { PrintJobService } from './print-jobs';
import type { PrinterFailure, ReceiptPrinter } from './receipt-printer';
import { renderTemplate } from './templates/registry';
import type { TemplateContext } from './templates/template';

export interface PrinterServices {
  readonly printer: ReceiptPrinter;
  readonly jobs: PrintJobService;
  readonly context: () => TemplateContext;
}

const jobView = (job: PrintJob) => ({
  jobId: job.id,
  state: job.state,
  reason: job.reason,
  reprint: job.reprint,
  attempts: job.attempts,
  createdAt: job.createdAt,
  printedAt: job.printedAt,
});

/** Why a job waits, as the error code of the command that asked for it. */
function pendingFailure(job: PrintJob): Failure {
  const details = { jobId: job.id, state: job.state };
  const reason = job.reason ?? 'unknown';
  const description = `the receipt is kept and will print when the printer is ready (${reason})`;
  if (reason === 'paperOut') return { completionCode: 'commandErrorCode', errorCode: 'paperOut', errorDescription: description, details };
  if (reason === 'coverOpen' || reason === 'notConnected' || reason === 'offline' || reason === 'connectionLost') return { completionCode: 'deviceNotReady', errorCode: reason, errorDescription: description, details };
  return { completionCode: 'hardwareError', errorCode: reason, errorDescription: description, details };
}

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

export function printerCommands(
  services: ReadonlyMap<string, PrinterServices>,
): [CommandHandler<'Printer.Reset'>, CommandHandler<'Printer.PrintRaw'>, CommandHandler<'Printer.PrintForm'>, CommandHandler<'Printer.GetJob'>] {
  const pickServices = (name: string | undefined): PrinterServices | undefined => (name === undefined ? services.values().next().value : services.get(name));
  const pick = (name: string | undefined): ReceiptPrinter | undefined => pickServices(name)?.printer;
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
    {
      name: 'Printer.PrintForm',
      device: (payload) => pick(payload.device)?.name,
      async handle({ payload, signal }) {
        const found = pickServices(payload.device);
        if (!found) return missing(payload.device);
        const bytes = await renderTemplate(payload.template, payload.data, found.context());
        if (!bytes.ok) return failure('invalidData', bytes.error.message, bytes.error.code);
        const job = found.jobs.submit(payload.template, bytes.value);
        // Cancel or timeout ends this wait, not the job: a receipt is never dropped.
        const settled = await found.jobs.settled(job.id, signal);
        if (!settled) return failure('internalError', 'the print job record is gone');
        if (settled.state === 'printed') return success({ jobId: settled.id, state: 'printed' as const, reprint: settled.reprint });
        if (settled.state === 'pending' || settled.state === 'failed') return pendingFailure(settled);
        return failure(signal.aborted ? 'canceled' : 'internalError', `the receipt is ${settled.state}; it is kept and will print`, undefined);
      },
    },
    {
      name: 'Printer.GetJob',
      device: (payload) => pick(payload.device)?.name,
      async handle({ payload }) {
        const found = pickServices(payload.device);
        if (!found) return missing(payload.device);
        const job = found.jobs.get(payload.jobId);
        return job ? success(jobView(job)) : failure('invalidData', `no print job ${payload.jobId}`);
      },
    },
  ];
}
