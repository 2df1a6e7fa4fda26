// Payment interface: utility bills and their payment by a QR code on screen (native) or by the
// resident's payment code (micropay). Amounts are integer fen. An order whose outcome is not yet
// known is "confirming", never failed: its order number is the receipt number.
import * as z from 'zod/mini';

export const UTILITY_KINDS = ['water', 'electricity', 'gas', 'heating'] as const;
export const PAYMENT_STATES = ['CREATED', 'PAYING', 'SUCCESS', 'CLOSED', 'REVOKED', 'REFUNDED'] as const;

export const lookupBillPayloadSchema = z.union([
  z.strictObject({ utility: z.enum(UTILITY_KINDS), account: z.string().check(z.regex(/^[0-9A-Z]{6,16}$/)) }),
  z.strictObject({ barcode: z.string().check(z.regex(/^[0-9A-Z]{10,40}$/)) }),
]);

export const billCompletionSchema = z.object({
  utility: z.enum(UTILITY_KINDS),
  account: z.string(),
  holderMasked: z.string(),
  arrearsFen: z.int(),
  balanceFen: z.int(),
  billMonth: z.nullable(z.string()),
  dueDate: z.nullable(z.string()),
});

export const paymentCreatePayloadSchema = z.strictObject({
  utility: z.enum(UTILITY_KINDS),
  account: z.string().check(z.regex(/^[0-9A-Z]{6,16}$/)),
  amount: z.int().check(z.minimum(1), z.maximum(100_000_000)),
  method: z.enum(['native', 'micropay']),
  /** The resident's payment code, scanned (micropay only). */
  code: z.optional(z.string().check(z.regex(/^\d{16,24}$/))),
});

export const paymentViewSchema = z.object({
  orderId: z.string(),
  state: z.enum(PAYMENT_STATES),
  confirming: z.boolean(),
  amountFen: z.int(),
  qrContent: z.optional(z.string()),
  expiresAt: z.optional(z.string()),
  receiptNumber: z.string(),
  posting: z.enum(['none', 'queued', 'posted', 'rejected']),
});

export const paymentOrderPayloadSchema = z.strictObject({ orderId: z.string().check(z.regex(/^[A-Z0-9]{8,32}$/)) });

export const paymentStateChangedEventSchema = z.object({ orderId: z.string(), state: z.enum(PAYMENT_STATES), confirming: z.boolean() });

export const PAYMENT_ERROR_CODES = ['accountFormat', 'amountInvalid', 'codeInvalid', 'gatewayUnavailable', 'paymentRefused', 'storageFull', 'unknownAccount', 'unknownOrder'] as const;
