// The outbox's senders for the platform: submissions, ratings and supervision events, each sent
// with its message id as the idempotency key and acknowledged by the platform's reply.
import type { z } from 'zod';
import { outcomeOf } from '../outbox/http-outcome';
import type { OutboxHandler, SendOutcome } from '../outbox/outbox-sender';
import { ratingSchema, submissionSchema, supervisionEventSchema } from './platform-api';
import type { PlatformClient } from './platform-client';

const UNFIT: SendOutcome = { kind: 'rejected', error: 'the stored message does not fit its schema' };

function parsed<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> | undefined {
  const result = schema.safeParse(payload);
  return result.success ? result.data : undefined;
}

export function platformHandlers(client: PlatformClient): { submission: OutboxHandler; rating: OutboxHandler; supervision: OutboxHandler } {
  return {
    async submission(message, payload, signal) {
      const submission = parsed(submissionSchema, payload);
      if (!submission) return UNFIT;
      const reply = await client.submit(submission, message.id, signal);
      if (!reply.ok) return outcomeOf(reply.error);
      const { trackingNumber, caseId, acceptance, promisedBy } = reply.value;
      return { kind: 'delivered', result: { trackingNumber, caseId, acceptance, promisedBy } };
    },
    async rating(_message, payload, signal) {
      const rating = parsed(ratingSchema, payload);
      if (!rating) return UNFIT;
      const reply = await client.rate(rating, signal);
      return reply.ok ? { kind: 'delivered', result: { ratingId: reply.value.ratingId } } : outcomeOf(reply.error);
    },
    async supervision(_message, payload, signal) {
      const event = parsed(supervisionEventSchema, payload);
      if (!event) return UNFIT;
      const reply = await client.supervise(event, signal);
      return reply.ok ? { kind: 'delivered', result: { eventId: reply.value.eventId } } : outcomeOf(reply.error);
    },
  };
}
