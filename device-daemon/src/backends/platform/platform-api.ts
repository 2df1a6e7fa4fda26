// The HTTP API between the kiosk and the government platform, as zod schemas: the client parses
// every reply with them and the sandbox every request. One definition, so they cannot drift.
import { z } from 'zod';

const text = (max: number) => z.string().min(1).max(max);
export const bilingualSchema = z.object({ zh: text(200), en: text(300) });

export const CATEGORIES = ['householdRegistry', 'socialInsurance', 'medicalInsurance', 'civilAffairs', 'realEstate', 'tax', 'utilities'] as const;
export const ITEM_TYPES = ['行政许可', '行政确认', '行政给付', '公共服务', '其他行政权力'] as const;
/** Which of the kiosk's journeys serves the item: apply (J5), certificate (J3), bill (J4), or guide only. */
export const ITEM_JOURNEYS = ['apply', 'certificate', 'bill', 'guide'] as const;
export const UTILITIES = ['water', 'electricity', 'gas', 'heating'] as const;
export type Utility = (typeof UTILITIES)[number];

/** 三级四同: the same code, name, type and legal basis at province, city and county. */
export const itemCodeSchema = z.string().regex(/^\d{6}-[A-Z]{2}-\d{4}$/, 'an item code such as 330000-HJ-0001');

export const materialSchema = z.object({
  code: z.string().regex(/^M\d{2}$/),
  name: bilingualSchema,
  /** Without an essential material the application cannot be accepted; others may follow (容缺受理). */
  essential: z.boolean(),
  form: z.enum(['original', 'copy', 'electronic']),
  copies: z.int().min(0).max(10),
  note: bilingualSchema.optional(),
});
export type Material = z.infer<typeof materialSchema>;

export const formFieldSchema = z.object({
  key: z.string().regex(/^[a-z][A-Za-z0-9]{0,31}$/),
  label: bilingualSchema,
  type: z.enum(['text', 'number', 'date', 'phone', 'select']),
  required: z.boolean(),
  /** Filled from the ID card read. */
  prefill: z.enum(['name', 'idNumber', 'sex', 'birth', 'address']).optional(),
  options: z.array(z.object({ value: z.string(), label: bilingualSchema })).optional(),
  maxLength: z.int().min(1).max(500).optional(),
});
export type FormField = z.infer<typeof formFieldSchema>;

export const catalogueItemSchema = z.object({
  code: itemCodeSchema,
  name: bilingualSchema,
  category: z.enum(CATEGORIES),
  itemType: z.enum(ITEM_TYPES),
  department: bilingualSchema,
  journey: z.enum(ITEM_JOURNEYS),
  utility: z.enum(UTILITIES).optional(),
  certificateKind: z.string().max(40).optional(),
  guide: z.object({
    conditions: z.array(bilingualSchema).min(1),
    materials: z.array(materialSchema),
    fees: z.object({ free: z.boolean(), description: bilingualSchema }),
    /** Working days: the legal limit and the promise; a missing material's deadline is within the promise. */
    timeLimit: z.object({ legalDays: z.int().min(0).max(365), promisedDays: z.int().min(0).max(365) }),
    /** 容缺受理: whether non-essential materials may follow, and within how many days. */
    tolerance: z.object({ allowed: z.boolean(), supplementDays: z.int().min(1).max(60) }),
    basis: z.array(bilingualSchema).min(1),
    visits: z.int().min(0).max(5),
  }),
  form: z.array(formFieldSchema),
});
export type CatalogueItem = z.infer<typeof catalogueItemSchema>;

export const catalogueSchema = z.object({
  /** Changes whenever anything in the catalogue does. */
  version: z.string().min(1).max(64),
  region: z.string().regex(/^\d{6}(\d{3})?$/),
  regionName: bilingualSchema,
  items: z.array(catalogueItemSchema),
});
export type Catalogue = z.infer<typeof catalogueSchema>;

const idNumber = z.string().regex(/^[0-9A-Z]{15,18}$/);
const jpegBase64 = z.string().min(4).max(8_000_000);

