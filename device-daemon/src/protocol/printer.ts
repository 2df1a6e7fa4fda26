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
