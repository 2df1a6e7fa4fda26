// Daily reconciliation (对账): the gateway's statement of a day against the kiosk's own orders.
// Long (长款): money the gateway took that the kiosk does not book as paid. Short (短款): orders the
// kiosk books as paid that the gateway does not show as paid. Mismatched: both know the order but
// disagree on its amount or outcome.
import type { Result } from '../../core/result';
import type { HttpError } from '../http/json-client';
import type { Statement, TradeState } from './gateway-api';
import type { GatewayClient } from './gateway-client';
import type { OrderState, PaymentOrder, PaymentStore } from './payment-store';

export interface Discrepancy {
  readonly orderId: string;
  readonly local: { readonly state: OrderState; readonly amountFen: number } | null;
  readonly gateway: { readonly state: TradeState; readonly amountFen: number; readonly refundFen: number } | null;
  readonly note: string;
}

export interface ReconciliationReport {
  readonly date: string;
  readonly local: { readonly orders: number; readonly paidFen: number };
  readonly gateway: { readonly trades: number; readonly paidFen: number };
  readonly matched: number;
  readonly long: readonly Discrepancy[];
  readonly short: readonly Discrepancy[];
  readonly mismatched: readonly Discrepancy[];
  /** Orders of the day still open: their outcome is not known yet, so they are not judged. */
  readonly open: readonly string[];
}

/** What the kiosk books as kept money, and what the gateway does. */
const keptLocally = (o: PaymentOrder): boolean => o.state === 'SUCCESS';
const keptByGateway = (state: TradeState): boolean => state === 'SUCCESS';

/** The instants a China-time day begins and ends. */
export function chinaDay(date: string): { from: string; to: string } {
  const start = Date.parse(`${date}T00:00:00+08:00`);
  return { from: new Date(start).toISOString(), to: new Date(start + 86_400_000).toISOString() };
}

export function reconcile(date: string, orders: readonly PaymentOrder[], statement: Statement): ReconciliationReport {
  const trades = new Map(statement.trades.map((t) => [t.orderId, t]));
  const mine = new Map(orders.map((o) => [o.orderId, o]));
  const long: Discrepancy[] = [];
  const short: Discrepancy[] = [];
  const mismatched: Discrepancy[] = [];
  const open: string[] = [];
  let matched = 0;
  for (const order of orders) {
    const local = { state: order.state, amountFen: order.amountFen };
    if (order.state === 'CREATED' || order.state === 'PAYING') {
      open.push(order.orderId);
      continue;
    }
    const trade = trades.get(order.orderId);
    const gateway = trade ? { state: trade.tradeState, amountFen: trade.amountFen, refundFen: trade.refundFen } : null;
    if (!trade) {
      if (keptLocally(order)) short.push({ orderId: order.orderId, local, gateway, note: 'paid here, unknown to the gateway' });
      else matched += 1;
      continue;
    }
    if (trade.amountFen !== order.amountFen) {
      mismatched.push({ orderId: order.orderId, local, gateway, note: 'amounts differ' });
      continue;
    }
    const here = keptLocally(order);
    const there = keptByGateway(trade.tradeState);
    if (here === there) matched += 1;
    else if (there) long.push({ orderId: order.orderId, local, gateway, note: `the gateway kept the money; the kiosk has the order ${order.state}` });
    else short.push({ orderId: order.orderId, local, gateway, note: `the kiosk books it paid; the gateway has it ${trade.tradeState}` });
  }
  for (const trade of statement.trades) {
    if (mine.has(trade.orderId)) continue;
    if (keptByGateway(trade.tradeState)) long.push({ orderId: trade.orderId, local: null, gateway: { state: trade.tradeState, amountFen: trade.amountFen, refundFen: trade.refundFen }, note: 'paid at the gateway, unknown here' });
  }
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  return {
    date,
    local: { orders: orders.length, paidFen: sum(orders.filter(keptLocally).map((o) => o.amountFen)) },
    gateway: { trades: statement.trades.length, paidFen: sum(statement.trades.filter((t) => keptByGateway(t.tradeState)).map((t) => t.amountFen)) },
    matched,
    long,
    short,
    mismatched,
    open,
  };
}

export async function reconcileDay(date: string, store: PaymentStore, gateway: GatewayClient, signal: AbortSignal): Promise<Result<ReconciliationReport, HttpError>> {
  const statement = await gateway.statement(date, signal);
  if (!statement.ok) return statement;
  const { from, to } = chinaDay(date);
  return { ok: true, value: reconcile(date, store.between(from, to), statement.value) };
}