export const applicantSchema = z.object({
  name: text(60),
  idNumber,
  phone: z.string().regex(/^1\d{10}$/).optional(),
});

export const submissionSchema = z.object({
  /** Issued by the kiosk, unique on the platform: the application's tracking number from the start. */
  trackingNumber: z.string().regex(/^[A-Z0-9-]{8,40}$/),
  itemCode: itemCodeSchema,
  applicant: applicantSchema,
  form: z.record(z.string(), z.string().max(500)),
  materials: z.array(z.object({ code: z.string(), pages: z.array(jpegBase64).min(1).max(20) })).max(30),
  missing: z.array(z.object({ code: z.string(), deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })).max(30),
  commitment: z.object({ text: text(2000), signaturePng: z.string().min(4).max(2_000_000), signedAt: z.iso.datetime() }).optional(),
  terminal: z.object({ id: text(64), region: z.string() }),
  submittedAt: z.iso.datetime(),
});
export type Submission = z.infer<typeof submissionSchema>;

export const submissionReplySchema = z.object({
  trackingNumber: z.string(),
  caseId: z.string(),
  acceptance: z.enum(['complete', 'tolerated']),
  acceptedAt: z.iso.datetime(),
  promisedBy: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  missing: z.array(z.object({ code: z.string(), name: bilingualSchema, deadline: z.string() })),
});
export type SubmissionReply = z.infer<typeof submissionReplySchema>;

export const PROGRESS_STATUSES = ['received', 'accepted', 'awaitingMaterials', 'inReview', 'approved', 'rejected', 'completed'] as const;

export const progressSchema = z.object({
  trackingNumber: z.string(),
  itemCode: itemCodeSchema,
  itemName: bilingualSchema,
  status: z.enum(PROGRESS_STATUSES),
  timeline: z.array(z.object({ at: z.iso.datetime(), status: z.enum(PROGRESS_STATUSES), note: z.string().max(300) })),
});
export type Progress = z.infer<typeof progressSchema>;

export const personQuerySchema = z.object({ name: text(60), idNumber });

export const certificateSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  kind: z.string().max(40),
  title: bilingualSchema,
  issuer: text(100),
  issuedAt: z.iso.datetime(),
  pages: z.int().min(1).max(50),
});
export type Certificate = z.infer<typeof certificateSchema>;
export const certificateListSchema = z.object({ certificates: z.array(certificateSchema) });

export const ratingSchema = z.object({
  ratingId: z.string().min(8).max(64),
  /** The transaction rated: a tracking number, a payment order, a certificate print. */
  transactionId: z.string().min(4).max(64),
  itemCode: itemCodeSchema.optional(),
  level: z.int().min(1).max(5),
  reasons: z.array(z.string().max(100)).max(10),
  comment: z.string().max(500).optional(),
  channel: z.literal('kiosk'),
  terminalId: text(64),
  ratedAt: z.iso.datetime(),
});
export type Rating = z.infer<typeof ratingSchema>;
export const ratingReplySchema = z.object({ ratingId: z.string(), received: z.boolean() });

export const SUPERVISION_ACTIONS = ['applicationSubmitted', 'materialsTolerated', 'certificatePrinted', 'paymentCompleted'] as const;
export const supervisionEventSchema = z.object({
  eventId: z.string().min(8).max(64),
  transactionId: z.string().min(4).max(64),
  action: z.enum(SUPERVISION_ACTIONS),
  itemCode: itemCodeSchema.optional(),
  terminalId: text(64),
  at: z.iso.datetime(),
});
export type SupervisionEvent = z.infer<typeof supervisionEventSchema>;
export const supervisionReplySchema = z.object({ eventId: z.string(), received: z.boolean() });

export const identityPhotoSchema = z.object({ photo: jpegBase64 });

/** Reasons offered for the two lowest ratings (GB/T 39734 差评 content). */
export const LOW_RATING_REASONS = ['waitTooLong', 'processUnclear', 'materialsRepeated', 'staffAttitude', 'deviceFault', 'resultWrong', 'other'] as const;
