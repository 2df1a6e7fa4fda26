// The outbox's sender for postings to the utility: the paid amount, once, by posting id.
import { z } from 'zod';
import { UTILITIES } from '../platform/platform-api';
import { outcomeOf } from '../outbox/http-outcome';
import type { OutboxHandler } from '../outbox/outbox-sender';
import type { GatewayClient } from './gateway-client';

const postingPayloadSchema = z.object({ postingId: z.string(), orderId: z.string(), utility: z.enum(UTILITIES), account: z.string(), amountFen: z.int(), paidAt: z.string() });

export function postingHandler(gateway: GatewayClient): OutboxHandler {
  return async (_message, payload, signal) => {
    const posting = postingPayloadSchema.safeParse(payload);
    if (!posting.success) return { kind: 'rejected', error: 'the stored posting does not fit its schema' };
    const reply = await gateway.post(posting.data, signal);
    return reply.ok ? { kind: 'delivered', result: { utilityReceipt: reply.value.utilityReceipt } } : outcomeOf(reply.error);
  };
}
