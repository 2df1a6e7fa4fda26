// Payment orders in SQLite. An order is written before the gateway hears of it, and its state
// changes only by allowed transitions, each recorded (append-only) in the same transaction as the
// change: CREATED -> PAYING -> SUCCESS | CLOSED | REVOKED, and SUCCESS -> REFUNDED.
import { err, ok, type Result } from '../../core/result';
import type { KioskDatabase } from '../../store/database';
import type { Utility } from '../platform/platform-api';
import type { Wallet } from './gateway-api';

export const ORDER_STATES = ['CREATED', 'PAYING', 'SUCCESS', 'CLOSED', 'REVOKED', 'REFUNDED'] as const;
export type OrderState = (typeof ORDER_STATES)[number];
export const FINAL_STATES: ReadonlySet<OrderState> = new Set(['SUCCESS', 'CLOSED', 'REVOKED', 'REFUNDED']);

const ALLOWED: Readonly<Record<OrderState, readonly OrderState[]>> = {
  CREATED: ['PAYING', 'SUCCESS', 'CLOSED', 'REVOKED'],
  PAYING: ['SUCCESS', 'CLOSED', 'REVOKED'],
  SUCCESS: ['REFUNDED'],
  CLOSED: [],
  REVOKED: [],
  REFUNDED: [],
};

export type PostingState = 'none' | 'queued' | 'posted' | 'rejected';

export interface PaymentOrder {
  readonly orderId: string;
  readonly method: 'native' | 'micropay';
  readonly utility: Utility;
  readonly account: string;
  readonly amountFen: number;
  readonly state: OrderState;
  readonly wallet: Wallet | null;
  readonly codeTail: string | null;
  readonly qrContent: string | null;
  readonly gatewayTradeNo: string | null;
  /** The last gateway call's outcome is not known yet: the resident sees "confirming". */
  readonly uncertain: boolean;
  /** Epoch ms: micropay is reversed, native closed, if not paid by then. */
  readonly deadlineAt: number;
  readonly posting: PostingState;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly paidAt: string | null;
  readonly finalAt: string | null;
}

interface Row {
  order_id: string;
  method: 'native' | 'micropay';
  utility: Utility;
  account: string;
  amount_fen: number;
  state: OrderState;
  wallet: Wallet | null;
  code_tail: string | null;
  qr_content: string | null;
  gateway_trade_no: string | null;
  uncertain: number;
  deadline_at: number;
  posting: PostingState;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  final_at: string | null;
}

const toOrder = (r: Row): PaymentOrder => ({
  orderId: r.order_id,
  method: r.method,
  utility: r.utility,
  account: r.account,
  amountFen: r.amount_fen,
  state: r.state,
  wallet: r.wallet,
  codeTail: r.code_tail,
  qrContent: r.qr_content,
  gatewayTradeNo: r.gateway_trade_no,
  uncertain: r.uncertain === 1,
  deadlineAt: r.deadline_at,
  posting: r.posting,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  paidAt: r.paid_at,
  finalAt: r.final_at,
});

export interface NewOrder {
  readonly orderId: string;
  readonly method: 'native' | 'micropay';
  readonly utility: Utility;
  readonly account: string;
  readonly amountFen: number;
  readonly wallet: Wallet | null;
  readonly codeTail: string | null;
  readonly deadlineAt: number;
}

export interface OrderPatch {
  readonly qrContent?: string;
  readonly gatewayTradeNo?: string;
  readonly uncertain?: boolean;
  readonly paidAt?: string;
}

export class PaymentStore {
  readonly #get;
  readonly #open;

  constructor(
    private readonly db: KioskDatabase,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.#get = db.prepare<[string], Row>('SELECT * FROM payment_orders WHERE order_id = ?');
    this.#open = db.prepare<[], Row>("SELECT * FROM payment_orders WHERE state IN ('CREATED', 'PAYING') ORDER BY created_at");
  }

