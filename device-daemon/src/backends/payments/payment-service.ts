// Utility payments, driven to a final state whatever happens. The order is stored before the
// gateway hears of it; every open order is queried every few seconds until it is paid, refused,
// reversed (micropay, at its deadline) or closed (native, at its expiry); an unknown outcome is
// never reported as a failure while money may have moved: the resident sees "confirming" with the
// order number as receipt number. On start the same loop picks up every order left open by a crash.
import { randomUUID } from 'node:crypto';
import { deadline } from '../../core/deadline';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import { err, ok, type Result } from '../../core/result';
import type { Logger } from '../../log/logger';
import { nextCounter } from '../../store/counters';
import { storageFaultOf } from '../../store/storage-health';
import type { KioskDatabase } from '../../store/database';
import type { HttpError } from '../http/json-client';
import type { OutboxSender } from '../outbox/outbox-sender';
import type { OutboxStore } from '../outbox/outbox-store';
import type { Utility } from '../platform/platform-api';
import type { SupervisionEvent } from '../platform/platform-api';
import { dateOnly } from '../platform/working-days';
import { walletOf, type Trade } from './gateway-api';
import type { GatewayClient, OrderRequest } from './gateway-client';
import { FINAL_STATES, type OrderPatch, type OrderState, type PaymentOrder, type PaymentStore } from './payment-store';

export interface PaymentServiceOptions {
  readonly db: KioskDatabase;
  readonly store: PaymentStore;
  readonly outbox: OutboxStore;
  readonly sender: OutboxSender;
  readonly gateway: GatewayClient;
  readonly terminalId: string;
  /** Between queries of an open order (3 to 5 s in production: this plus up to 1 s). */
  readonly pollIntervalMs: number;
  /** A micropay order not paid by then is reversed (30 s). */
  readonly micropayTimeoutMs: number;
  /** A native order's QR code is closed at its expiry. */
  readonly nativeExpiryMs: number;
  /** Where the gateway may notify the kiosk; optional, queries are what the kiosk relies on. */
  readonly notifyUrl: () => string | undefined;
  readonly accountPatterns: Readonly<Record<Utility, RegExp>>;
  readonly maxAmountFen: number;
  readonly log: Logger;
  readonly now?: () => number;
  readonly random?: () => number;
}

export interface CreateRequest {
  readonly utility: Utility;
  readonly account: string;
  readonly amountFen: number;
  readonly method: 'native' | 'micropay';
  readonly code?: string | undefined;
}

export interface OrderView {
  readonly orderId: string;
  readonly state: OrderState;
  /** The outcome is being confirmed with the gateway (never shown as failed meanwhile). */
  readonly confirming: boolean;
  readonly amountFen: number;
  readonly qrContent?: string;
  readonly expiresAt?: string;
  readonly receiptNumber: string;
  readonly posting: PaymentOrder['posting'];
}

export type CreateError = { readonly code: 'accountFormat' | 'amountInvalid' | 'codeInvalid' | 'gatewayUnavailable' | 'paymentRefused' | 'storageFull'; readonly message: string; readonly orderId?: string };

export function viewOf(order: PaymentOrder): OrderView {
  return {
    orderId: order.orderId,
    state: order.state,
    confirming: order.uncertain || order.state === 'CREATED',
    amountFen: order.amountFen,
    ...(order.qrContent && order.state === 'PAYING' ? { qrContent: order.qrContent, expiresAt: new Date(order.deadlineAt).toISOString() } : {}),
    receiptNumber: order.orderId,
    posting: order.posting,
  };
}

export class PaymentService {
  readonly #changes = new Listeners<OrderView>('payment change');
  readonly #codes = new Map<string, string>();
  readonly #next = new Map<string, number>();
  /** Orders whose first gateway call is still under way: the loop leaves them alone until it returns. */
  readonly #inFlight = new Set<string>();
  readonly #stop = new AbortController();
  readonly #now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #driving: Promise<void> | undefined;
  #again = false;

