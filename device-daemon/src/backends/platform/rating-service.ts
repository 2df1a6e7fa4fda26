// 好差评: one rating per transaction, five levels, reasons required for the two lowest, sent
// through the outbox (the resident never waits for the platform).
import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../../core/result';
import type { OutboxSender } from '../outbox/outbox-sender';
import type { OutboxStore } from '../outbox/outbox-store';
import type { Rating } from './platform-api';

export interface RateRequest {
  readonly transactionId: string;
  readonly itemCode?: string | undefined;
  readonly level: number;
  readonly reasons?: readonly string[] | undefined;
  readonly comment?: string | undefined;
}

export class RatingService {
  constructor(
    private readonly outbox: OutboxStore,
    private readonly sender: OutboxSender,
    private readonly terminalId: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  rate(request: RateRequest): Result<{ ratingId: string; state: 'queued' }, { code: 'reasonsRequired'; message: string }> {
    const reasons = [...new Set(request.reasons ?? [])];
    if (request.level <= 2 && reasons.length === 0) return err({ code: 'reasonsRequired', message: 'the two lowest ratings need at least one reason' });
    // One rating per transaction: a second tap, or the same rating sent again after a restart lost
    // its completion, gets the first one's id and is not sent again.
    const earlier = this.outbox.standing('rating', request.transactionId);
    if (earlier) return ok({ ratingId: earlier.id, state: 'queued' });
    const rating: Rating = {
      ratingId: randomUUID(),
      transactionId: request.transactionId,
      ...(request.itemCode ? { itemCode: request.itemCode } : {}),
      level: request.level,
      reasons,
      ...(request.comment?.trim() ? { comment: request.comment.trim() } : {}),
      channel: 'kiosk',
      terminalId: this.terminalId,
      ratedAt: new Date(this.now()).toISOString(),
    };
    this.outbox.enqueue('rating', request.transactionId, rating, rating.ratingId);
    this.sender.kick();
    return ok({ ratingId: rating.ratingId, state: 'queued' });
  }
}