  #iso(): string {
    return new Date(this.now()).toISOString();
  }

  create(order: NewOrder): PaymentOrder {
    const at = this.#iso();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO payment_orders (order_id, method, utility, account, amount_fen, state, wallet, code_tail, deadline_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(order.orderId, order.method, order.utility, order.account, order.amountFen, 'CREATED', order.wallet, order.codeTail, order.deadlineAt, at, at);
      this.db.prepare('INSERT INTO payment_transitions (order_id, from_state, to_state, reason, at) VALUES (?, NULL, ?, ?, ?)').run(order.orderId, 'CREATED', 'created', at);
    })();
    const created = this.get(order.orderId);
    if (!created) throw new Error('order vanished after insert');
    return created;
  }

  get(orderId: string): PaymentOrder | undefined {
    const row = this.#get.get(orderId);
    return row ? toOrder(row) : undefined;
  }

  /** Orders not yet final, oldest first. */
  open(): PaymentOrder[] {
    return this.#open.all().map(toOrder);
  }

  /**
   * Moves an order to `to` if that transition is allowed from its current state, recording it; to
   * its current state, only the patch applies (a repeated confirmation changes nothing).
   */
  transition(orderId: string, to: OrderState, reason: string, patch: OrderPatch = {}): Result<PaymentOrder, 'unknownOrder' | 'notAllowed'> {
    return this.db.transaction((): Result<PaymentOrder, 'unknownOrder' | 'notAllowed'> => {
      const current = this.get(orderId);
      if (!current) return err('unknownOrder');
      if (current.state !== to && !ALLOWED[current.state].includes(to)) return err('notAllowed');
      const at = this.#iso();
      if (current.state !== to) {
        this.db.prepare('INSERT INTO payment_transitions (order_id, from_state, to_state, reason, at) VALUES (?, ?, ?, ?, ?)').run(orderId, current.state, to, reason.slice(0, 200), at);
      }
      const final = FINAL_STATES.has(to) ? at : null;
      this.db
        .prepare(
          `UPDATE payment_orders SET state = ?, updated_at = ?,
             qr_content = COALESCE(?, qr_content), gateway_trade_no = COALESCE(?, gateway_trade_no),
             uncertain = COALESCE(?, uncertain), paid_at = COALESCE(?, paid_at),
             final_at = CASE WHEN final_at IS NULL THEN ? ELSE final_at END
           WHERE order_id = ?`,
        )
        .run(to, at, patch.qrContent ?? null, patch.gatewayTradeNo ?? null, patch.uncertain === undefined ? null : patch.uncertain ? 1 : 0, patch.paidAt ?? null, current.state === to ? null : final, orderId);
      const updated = this.get(orderId);
      return updated ? ok(updated) : err('unknownOrder');
    })();
  }

  setPosting(orderId: string, posting: PostingState): void {
    this.db.prepare('UPDATE payment_orders SET posting = ?, updated_at = ? WHERE order_id = ?').run(posting, this.#iso(), orderId);
  }

  /** Paid orders whose posting the utility refused: they are refunded. */
  refundsDue(): PaymentOrder[] {
    return this.db.prepare<[], Row>("SELECT * FROM payment_orders WHERE state = 'SUCCESS' AND posting = 'rejected'").all().map(toOrder);
  }

  transitions(orderId: string): Array<{ from: OrderState | null; to: OrderState; reason: string; at: string }> {
    return this.db
      .prepare<[string], { from_state: OrderState | null; to_state: OrderState; reason: string; at: string }>('SELECT from_state, to_state, reason, at FROM payment_transitions WHERE order_id = ? ORDER BY id')
      .all(orderId)
      .map((r) => ({ from: r.from_state, to: r.to_state, reason: r.reason, at: r.at }));
  }

  /** Orders created between two instants (a day of China time, for reconciliation). */
  between(fromIso: string, toIso: string): PaymentOrder[] {
    return this.db.prepare<[string, string], Row>('SELECT * FROM payment_orders WHERE created_at >= ? AND created_at < ? ORDER BY created_at').all(fromIso, toIso).map(toOrder);
  }

  counts(): Array<{ state: OrderState; n: number }> {
    return this.db.prepare<[], { state: OrderState; n: number }>('SELECT state, COUNT(*) AS n FROM payment_orders GROUP BY state').all();
  }
}