  constructor(private readonly options: PaymentServiceOptions) {
    this.#now = options.now ?? ((): number => Date.now());
    options.sender.onEvent(({ message, outcome }) => {
      if (message.kind !== 'billPosting') return;
      if (outcome.kind === 'delivered') options.store.setPosting(message.stream, 'posted');
      else if (outcome.kind === 'rejected') {
        options.store.setPosting(message.stream, 'rejected');
        options.log.error({ orderId: message.stream, reason: outcome.error }, 'the utility refused the posting; the payment will be refunded');
        this.kick();
      }
    });
  }

  onChange(listener: (view: OrderView) => void): Unsubscribe {
    return this.#changes.subscribe(listener);
  }

  start(): void {
    this.kick();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    if (this.#timer) clearTimeout(this.#timer);
    await this.#driving;
  }

  view(orderId: string): OrderView | undefined {
    const order = this.options.store.get(orderId);
    return order ? viewOf(order) : undefined;
  }

  #orderId(): string {
    const prefix = this.options.terminalId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(-8).padStart(8, 'K');
    const seq = nextCounter(this.options.db, 'paymentOrder');
    return `${prefix}${dateOnly(new Date(this.#now())).slice(2).replaceAll('-', '')}${String(seq).padStart(8, '0')}`;
  }

