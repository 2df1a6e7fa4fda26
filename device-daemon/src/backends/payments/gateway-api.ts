// The HTTP API between the kiosk and the payment gateway, as zod schemas shared by the client and
// the sandbox. Trade states follow the wallets' (WeChat Pay's) names; amounts are integer fen; the
// kiosk's order number is the idempotency key of every order call.
import { z } from 'zod';
import { UTILITIES } from '../platform/platform-api';

export const TRADE_STATES = ['NOTPAY', 'USERPAYING', 'SUCCESS', 'PAYERROR', 'CLOSED', 'REVOKED', 'REFUND'] as const;
export type TradeState = (typeof TRADE_STATES)[number];

export const WALLETS = ['wechat', 'alipay', 'unionpay'] as const;
export type Wallet = (typeof WALLETS)[number];

export const orderIdSchema = z.string().regex(/^[A-Z0-9]{8,32}$/);
const fen = z.int().min(1).max(100_000_000);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const billQuerySchema = z.union([z.object({ utility: z.enum(UTILITIES), account: z.string().regex(/^[0-9A-Z]{6,16}$/) }), z.object({ barcode: z.string().regex(/^[0-9A-Z]{10,40}$/) })]);
export const billSchema = z.object({
  utility: z.enum(UTILITIES),
  account: z.string(),
  holderMasked: z.string().max(20),
  /** What is owed now (0 when nothing is), and what is paid in advance. */
  arrearsFen: z.int().min(0),
  balanceFen: z.int(),
  billMonth: z.string().regex(/^\d{4}-\d{2}$/).nullable(),
  dueDate: day.nullable(),
});
export type Bill = z.infer<typeof billSchema>;

const attach = z.object({ utility: z.enum(UTILITIES), account: z.string() });

export const nativeOrderSchema = z.object({ orderId: orderIdSchema, amountFen: fen, description: z.string().max(64), expiresAt: z.iso.datetime(), attach });
export const nativeOrderReplySchema = z.object({ orderId: z.string(), tradeNo: z.string(), qrContent: z.string().max(512), tradeState: z.enum(TRADE_STATES) });

export const micropayOrderSchema = z.object({ orderId: orderIdSchema, amountFen: fen, description: z.string().max(64), code: z.string().regex(/^\d{16,24}$/), attach });
export const micropayReplySchema = z.object({ orderId: z.string(), tradeNo: z.string(), tradeState: z.enum(TRADE_STATES), wallet: z.enum(WALLETS) });

export const tradeSchema = z.object({
  orderId: z.string(),
  tradeNo: z.string().nullable(),
  tradeState: z.enum(TRADE_STATES),
  amountFen: z.int(),
  paidAt: z.iso.datetime().nullable(),
  refundFen: z.int().min(0),
});
export type Trade = z.infer<typeof tradeSchema>;

export const reverseReplySchema = z.object({ orderId: z.string(), tradeState: z.enum(TRADE_STATES), refunded: z.boolean() });
export const closeReplySchema = z.object({ orderId: z.string(), tradeState: z.enum(TRADE_STATES) });
export const refundSchema = z.object({ refundId: z.string().min(8).max(40), amountFen: fen, reason: z.string().max(80) });
export const refundReplySchema = z.object({ refundId: z.string(), orderId: z.string(), tradeState: z.enum(TRADE_STATES) });

export const postingSchema = z.object({ postingId: z.string().min(8).max(40), orderId: z.string(), utility: z.enum(UTILITIES), account: z.string(), amountFen: fen, paidAt: z.iso.datetime() });
export const postingReplySchema = z.object({ postingId: z.string(), utilityReceipt: z.string() });

export const statementSchema = z.object({
  date: day,
  trades: z.array(z.object({ orderId: z.string(), tradeNo: z.string(), amountFen: z.int(), tradeState: z.enum(TRADE_STATES), paidAt: z.iso.datetime().nullable(), refundFen: z.int() })),
});
export type Statement = z.infer<typeof statementSchema>;

/** The gateway's callback to the kiosk when a trade's state changes (signed like every message). */
export const notificationSchema = z.object({ notificationId: z.string(), orderId: z.string(), tradeState: z.enum(TRADE_STATES), amountFen: z.int(), paidAt: z.iso.datetime().nullable() });
export type Notification = z.infer<typeof notificationSchema>;

/** Which wallet a payment code belongs to, by its length and leading digits (the wallets' published ranges). */
export function walletOf(code: string): Wallet | undefined {
  if (/^1[0-5]\d{16}$/.test(code)) return 'wechat';
  if (/^(2[5-9]|30)\d{14,22}$/.test(code)) return 'alipay';
  if (/^62\d{17}$/.test(code)) return 'unionpay';
  return undefined;
}
