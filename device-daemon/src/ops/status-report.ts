// The body of GET /v1/status: what an operator or kioskctl needs to know about one terminal.
import { z } from 'zod';
import { COVER_STATES, DEVICE_CLASSES, DEVICE_STATES, MEDIA_STATES, PAPER_STATES, SAM_STATES } from '../protocol';

export const healthReportSchema = z.object({
  level: z.enum(['internal', 'external', 'interactive']),
  ok: z.boolean(),
  text: z.string(),
  at: z.string(),
});

export const statusReportSchema = z.object({
  terminal: z.object({ id: z.string(), site: z.string(), region: z.string() }),
  build: z.object({ version: z.string(), revision: z.string() }),
  uptimeSeconds: z.number(),
  ready: z.boolean(),
  uiConnections: z.number(),
  devices: z.record(
    z.string(),
    z.object({
      deviceClass: z.enum(DEVICE_CLASSES),
      simulated: z.boolean(),
      status: z.object({
        common: z.object({ device: z.enum(DEVICE_STATES) }),
        printer: z.optional(z.object({ paper: z.enum(PAPER_STATES), cover: z.enum(COVER_STATES) })),
        idCardReader: z.optional(z.object({ media: z.enum(MEDIA_STATES), sam: z.enum(SAM_STATES) })),
      }),
      lastHealth: healthReportSchema.nullable(),
      printJobs: z.optional(z.record(z.string(), z.number())),
    }),
  ),
});
export type StatusReport = z.infer<typeof statusReportSchema>;