  #record(request: CreateRequest, wallet: PaymentOrder['wallet'], now: number): PaymentOrder {
    const { options } = this;
    return options.db.transaction(() =>
      options.store.create({
        orderId: this.#orderId(),
        method: request.method,
        utility: request.utility,
        account: request.account,
        amountFen: request.amountFen,
        wallet: wallet ?? null,
        codeTail: request.code ? request.code.slice(-4) : null,
        deadlineAt: now + (request.method === 'micropay' ? options.micropayTimeoutMs : options.nativeExpiryMs),
      }),
    )();
  }

  async create(request: CreateRequest, signal: AbortSignal): Promise<Result<OrderView, CreateError>> {
    const { options } = this;
    if (!options.accountPatterns[request.utility].test(request.account)) return err({ code: 'accountFormat', message: `not a ${request.utility} account number` });
    if (!Number.isInteger(request.amountFen) || request.amountFen < 1 || request.amountFen > options.maxAmountFen) return err({ code: 'amountInvalid', message: `the amount must be 1 to ${options.maxAmountFen} fen` });
    const wallet = request.method === 'micropay' ? walletOf(request.code ?? '') : null;
    if (request.method === 'micropay' && !wallet) return err({ code: 'codeInvalid', message: 'not a payment code of WeChat, Alipay or UnionPay' });
    const now = this.#now();
    let order: PaymentOrder;
    try {
      order = this.#record(request, wallet ?? null, now);
    } catch (error) {
      // Nothing has gone to the gateway yet: an order that cannot be recorded first is never sent.
      const fault = storageFaultOf(error);
      if (fault === undefined) throw error;
      options.log.error({ fault }, 'payment order cannot be recorded; not sent to the gateway');
      return err({ code: 'storageFull', message: `the order cannot be recorded (${fault}); nothing was charged` });
    }
    const orderRequest: OrderRequest = { orderId: order.orderId, amountFen: order.amountFen, description: `${UTILITY_NAMES[request.utility]}缴费 ${request.account}`, utility: request.utility, account: request.account };
    const guard = deadline(signal, undefined, 'payment');
    this.#inFlight.add(order.orderId);
    try {
      if (request.method === 'native') {
        const reply = await options.gateway.native(orderRequest, new Date(order.deadlineAt), options.notifyUrl(), guard.signal);
        if (reply.ok) return ok(this.#apply(order.orderId, 'PAYING', 'QR code issued', { qrContent: reply.value.qrContent, gatewayTradeNo: reply.value.tradeNo, uncertain: false }));
        // Without its QR code nobody can pay the order: close it at the gateway (the loop makes sure).
        this.#apply(order.orderId, 'CREATED', `native order not confirmed: ${reply.error.message}`, { uncertain: true });
        this.#due(order.orderId, 0, true);
        return err({ code: reply.error.kind === 'status' ? 'paymentRefused' : 'gatewayUnavailable', message: reply.error.message, orderId: order.orderId });
      }
      const code = request.code ?? '';
      this.#codes.set(order.orderId, code);
      const reply = await options.gateway.micropay(orderRequest, code, guard.signal);
      if (reply.ok) return ok(this.#fromTrade(order.orderId, reply.value.tradeState, 'micropay reply'));
      if (reply.error.kind === 'status' && reply.error.status !== undefined && reply.error.status < 500) {
        // Refused outright (no money, bad or used code): nothing was charged.
        this.#codes.delete(order.orderId);
        const closed = this.#apply(order.orderId, 'CLOSED', `refused: ${reply.error.code ?? reply.error.status}`);
        return err({ code: reply.error.code === 'AUTH_CODE_INVALID' || reply.error.code === 'AUTH_CODE_USED' ? 'codeInvalid' : 'paymentRefused', message: reply.error.message, orderId: closed.orderId });
      }
      // Unknown: the payment may have happened. Confirming, and the loop queries at once.
      const view = this.#apply(order.orderId, 'PAYING', `outcome unknown: ${reply.error.message}`, { uncertain: true });
      this.#due(order.orderId, 0, true);
      return ok(view);
    } finally {
      guard.dispose();
      this.#inFlight.delete(order.orderId);
      const after = options.store.get(order.orderId);
      if (after && !FINAL_STATES.has(after.state) && !this.#next.has(order.orderId)) this.#due(order.orderId, this.#interval(), true);
    }
  }

  /** The resident gives up: a native QR code is closed, a waiting micropay reversed. */
  cancel(orderId: string): OrderView | undefined {
    const order = this.options.store.get(orderId);
    if (!order) return undefined;
    if (!FINAL_STATES.has(order.state)) {
      this.options.db.prepare('UPDATE payment_orders SET deadline_at = ? WHERE order_id = ? AND deadline_at > ?').run(this.#now(), orderId, this.#now());
      this.#due(orderId, 0, true);
    }
    return viewOf(this.options.store.get(orderId) ?? order);
  }

  /** The gateway says something happened to an order: look now (the notification itself is only a hint). */
  notified(orderId: string): boolean {
    const order = this.options.store.get(orderId);
    if (!order) return false;
    if (!FINAL_STATES.has(order.state)) this.#due(orderId, 0, true);
    return true;
  }

  kick(): void {
    if (this.#stop.signal.aborted) return;
    if (this.#driving) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#driving = this.#drive().finally(() => {
      this.#driving = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      } else this.#schedule();
    });
  }

  /** Resolves when every order due now has been driven (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.#driving) await this.#driving;
  }

  /** A final order needs no code and no next look: holding them would grow with every order ever paid. */
  #forget(orderId: string): void {
    this.#codes.delete(orderId);
    this.#next.delete(orderId);
  }

  /** Orders the loop still has a next look or a payment code for (diagnostics and tests). */
  get tracked(): { readonly next: number; readonly codes: number } {
    return { next: this.#next.size, codes: this.#codes.size };
  }

  #due(orderId: string, inMs: number, kick = false): void {
    this.#next.set(orderId, this.#now() + inMs);
    if (kick) this.kick();
  }

  #interval(): number {
    return this.options.pollIntervalMs + Math.floor((this.options.random ?? Math.random)() * 1000);
  }

  #schedule(): void {
    if (this.#stop.signal.aborted) return;
    const open = this.options.store.open().filter((o) => !this.#inFlight.has(o.orderId));
    const refunds = this.options.store.refundsDue();
    if (open.length === 0 && refunds.length === 0) return;
    const soonest = Math.min(...[...open, ...refunds].map((o) => Math.min(this.#next.get(o.orderId) ?? this.#now(), Math.max(o.deadlineAt, this.#now()))));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.kick();
    }, Math.max(0, soonest - this.#now()));
  }

  async #drive(): Promise<void> {
    for (const order of this.options.store.open()) {
      if (this.#stop.signal.aborted) return;
      if (this.#inFlight.has(order.orderId)) continue;
      const due = this.#next.get(order.orderId) ?? 0;
      if (due > this.#now() && order.deadlineAt > this.#now()) continue;
      await this.#step(order);
    }
    for (const order of this.options.store.refundsDue()) {
      if (this.#stop.signal.aborted) return;
      if ((this.#next.get(order.orderId) ?? 0) > this.#now()) continue;
      await this.#refund(order);
    }
  }

  /** One look at an open order: finalise it past its deadline, else ask the gateway. */
  async #step(order: PaymentOrder): Promise<void> {
    const { gateway } = this.options;
    const signal = this.#stop.signal;
    if (this.#now() >= order.deadlineAt) {
      if (order.method === 'micropay') {
        const reversed = await gateway.reverse(order.orderId, signal);
        if (reversed.ok) {
          this.#codes.delete(order.orderId);
          this.#apply(order.orderId, 'REVOKED', reversed.value.refunded ? 'reversed at the deadline; the charge was refunded' : 'reversed at the deadline');
        } else this.#retryLater(order, 'reverse', reversed.error);
        return;
      }
      const closed = await gateway.close(order.orderId, signal);
      if (closed.ok) this.#fromTrade(order.orderId, closed.value.tradeState === 'CLOSED' ? 'CLOSED' : closed.value.tradeState, 'QR code expired; closed');
      else if (closed.error.code === 'ORDERPAID') await this.#query(order);
      else this.#retryLater(order, 'close', closed.error);
      return;
    }
    await this.#query(order);
  }

  async #query(order: PaymentOrder): Promise<void> {
    const { gateway } = this.options;
    const trade = await gateway.query(order.orderId, this.#stop.signal);
    if (trade.ok) {
      const view = this.#fromTrade(order.orderId, trade.value.tradeState, 'queried', trade.value);
      if (!FINAL_STATES.has(view.state)) this.#due(order.orderId, this.#interval());
      return;
    }
    if (trade.error.code === 'ORDERNOTEXIST') {
      const code = this.#codes.get(order.orderId);
      if (order.method === 'micropay' && code && this.#now() < order.deadlineAt) {
        // The payment never arrived: send it again under the same order number (the gateway takes it once).
        const retried = await gateway.micropay({ orderId: order.orderId, amountFen: order.amountFen, description: `${UTILITY_NAMES[order.utility]}缴费 ${order.account}`, utility: order.utility, account: order.account }, code, this.#stop.signal);
        if (retried.ok) this.#fromTrade(order.orderId, retried.value.tradeState, 'micropay sent again');
      } else if (order.state === 'CREATED' || !code) {
        // Nobody can pay it any more (its code or QR is gone with a restart): end it now.
        this.options.db.prepare('UPDATE payment_orders SET deadline_at = ? WHERE order_id = ? AND deadline_at > ?').run(this.#now(), order.orderId, this.#now());
        this.#due(order.orderId, 0);
        return;
      }
    }
    this.#retryLater(order, 'query', trade.error);
  }

  async #refund(order: PaymentOrder): Promise<void> {
    const refunded = await this.options.gateway.refund(order.orderId, order.amountFen, 'utility refused the posting', this.#stop.signal);
    if (refunded.ok) this.#apply(order.orderId, 'REFUNDED', 'the utility refused the posting; refunded');
    else this.#next.set(order.orderId, this.#now() + this.#interval());
  }

  #retryLater(order: PaymentOrder, what: string, error: HttpError): void {
    if (!order.uncertain && (error.kind === 'unknown' || error.kind === 'unreachable')) this.#apply(order.orderId, order.state, `${what} failed: ${error.message}`, { uncertain: true });
    this.#due(order.orderId, this.#interval());
  }

  /** The kiosk's state for a gateway trade state. */
  #fromTrade(orderId: string, state: Trade['tradeState'], reason: string, trade?: Trade): OrderView {
    switch (state) {
      case 'SUCCESS':
        return this.#succeed(orderId, reason, trade?.paidAt ?? undefined);
      case 'NOTPAY':
      case 'USERPAYING':
        return this.#apply(orderId, 'PAYING', reason, { uncertain: false });
      case 'PAYERROR': {
        // The resident cancelled or the wallet failed: end it now (reverse or close) rather than wait.
        this.options.db.prepare('UPDATE payment_orders SET deadline_at = ? WHERE order_id = ? AND deadline_at > ?').run(this.#now(), orderId, this.#now());
        this.#due(orderId, 0, true);
        return this.#apply(orderId, 'PAYING', `${reason}: payment failed in the wallet`, { uncertain: false });
      }
      case 'CLOSED':
        return this.#apply(orderId, 'CLOSED', reason, { uncertain: false });
      case 'REVOKED':
        return this.#apply(orderId, 'REVOKED', reason, { uncertain: false });
      case 'REFUND':
        return this.#apply(orderId, 'REFUNDED', reason, { uncertain: false });
    }
  }

  /** Paid: recorded together with the posting to the utility and the supervision event. */
  #succeed(orderId: string, reason: string, paidAt: string | undefined): OrderView {
    const { db, store, outbox } = this.options;
    const view = db.transaction(() => {
      const before = store.get(orderId);
      const moved = store.transition(orderId, 'SUCCESS', reason, { uncertain: false, paidAt: paidAt ?? new Date(this.#now()).toISOString() });
      if (!moved.ok) return before ? viewOf(before) : undefined;
      const order = moved.value;
      if (before?.state !== 'SUCCESS') this.options.log.info({ orderId, from: before?.state, to: 'SUCCESS', reason }, 'payment order');
      if (before && before.state !== 'SUCCESS' && order.posting === 'none') {
        outbox.enqueue('billPosting', orderId, { postingId: `${orderId}P`, orderId, utility: order.utility, account: order.account, amountFen: order.amountFen, paidAt: order.paidAt ?? new Date(this.#now()).toISOString() });
        const event: SupervisionEvent = { eventId: randomUUID(), transactionId: orderId, action: 'paymentCompleted', terminalId: this.options.terminalId, at: new Date(this.#now()).toISOString() };
        outbox.enqueue('supervision', orderId, event);
        store.setPosting(orderId, 'queued');
      }
      return viewOf(store.get(orderId) ?? order);
    })();
    this.#forget(orderId);
    this.options.sender.kick();
    const current = view ?? viewOf(store.get(orderId) ?? this.#missing(orderId));
    this.#changes.emit(current);
    return current;
  }

  #apply(orderId: string, state: OrderState, reason: string, patch: OrderPatch = {}): OrderView {
    const before = this.options.store.get(orderId);
    const moved = this.options.store.transition(orderId, state, reason, patch);
    if (!moved.ok) {
      if (moved.error === 'notAllowed' && before) this.options.log.warn({ orderId, from: before.state, to: state, reason }, 'payment transition refused');
      return viewOf(before ?? this.#missing(orderId));
    }
    if (FINAL_STATES.has(moved.value.state)) this.#forget(orderId);
    const view = viewOf(moved.value);
    if (!before || before.state !== view.state || before.uncertain !== moved.value.uncertain) {
      this.options.log.info({ orderId, from: before?.state, to: view.state, confirming: view.confirming, reason }, 'payment order');
      this.#changes.emit(view);
    }
    return view;
  }

  #missing(orderId: string): never {
    throw new Error(`payment order ${orderId} vanished`);
  }
}

const UTILITY_NAMES: Readonly<Record<Utility, string>> = { water: '水费', electricity: '电费', gas: '燃气费', heating: '供暖费' };
