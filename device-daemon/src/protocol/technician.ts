// Technician interface: self-tests at the UnifiedPOS CheckHealth levels and the printers' paper
// counters, for a technician logged in with Technician.Login on the same connection.
import * as z from 'zod/mini';

/** UnifiedPOS CheckHealth levels: internal changes nothing physical, external may (a test slip), interactive asks a person. */
export const SELF_TEST_LEVELS = ['internal', 'external', 'interactive'] as const;
export type SelfTestLevel = (typeof SELF_TEST_LEVELS)[number];

/** skipped: the device offers no test at that level (UnifiedPOS answers such a level "illegal"). */
export const SELF_TEST_OUTCOMES = ['passed', 'failed', 'skipped'] as const;
export type SelfTestOutcome = (typeof SELF_TEST_OUTCOMES)[number];

/** A device name from the configuration, or one of the daemon's services (database, faceService). */
export const selfTestTargetSchema = z.string().check(z.regex(/^[a-z][A-Za-z0-9]{0,31}$/));

export const selfTestResultSchema = z.object({
  device: z.string(),
  level: z.enum(SELF_TEST_LEVELS),
  outcome: z.enum(SELF_TEST_OUTCOMES),
  /** One line for the technician: what was checked and what was found. */
  text: z.string(),
  at: z.string(),
  durationMs: z.number(),
});
export type SelfTestResult = z.infer<typeof selfTestResultSchema>;

export const selfTestPayloadSchema = z.strictObject({
  device: z.optional(selfTestTargetSchema),
  level: z.enum(SELF_TEST_LEVELS),
});
export type SelfTestRequest = z.infer<typeof selfTestPayloadSchema>;

export const selfTestCompletionSchema = z.object({ results: z.array(selfTestResultSchema) });

export const paperCounterSchema = z.object({
  device: z.string(),
  /** Slips the daemon saw the printer confirm (its own count, from the durable print jobs). */
  printed: z.int(),
  pending: z.int(),
  failed: z.int(),
  /** The printer's own counter; null: the driver reads none from this printer. */
  printerCounter: z.nullable(z.int()),
});
export const countersCompletionSchema = z.object({ printers: z.array(paperCounterSchema) });

export const TECHNICIAN_ERROR_CODES = ['technicianRequired', 'unknownDevice'] as const;
