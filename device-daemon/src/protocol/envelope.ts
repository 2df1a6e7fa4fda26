// The XFS4IoT message envelope: {header: {name, requestId, type, ...}, payload}. These schemas are
// shared by the daemon and the kiosk UI, so they use zod/mini (small in the browser bundle).
import * as z from 'zod/mini';

/** Application limit on one WebSocket message; larger ones are refused with invalidMessage. */
export const MAX_MESSAGE_BYTES = 1_048_576;

/** Longest timeout a command may ask for (24 h); 0 means "no client timeout". */
export const MAX_COMMAND_TIMEOUT_MS = 86_400_000;

export const MESSAGE_TYPES = ['command', 'acknowledge', 'event', 'completion', 'unsolicited'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const COMPLETION_CODES = [
  'success',
  'commandErrorCode',
  'canceled',
  'deviceNotReady',
  'hardwareError',
  'internalError',
  'invalidCommand',
  'invalidRequestID',
  'timeOut',
  'unsupportedCommand',
  'invalidData',
  'userError',
  'unsupportedData',
  'fraudAttempt',
  'sequenceError',
  'authorisationRequired',
  'notEnoughSpace',
] as const;
export type CompletionCode = (typeof COMPLETION_CODES)[number];

/** Acknowledge status; absent means the command was accepted (queued or running). */
export const ACK_STATUSES = ['invalidMessage', 'invalidRequestID', 'tooManyRequests'] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

/** "Interface.Command", e.g. "Printer.PrintRaw". */
export const MESSAGE_NAME_PATTERN = /^[A-Z][A-Za-z0-9]{0,31}\.[A-Z][A-Za-z0-9]{0,63}$/;

export const messageNameSchema = z.string().check(z.regex(MESSAGE_NAME_PATTERN));
export const requestIdSchema = z.int().check(z.positive(), z.maximum(2_147_483_647));
export const payloadObjectSchema = z.record(z.string(), z.unknown());

export const commandHeaderSchema = z.strictObject({
  name: messageNameSchema,
  requestId: requestIdSchema,
  type: z.literal('command'),
  timeout: z.optional(z.int().check(z.minimum(0), z.maximum(MAX_COMMAND_TIMEOUT_MS))),
  version: z.optional(z.string().check(z.regex(/^\d{1,3}\.\d{1,3}$/))),
});

export const commandMessageSchema = z.strictObject({
  header: commandHeaderSchema,
  payload: z.optional(z.nullable(payloadObjectSchema)),
});
export type CommandMessage = z.infer<typeof commandMessageSchema>;

export const acknowledgeMessageSchema = z.object({
  header: z.object({
    name: z.string(),
    requestId: z.nullable(requestIdSchema),
    type: z.literal('acknowledge'),
    status: z.optional(z.enum(ACK_STATUSES)),
    errorDescription: z.optional(z.string()),
  }),
  payload: z.optional(z.null()),
});
export type AcknowledgeMessage = z.infer<typeof acknowledgeMessageSchema>;

export const eventMessageSchema = z.object({
  header: z.object({ name: messageNameSchema, requestId: requestIdSchema, type: z.literal('event') }),
  payload: payloadObjectSchema,
});
export type EventMessage = z.infer<typeof eventMessageSchema>;

export const completionMessageSchema = z.object({
  header: z.object({
    name: messageNameSchema,
    requestId: requestIdSchema,
    type: z.literal('completion'),
    completionCode: z.enum(COMPLETION_CODES),
    errorDescription: z.optional(z.string()),
  }),
  payload: payloadObjectSchema,
});
export type CompletionMessage = z.infer<typeof completionMessageSchema>;

export const unsolicitedMessageSchema = z.object({
  header: z.object({ name: messageNameSchema, type: z.literal('unsolicited') }),
  payload: payloadObjectSchema,
});
export type UnsolicitedMessage = z.infer<typeof unsolicitedMessageSchema>;

/** Anything the daemon sends to a client. */
export const daemonMessageSchema = z.union([
  acknowledgeMessageSchema,
  eventMessageSchema,
  completionMessageSchema,
  unsolicitedMessageSchema,
]);
export type DaemonMessage = z.infer<typeof daemonMessageSchema>;
