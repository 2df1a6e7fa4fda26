// Platform interface: the catalogue and guides, applications (with 容缺受理), progress, certificates
// and ratings. Personal data stays in the daemon: commands name the card read (readId), never the
// ID number; replies carry what the screen shows.
import * as z from 'zod/mini';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const itemCode = z.string().check(z.regex(/^\d{6}-[A-Z]{2}-\d{4}$/));
const readId = z.string().check(z.maxLength(64));

export const PLATFORM_CATEGORIES = ['householdRegistry', 'socialInsurance', 'medicalInsurance', 'civilAffairs', 'realEstate', 'tax', 'utilities'] as const;
export const PLATFORM_JOURNEYS = ['apply', 'certificate', 'bill', 'guide'] as const;

export const catalogueQuerySchema = z.strictObject({
  query: z.optional(z.string().check(z.maxLength(40))),
  category: z.optional(z.enum(PLATFORM_CATEGORIES)),
  journey: z.optional(z.enum(PLATFORM_JOURNEYS)),
});

export const catalogueSummarySchema = z.object({
  code: z.string(),
  name: bilingual,
  category: z.enum(PLATFORM_CATEGORIES),
  department: bilingual,
  journey: z.enum(PLATFORM_JOURNEYS),
  utility: z.optional(z.string()),
});

export const catalogueCompletionSchema = z.object({
  region: z.string(),
  regionName: bilingual,
  version: z.string(),
  syncedAt: z.nullable(z.string()),
  /** The list is the cached one: the platform could not be reached at the last sync. */
  stale: z.boolean(),
  items: z.array(catalogueSummarySchema),
});

export const guidePayloadSchema = z.strictObject({ code: itemCode });
/** The whole item as the platform describes it (catalogueItemSchema in the daemon's platform API). */
export const guideCompletionSchema = z.object({ item: z.record(z.string(), z.unknown()) });

export const submitPayloadSchema = z.strictObject({
  readId,
  itemCode,
  form: z.record(z.string(), z.string().check(z.maxLength(500))),
  /** Materials captured with Camera.TakePicture, by material code. */
  materials: z.array(z.strictObject({ code: z.string().check(z.maxLength(8)), pictureIds: z.array(z.string().check(z.maxLength(64))).check(z.minLength(1), z.maxLength(20)) })).check(z.maxLength(30)),
  /** Non-essential materials the resident will supply later (容缺受理). */
  missing: z.array(z.string().check(z.maxLength(8))).check(z.maxLength(30)),
  /** The signed commitment for missing materials: the signature drawn on the touch screen, PNG base64. */
  commitment: z.optional(z.strictObject({ signaturePng: z.base64().check(z.maxLength(2_000_000)), agreed: z.literal(true) })),
});

const missingView = z.object({ code: z.string(), name: bilingual, deadline: z.string() });

export const submitCompletionSchema = z.object({
  trackingNumber: z.string(),
  /** delivered: the platform confirmed it; queued: it is stored and will be sent when the platform answers. */
  state: z.enum(['delivered', 'queued']),
  acceptance: z.enum(['complete', 'tolerated']),
  promisedBy: z.string(),
  missing: z.array(missingView),
  caseId: z.optional(z.string()),
  /** The commitment the resident signed, as it was sent. */
  commitmentText: z.optional(z.string()),
});

export const submissionStatusPayloadSchema = z.strictObject({ trackingNumber: z.string().check(z.maxLength(40)) });
export const submissionStatusCompletionSchema = z.object({
  trackingNumber: z.string(),
  state: z.enum(['queued', 'delivered', 'rejected']),
  caseId: z.optional(z.string()),
  reason: z.optional(z.string()),
});

export const progressPayloadSchema = z.strictObject({ trackingNumber: z.string().check(z.regex(/^[A-Za-z0-9-]{8,40}$/)) });
export const progressCompletionSchema = z.object({
  trackingNumber: z.string(),
  itemName: bilingual,
  status: z.string(),
  timeline: z.array(z.object({ at: z.string(), status: z.string(), note: z.string() })),
});

export const certificatesPayloadSchema = z.strictObject({ readId });
export const certificatesCompletionSchema = z.object({
  certificates: z.array(z.object({ id: z.string(), kind: z.string(), title: bilingual, issuer: z.string(), issuedAt: z.string(), pages: z.int() })),
});

export const certificatePreviewPayloadSchema = z.strictObject({ readId, certificateId: z.string().check(z.maxLength(64)) });
/** A picture of the first page, at a token-protected URL (`?token=` added by the UI), kept a few minutes. */
export const certificatePreviewCompletionSchema = z.object({ url: z.string() });

export const printCertificatePayloadSchema = z.strictObject({ readId, certificateId: z.string().check(z.maxLength(64)), device: z.optional(z.string()) });
export const printCertificateCompletionSchema = z.object({ jobId: z.string(), pages: z.int(), state: z.string() });

export const RATING_REASONS = ['waitTooLong', 'processUnclear', 'materialsRepeated', 'staffAttitude', 'deviceFault', 'resultWrong', 'other'] as const;

export const ratePayloadSchema = z.strictObject({
  transactionId: z.string().check(z.minLength(4), z.maxLength(64)),
  itemCode: z.optional(itemCode),
  level: z.int().check(z.minimum(1), z.maximum(5)),
  reasons: z.optional(z.array(z.enum(RATING_REASONS)).check(z.maxLength(7))),
  comment: z.optional(z.string().check(z.maxLength(300))),
});
export const rateCompletionSchema = z.object({ ratingId: z.string(), state: z.enum(['delivered', 'queued']) });

export const PLATFORM_ERROR_CODES = ['platformUnavailable', 'notVerified', 'noReference', 'unknownItem', 'applicationIncomplete', 'pictureGone', 'reasonsRequired', 'printerNotReady'] as const;
