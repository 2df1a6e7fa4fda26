// Kiosk interface: what the UI needs to know of the terminal (its settings), the technician's PIN,
// the resident's ways to get help (staff on site, the hotline, a queue ticket), and the journeys
// the UI reports so that operators can see residents getting through (or not).
import * as z from 'zod/mini';

export const settingsCompletionSchema = z.object({
  terminalId: z.string(),
  site: z.string(),
  hotline: z.string(),
  /** Inactivity before the "are you still there?" warning, and how long its countdown runs. */
  idleMs: z.int(),
  elderIdleMs: z.int(),
  countdownSeconds: z.int(),
  voice: z.boolean(),
  queue: z.boolean(),
  /** Panel pixels per inch, so that touch targets are sized in millimetres. */
  panelPpi: z.number(),
});
export type KioskSettings = z.infer<typeof settingsCompletionSchema>;

/**
 * The terminal's own health apart from its devices: whether it can keep records (orders, submissions,
 * print jobs, ratings). While it cannot, the UI closes the journeys that keep one.
 */
export const kioskHealthSchema = z.object({ storage: z.enum(['ok', 'failing']) });
export type KioskHealth = z.infer<typeof kioskHealthSchema>;

export const technicianLoginPayloadSchema = z.strictObject({ pin: z.string().check(z.regex(/^\d{4,12}$/)) });
export const technicianLoginCompletionSchema = z.object({ expiresAt: z.string() });

export const callStaffPayloadSchema = z.strictObject({ reason: z.optional(z.enum(['general', 'faceCheckDeclined', 'faceCheckFailed', 'deviceFault', 'payment'])) });
export const callStaffCompletionSchema = z.object({ callId: z.string() });

export const queueTicketPayloadSchema = z.strictObject({ service: z.optional(z.string().check(z.maxLength(40))) });
export const queueTicketCompletionSchema = z.object({ number: z.string(), waiting: z.int(), jobId: z.string(), printed: z.boolean() });

export const KIOSK_ERROR_CODES = ['wrongPin', 'lockedOut', 'noPin', 'queueDisabled'] as const;

/** The resident journeys of PRODUCT.md: J1 identify .. J8 help. */
export const JOURNEYS = ['J1', 'J2', 'J3', 'J4', 'J5', 'J6', 'J7', 'J8'] as const;
export type Journey = (typeof JOURNEYS)[number];
/** started when the resident enters it; completed when its service is done; abandoned on leaving early (home, timeout). */
export const JOURNEY_EVENTS = ['started', 'completed', 'abandoned'] as const;
export type JourneyEvent = (typeof JOURNEY_EVENTS)[number];
export const journeyPayloadSchema = z.strictObject({ journey: z.enum(JOURNEYS), event: z.enum(JOURNEY_EVENTS) });
