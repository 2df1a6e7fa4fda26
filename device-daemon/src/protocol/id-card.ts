// IdCard interface: the resident ID card reader (GA 467 SAM). What crosses the WebSocket is masked:
// the full record and the photo stay in the daemon, bound to the read, until the card is removed.
import * as z from 'zod/mini';

export const CARD_TYPES = ['resident', 'hmtPermit', 'foreignPermanent2017', 'foreignPermanent2023'] as const;
export type CardType = (typeof CARD_TYPES)[number];

export const MEDIA_STATES = ['unknown', 'present', 'notPresent'] as const;
export const SAM_STATES = ['unknown', 'ok', 'inoperable'] as const;

export const idCardStatusSchema = z.object({
  media: z.enum(MEDIA_STATES),
  sam: z.enum(SAM_STATES),
});
export type IdCardStatus = z.infer<typeof idCardStatusSchema>;

export const PHOTO_DECODERS = ['none', 'library', 'command', 'simulated'] as const;

export const idCardCapabilitiesSchema = z.object({
  cardTypes: z.array(z.enum(CARD_TYPES)),
  fingerprint: z.boolean(),
  photoDecoder: z.enum(PHOTO_DECODERS),
  pollIntervalMs: z.int(),
});
export type IdCardCapabilities = z.infer<typeof idCardCapabilitiesSchema>;

export const idCardReadPayloadSchema = z.strictObject({
  device: z.optional(z.string()),
  /** Read the fingerprint block too (30 10); the template never leaves the daemon. */
  fingerprint: z.optional(z.boolean()),
});

export const CHECK_RESULTS = ['pass', 'fail', 'notApplicable'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

export const cardChecksSchema = z.object({
  idNumberFormat: z.enum(CHECK_RESULTS),
  idNumberCheckDigit: z.enum(CHECK_RESULTS),
  birthDateMatchesNumber: z.enum(CHECK_RESULTS),
  sexMatchesNumber: z.enum(CHECK_RESULTS),
  datesValid: z.enum(CHECK_RESULTS),
  notExpired: z.enum(CHECK_RESULTS),
  nationCodeKnown: z.enum(CHECK_RESULTS),
  photoHeader: z.enum(CHECK_RESULTS),
});
export type CardChecks = z.infer<typeof cardChecksSchema>;

/** The read as the UI sees it: enough to greet and guide the resident, nothing to copy. */
export const maskedCardSchema = z.object({
  type: z.enum(CARD_TYPES),
  name: z.string(),
  englishName: z.optional(z.string()),
  sex: z.string(),
  idNumber: z.string(),
  birthYear: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  expired: z.boolean(),
});
export type MaskedCard = z.infer<typeof maskedCardSchema>;

export const idCardReadCompletionSchema = z.object({
  readId: z.string(),
  card: maskedCardSchema,
  checks: cardChecksSchema,
  photo: z.object({ available: z.boolean(), reason: z.optional(z.string()) }),
  fingerprint: z.object({ present: z.boolean() }),
});
export type IdCardReadCompletion = z.infer<typeof idCardReadCompletionSchema>;

/** Error codes of IdCard.Read, carried in the completion payload. */
export const ID_CARD_ERROR_CODES = [
  'noCard',
  'selectFailed',
  'readFailed',
  'cardAuthenticationFailed',
  'samAuthenticationFailed',
  'verificationFailed',
  'unknownCardType',
  'invalidCardData',
  'samNotAuthorised',
  'samSelfTestFailed',
  'commandRejected',
  'checksumError',
  'lengthError',
  'unknownStatus',
  'noResponse',
  'notConnected',
] as const;
export type IdCardErrorCode = (typeof ID_CARD_ERROR_CODES)[number];

export const cardInsertedEventSchema = z.object({ device: z.string() });
export const cardRemovedEventSchema = z.object({ device: z.string(), readId: z.optional(z.string()) });
