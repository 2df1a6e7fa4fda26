// Printer interface (receipt printer). Paper states follow XFS4IoT Printer.Status paper values.
import * as z from 'zod/mini';

export const PAPER_STATES = ['unknown', 'full', 'low', 'out', 'jammed'] as const;
export type PaperState = (typeof PAPER_STATES)[number];

export const COVER_STATES = ['unknown', 'closed', 'open'] as const;
export type CoverState = (typeof COVER_STATES)[number];

export const printerStatusSchema = z.object({
  paper: z.enum(PAPER_STATES),
  cover: z.enum(COVER_STATES),
});
export type PrinterStatus = z.infer<typeof printerStatusSchema>;

export const printerCapabilitiesSchema = z.object({
  type: z.literal('receipt'),
  paperWidthDots: z.int(),
  columns: z.int(),
  autoStatusBack: z.boolean(),
});
export type PrinterCapabilities = z.infer<typeof printerCapabilitiesSchema>;

/** Raw ESC/POS bytes, base64. Capped so one command cannot hold the printer for long. */
export const MAX_RAW_PRINT_BYTES = 256 * 1024;

export const printRawPayloadSchema = z.strictObject({
  device: z.optional(z.string()),
  data: z.base64().check(z.maxLength(Math.ceil(MAX_RAW_PRINT_BYTES / 3) * 4)),
});

export const printerResetPayloadSchema = z.strictObject({ device: z.optional(z.string()) });

/** The receipts the kiosk prints (device-daemon/src/devices/receipt-printer/templates). */
export const RECEIPT_TEMPLATES = ['payment-receipt', 'acceptance-slip', 'queue-ticket', 'photo-receipt', 'self-test'] as const;
export type ReceiptTemplateName = (typeof RECEIPT_TEMPLATES)[number];

/** The template's own schema checks `data`; the envelope bounds it. */
export const printFormPayloadSchema = z.strictObject({
  device: z.optional(z.string()),
  template: z.enum(RECEIPT_TEMPLATES),
  data: z.record(z.string(), z.unknown()),
});

export const PRINT_JOB_STATES = ['queued', 'printing', 'pending', 'printed', 'failed'] as const;

export const printJobSchema = z.object({
  jobId: z.string(),
  state: z.enum(PRINT_JOB_STATES),
  reason: z.nullable(z.string()),
  reprint: z.boolean(),
  attempts: z.int(),
  createdAt: z.string(),
  printedAt: z.nullable(z.string()),
});
export type PrintJobView = z.infer<typeof printJobSchema>;

export const printFormCompletionSchema = z.object({ jobId: z.string(), state: z.literal('printed'), reprint: z.boolean() });

export const getJobPayloadSchema = z.strictObject({ device: z.optional(z.string()), jobId: z.string().check(z.regex(/^[0-9a-f-]{36}$/)) });

export const jobStateChangedEventSchema = z.object({
  device: z.string(),
  jobId: z.string(),
  state: z.enum(PRINT_JOB_STATES),
  reason: z.nullable(z.string()),
  reprint: z.boolean(),
});

/** The A4 printer (a CUPS queue): its queue state, and why it stopped. */
export const DOCUMENT_QUEUE_STATES = ['unknown', 'idle', 'printing', 'stopped'] as const;
export const documentPrinterStatusSchema = z.object({ queue: z.enum(DOCUMENT_QUEUE_STATES), reason: z.string() });
export const documentPrinterCapabilitiesSchema = z.object({ queue: z.string(), media: z.literal('A4') });
