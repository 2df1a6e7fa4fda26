// The kiosk's side of the gateway API: one bounded, parsed call per operation.
import type { z } from 'zod';
import type { Result } from '../../core/result';
import type { HttpError, JsonClient } from '../http/json-client';
import type { Utility } from '../platform/platform-api';
import {
  billSchema,
  closeReplySchema,
  micropayReplySchema,
  nativeOrderReplySchema,
  postingReplySchema,
  refundReplySchema,
  reverseReplySchema,
  statementSchema,
  tradeSchema,
  type Bill,
  type Statement,
  type Trade,
} from './gateway-api';

export interface OrderRequest {
  readonly orderId: string;
  readonly amountFen: number;
  readonly description: string;
  readonly utility: Utility;
  readonly account: string;
}

export class GatewayClient {
  constructor(private readonly http: JsonClient) {}

  bill(query: { utility: Utility; account: string } | { barcode: string }, signal: AbortSignal): Promise<Result<Bill, HttpError>> {
    return this.http.call('POST', '/v1/bills/query', query, billSchema, signal);
  }

  native(order: OrderRequest, expiresAt: Date, notifyUrl: string | undefined, signal: AbortSignal): Promise<Result<z.infer<typeof nativeOrderReplySchema>, HttpError>> {
    const body = { orderId: order.orderId, amountFen: order.amountFen, description: order.description, expiresAt: expiresAt.toISOString(), attach: { utility: order.utility, account: order.account }, ...(notifyUrl ? { notifyUrl } : {}) };
    return this.http.call('POST', '/v1/orders/native', body, nativeOrderReplySchema, signal, { 'idempotency-key': order.orderId });
  }

  micropay(order: OrderRequest, code: string, signal: AbortSignal): Promise<Result<z.infer<typeof micropayReplySchema>, HttpError>> {
    const body = { orderId: order.orderId, amountFen: order.amountFen, description: order.description, code, attach: { utility: order.utility, account: order.account } };
    return this.http.call('POST', '/v1/orders/micropay', body, micropayReplySchema, signal, { 'idempotency-key': order.orderId });
  }

  query(orderId: string, signal: AbortSignal): Promise<Result<Trade, HttpError>> {
    return this.http.call('GET', `/v1/orders/${orderId}`, undefined, tradeSchema, signal);
  }

  close(orderId: string, signal: AbortSignal): Promise<Result<z.infer<typeof closeReplySchema>, HttpError>> {
    return this.http.call('POST', `/v1/orders/${orderId}/close`, {}, closeReplySchema, signal);
  }

  reverse(orderId: string, signal: AbortSignal): Promise<Result<z.infer<typeof reverseReplySchema>, HttpError>> {
    return this.http.call('POST', `/v1/orders/${orderId}/reverse`, {}, reverseReplySchema, signal);
  }

  refund(orderId: string, amountFen: number, reason: string, signal: AbortSignal): Promise<Result<z.infer<typeof refundReplySchema>, HttpError>> {
    return this.http.call('POST', `/v1/orders/${orderId}/refund`, { refundId: `${orderId}R`, amountFen, reason }, refundReplySchema, signal, { 'idempotency-key': `${orderId}R` });
  }

  post(posting: { postingId: string; orderId: string; utility: Utility; account: string; amountFen: number; paidAt: string }, signal: AbortSignal): Promise<Result<z.infer<typeof postingReplySchema>, HttpError>> {
    return this.http.call('POST', '/v1/utilities/postings', posting, postingReplySchema, signal, { 'idempotency-key': posting.postingId });
  }

  statement(date: string, signal: AbortSignal): Promise<Result<Statement, HttpError>> {
    return this.http.call('GET', `/v1/statements/${date}`, undefined, statementSchema, signal);
  }
}
