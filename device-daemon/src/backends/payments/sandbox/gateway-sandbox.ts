// The payment gateway's sandbox: native (QR on screen) and micropay (the resident's payment code)
// orders, query, close, reverse, refund, utility bills and postings, daily statements, and signed
// notifications to the kiosk, all over real HTTP. It keeps a ledger of every charge and refund, so
// tests can prove that no order was charged twice and that the kiosk's books match.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { err, ok, type Result } from '../../../core/result';
import { sign, SIGNATURE_HEADERS } from '../../http/signature';
import { errorReply, startJsonServer, type JsonReply, type JsonRequest, type JsonServer, type Route } from '../../http/json-server';
import { SandboxStore } from '../../sandbox-store';
import { UTILITIES } from '../../platform/platform-api';
import { dateOnly } from '../../platform/working-days';
import {
  billQuerySchema,
  micropayOrderSchema,
  nativeOrderSchema,
  postingSchema,
  refundSchema,
  TRADE_STATES,
  walletOf,
  WALLETS,
  type Bill,
  type Notification,
  type Trade,
  type TradeState,
} from '../gateway-api';
import { scriptFor, scriptSchema, type Script, type ScriptBook } from './gateway-scripts';

export const utilityAccountsFileSchema = z.object({
  accounts: z.array(
    z.object({
      utility: z.enum(UTILITIES),
      account: z.string(),
      holder: z.string(),
      arrearsFen: z.int().min(0),
      balanceFen: z.int(),
      billMonth: z.string().nullable(),
      dueDate: z.string().nullable(),
      closed: z.boolean().optional(),
    }),
  ),
});
export type UtilityAccounts = z.infer<typeof utilityAccountsFileSchema>;

const tradeRecord = z.object({
  orderId: z.string(),
  tradeNo: z.string(),
  kind: z.enum(['native', 'micropay']),
  amountFen: z.int(),
  state: z.enum(TRADE_STATES),
  wallet: z.enum(WALLETS).nullable(),
  code: z.string().nullable(),
  script: scriptSchema,
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
  paidAt: z.number().nullable(),
  refundFen: z.int(),
  notifyUrl: z.string().nullable(),
  attach: z.object({ utility: z.string(), account: z.string() }),
  digest: z.string(),
});
type TradeRecord = z.infer<typeof tradeRecord>;

const ledgerEntry = z.object({ orderId: z.string(), kind: z.enum(['charge', 'refund']), amountFen: z.int(), at: z.number() });
export type LedgerEntry = z.infer<typeof ledgerEntry>;

const accountRecord = utilityAccountsFileSchema.shape.accounts.element;
const LETTER: Record<(typeof UTILITIES)[number], string> = { water: 'W', electricity: 'E', gas: 'G', heating: 'H' };

export interface GatewaySandboxOptions {
  readonly host?: string;
  readonly port?: number;
  /** Merchant (app) id -> shared secret. */
  readonly merchants: Readonly<Record<string, string>>;
  readonly accounts: UtilityAccounts;
  readonly dataFile?: string;
  readonly now?: () => number;
  readonly nativeDefault?: Script;
}

export class GatewaySandbox {
  readonly store: SandboxStore;
  #server: JsonServer | undefined;
  #port: number;
  #book: { byAmount: Map<number, Script>; byCode: Map<string, Script>; micropayDefault: Script; nativeDefault: Script };
  #failNext: Array<{ status: number; drop: boolean }> = [];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #now: () => number;
  readonly notificationsSent: Array<{ orderId: string; status: number | 'failed' }> = [];
  /** Replies held back on purpose (a scripted timeout) and notifications on their way. */
  #parked = 0;
  #sending = 0;

  constructor(private readonly options: GatewaySandboxOptions) {
    this.store = new SandboxStore(options.dataFile ?? ':memory:');
    this.#port = options.port ?? 0;
    this.#now = options.now ?? ((): number => Date.now());
    this.#book = { byAmount: new Map(), byCode: new Map(), micropayDefault: { kind: 'success', afterMs: 0, notifyDelayMs: 0 }, nativeDefault: options.nativeDefault ?? { kind: 'success', afterMs: 3_000, notifyDelayMs: 0 } };
    this.store.transaction(() => {
      for (const a of options.accounts.accounts) if (!this.store.get('accounts', `${a.utility}:${a.account}`, accountRecord)) this.store.put('accounts', `${a.utility}:${a.account}`, a);
    });
  }

  get url(): string {
    // Known once started, and kept while stopped: a restart comes back on the same port.
    if (this.#server) return this.#server.url;
    if (this.#port === 0) throw new Error('sandbox has not been started');
    return `http://${this.options.host ?? '127.0.0.1'}:${this.#port}`;
  }

  /** Replies held back on purpose (scripted timeouts). */
  get parked(): number {
    return this.#parked;
  }

  /** Work under way that fake-time tests wait for before moving the clock (not counting replies held back on purpose). */
  get busy(): boolean {
    return (this.#server?.inFlight ?? 0) - this.#parked > 0 || this.#sending > 0;
  }

  get scripts(): ScriptBook {
    return this.#book;
  }

  /** Stages an outcome for an amount (fen) or a payment code. */
  script(on: { amountFen: number } | { code: string }, script: Partial<Script> & Pick<Script, 'kind'>): void {
    const full = scriptSchema.parse(script);
    if ('amountFen' in on) this.#book.byAmount.set(on.amountFen, full);
    else this.#book.byCode.set(on.code, full);
  }

  failNext(count: number, how: { status?: number; drop?: boolean } = {}): void {
    for (let i = 0; i < count; i += 1) this.#failNext.push({ status: how.status ?? 503, drop: how.drop ?? false });
  }

  async start(): Promise<Result<string, string>> {
    if (this.#server) return ok(this.#server.url);
    const started = await startJsonServer({
      host: this.options.host ?? '127.0.0.1',
      port: this.#port,
      routes: this.#routes(),
      secretOf: (id) => this.options.merchants[id],
      now: this.#now,
      before: () => {
        const fault = this.#failNext.shift();
        if (!fault) return undefined;
        return fault.drop ? 'drop' : errorReply(fault.status, 'SYSTEMERROR', 'sandbox told to fail');
      },
    });
    if (!started.ok) return started;
    this.#server = started.value;
    this.#port = started.value.port;
    return ok(started.value.url);
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await server?.close();
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    await this.stop();
    this.store.close();
  }

  /** The resident scans a native order's QR code and pays (tests and developers). */
  scanAndPay(orderId: string): Result<Trade, string> {
    const trade = this.#trade(orderId);
    if (!trade) return err('no such order');
    if (trade.state !== 'NOTPAY') return err(`order is ${trade.state}`);
    this.#pay(trade);
    return ok(this.#view(this.#trade(orderId) ?? trade));
  }

  trades(): Trade[] {
    return this.store.list('trades', tradeRecord).map(({ value }) => this.#view(this.#settle(value)));
  }

  ledger(): LedgerEntry[] {
    return this.store.list('ledger', ledgerEntry).map((e) => e.value);
  }

  account(utility: string, account: string): z.infer<typeof accountRecord> | undefined {
    return this.store.get('accounts', `${utility}:${account}`, accountRecord);
  }

  #routes(): Route[] {
    const id = '([A-Z0-9]{8,32})';
    return [
      { method: 'POST', pattern: /^\/v1\/bills\/query$/, handle: (r) => this.#bill(r) },
      { method: 'POST', pattern: /^\/v1\/orders\/native$/, handle: (r) => this.#native(r) },
      { method: 'POST', pattern: /^\/v1\/orders\/micropay$/, handle: (r) => this.#micropay(r) },
      { method: 'GET', pattern: new RegExp(`^/v1/orders/${id}$`), handle: (r) => this.#query(r.params[0] ?? '') },
      { method: 'POST', pattern: new RegExp(`^/v1/orders/${id}/close$`), handle: (r) => this.#close(r.params[0] ?? '') },
      { method: 'POST', pattern: new RegExp(`^/v1/orders/${id}/reverse$`), handle: (r) => this.#reverse(r.params[0] ?? '') },
      { method: 'POST', pattern: new RegExp(`^/v1/orders/${id}/refund$`), handle: (r) => this.#refund(r.params[0] ?? '', r) },
      { method: 'POST', pattern: /^\/v1\/utilities\/postings$/, handle: (r) => this.#posting(r) },
      { method: 'GET', pattern: /^\/v1\/statements\/(\d{4}-\d{2}-\d{2})$/, handle: (r) => this.#statement(r.params[0] ?? '') },
    ];
  }

  #trade(orderId: string): TradeRecord | undefined {
    const trade = this.store.get('trades', orderId, tradeRecord);
    return trade ? this.#settle(trade) : undefined;
  }

  /** Applies what time has done to a trade: a wallet confirming, a resident cancelling or scanning. */
  #settle(trade: TradeRecord): TradeRecord {
    const elapsed = this.#now() - trade.createdAt;
    const { script } = trade;
    if (trade.state === 'USERPAYING' && script.kind === 'userPaying' && elapsed >= script.afterMs) return this.#pay(trade);
    if (trade.state === 'USERPAYING' && script.kind === 'userCancels' && elapsed >= script.afterMs) return this.#save({ ...trade, state: 'PAYERROR' });
    if (trade.state === 'NOTPAY' && trade.kind === 'native' && ['success', 'delayedNotification', 'duplicateNotification'].includes(script.kind) && script.afterMs > 0 && elapsed >= script.afterMs && (trade.expiresAt === null || this.#now() < trade.expiresAt)) return this.#pay(trade);
    return trade;
  }

  #save(trade: TradeRecord): TradeRecord {
    this.store.put('trades', trade.orderId, trade);
    return trade;
  }

  /** The charge: once per order, whatever happens around it. */
  #pay(trade: TradeRecord): TradeRecord {
    return this.store.transaction(() => {
      const current = this.store.get('trades', trade.orderId, tradeRecord) ?? trade;
      if (current.state === 'SUCCESS' || current.paidAt !== null) return current;
      const paid = this.#save({ ...current, state: 'SUCCESS', paidAt: this.#now() });
      this.store.put('ledger', randomBytes(8).toString('hex'), { orderId: paid.orderId, kind: 'charge', amountFen: paid.amountFen, at: this.#now() });
      if (paid.kind === 'native') this.#notify(paid);
      return paid;
    });
  }

  #notify(trade: TradeRecord): void {
    if (!trade.notifyUrl) return;
    const { script } = trade;
    const times = script.kind === 'duplicateNotification' ? 2 : 1;
    const delay = script.kind === 'delayedNotification' ? script.notifyDelayMs : 0;
    for (let i = 0; i < times; i += 1) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void this.#sendNotification(trade);
      }, delay + i * 50);
      this.#timers.add(timer);
    }
  }

  async #sendNotification(trade: TradeRecord): Promise<void> {
    const url = trade.notifyUrl;
    const merchant = Object.keys(this.options.merchants)[0];
    const secret = merchant ? this.options.merchants[merchant] : undefined;
    if (!url || !merchant || !secret) return;
    const body: Notification = { notificationId: randomBytes(8).toString('hex'), orderId: trade.orderId, tradeState: 'SUCCESS', amountFen: trade.amountFen, paidAt: trade.paidAt === null ? null : new Date(trade.paidAt).toISOString() };
    const text = JSON.stringify(body);
    const path = new URL(url).pathname;
    this.#sending += 1;
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADERS.app]: merchant, ...sign(secret, 'POST', path, text, this.#now()) }, body: text, signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      this.notificationsSent.push({ orderId: trade.orderId, status: response.status });
    } catch {
      this.notificationsSent.push({ orderId: trade.orderId, status: 'failed' });
    } finally {
      this.#sending -= 1;
    }
  }

  #view(trade: TradeRecord): Trade {
    return { orderId: trade.orderId, tradeNo: trade.tradeNo, tradeState: trade.state, amountFen: trade.amountFen, paidAt: trade.paidAt === null ? null : new Date(trade.paidAt).toISOString(), refundFen: trade.refundFen };
  }

  #bill(request: JsonRequest): JsonReply {
    const query = billQuerySchema.safeParse(request.body);
    if (!query.success) return errorReply(400, 'badQuery', 'utility and account, or a barcode');
    let key: string;
    if ('barcode' in query.data) {
      const barcode = query.data.barcode;
      const utility = UTILITIES.find((u) => LETTER[u] === barcode[0]);
      const match = /^[A-Z](\d{6,16})(\d{6})$/.exec(barcode);
      if (!utility || !match) return errorReply(400, 'badBarcode', 'not a utility bill barcode');
      key = `${utility}:${match[1] ?? ''}`;
      const account = this.store.get('accounts', key, accountRecord);
      if (!account || account.billMonth?.replace('-', '') !== match[2]) return errorReply(404, 'unknownBill', 'no such bill (paid, or not this month)');
    } else key = `${query.data.utility}:${query.data.account}`;
    const account = this.store.get('accounts', key, accountRecord);
    if (!account) return errorReply(404, 'unknownAccount', 'no such account');
    const bill: Bill = { utility: account.utility, account: account.account, holderMasked: account.holder, arrearsFen: account.arrearsFen, balanceFen: account.balanceFen, billMonth: account.billMonth, dueDate: account.dueDate };
    return { status: 200, json: bill };
  }

  /** An order number used again must describe the same order; the first reply is replayed. */
  #existing(orderId: string, digest: string): JsonReply | TradeRecord | undefined {
    const trade = this.#trade(orderId);
    if (!trade) return undefined;
    if (trade.digest !== digest) return errorReply(409, 'ORDERIDREUSED', 'this order number belongs to another order');
    return trade;
  }

  #native(request: JsonRequest): JsonReply {
    const order = nativeOrderSchema.extend({ notifyUrl: z.url().optional() }).safeParse(request.body);
    if (!order.success) return errorReply(400, 'PARAM_ERROR', order.error.issues[0]?.message ?? 'bad order');
    const o = order.data;
    const digest = `native:${o.amountFen}:${o.attach.utility}:${o.attach.account}`;
    const reply = (t: TradeRecord): JsonReply => ({ status: 200, json: { orderId: t.orderId, tradeNo: t.tradeNo, qrContent: `weixin://wxpay/bizpayurl?pr=${t.tradeNo}`, tradeState: t.state } });
    return this.store.transaction(() => {
      const existing = this.#existing(o.orderId, digest);
      if (existing) return 'status' in existing ? existing : reply(existing);
      const trade = this.#save({
        orderId: o.orderId,
        tradeNo: `42${randomBytes(9).toString('hex').toUpperCase()}`,
        kind: 'native',
        amountFen: o.amountFen,
        state: 'NOTPAY',
        wallet: null,
        code: null,
        script: scriptFor(this.#book, 'native', o.amountFen),
        createdAt: this.#now(),
        expiresAt: Date.parse(o.expiresAt),
        paidAt: null,
        refundFen: 0,
        notifyUrl: o.notifyUrl ?? null,
        attach: o.attach,
        digest,
      });
      return reply(trade);
    });
  }

  #micropay(request: JsonRequest): JsonReply | Promise<JsonReply> | 'drop' {
    const order = micropayOrderSchema.safeParse(request.body);
    if (!order.success) return errorReply(400, 'PARAM_ERROR', order.error.issues[0]?.message ?? 'bad order');
    const o = order.data;
    const wallet = walletOf(o.code);
    if (!wallet) return errorReply(400, 'AUTH_CODE_INVALID', 'not a payment code of a known wallet');
    const script = scriptFor(this.#book, 'micropay', o.amountFen, o.code);
    const digest = `micropay:${o.amountFen}:${o.code}:${o.attach.utility}:${o.attach.account}`;
    const existing = this.#existing(o.orderId, digest);
    const reply = (t: TradeRecord): JsonReply => ({ status: 200, json: { orderId: t.orderId, tradeNo: t.tradeNo, tradeState: t.state, wallet } });
    if (existing) return 'status' in existing ? existing : reply(existing);
    // A network failure before the gateway does anything, once per order: the kiosk's re-send gets through.
    if (script.kind === 'networkError' && !this.store.get('dropped', o.orderId, z.boolean())) {
      this.store.put('dropped', o.orderId, true);
      return 'drop';
    }
    if (this.store.get('codes', o.code, z.string())) return errorReply(400, 'AUTH_CODE_USED', 'this payment code was already used: refresh it');
    const base = (state: TradeState): TradeRecord =>
      this.#save({ orderId: o.orderId, tradeNo: `42${randomBytes(9).toString('hex').toUpperCase()}`, kind: 'micropay', amountFen: o.amountFen, state, wallet, code: o.code, script, createdAt: this.#now(), expiresAt: null, paidAt: null, refundFen: 0, notifyUrl: null, attach: o.attach, digest });
    this.store.put('codes', o.code, o.orderId);
    switch (script.kind) {
      case 'insufficientFunds':
        base('PAYERROR');
        return errorReply(402, 'NOTENOUGH', 'the payer does not have enough money');
      case 'userPaying':
      case 'neverConfirms':
      case 'userCancels':
        return reply(base('USERPAYING'));
      case 'timeout': {
        const paid = this.#pay(base('NOTPAY'));
        this.#parked += 1;
        return new Promise((resolve) => {
          const timer = setTimeout(() => {
            this.#timers.delete(timer);
            this.#parked -= 1;
            resolve(reply(paid));
          }, script.afterMs);
          this.#timers.add(timer);
        });
      }
      case 'unknown':
        this.#pay(base('NOTPAY'));
        return errorReply(500, 'SYSTEMERROR', 'system error; query the order');
      default:
        return reply(this.#pay(base('NOTPAY')));
    }
  }

  #query(orderId: string): JsonReply {
    const trade = this.#trade(orderId);
    if (!trade) return errorReply(404, 'ORDERNOTEXIST', 'no such order');
    return { status: 200, json: this.#view(trade) };
  }

  #close(orderId: string): JsonReply {
    return this.store.transaction(() => {
      const trade = this.#trade(orderId);
      if (!trade) {
        // A tombstone: an order closed before it was ever seen cannot be paid later.
        this.#save({ orderId, tradeNo: '', kind: 'native', amountFen: 0, state: 'CLOSED', wallet: null, code: null, script: this.#book.nativeDefault, createdAt: this.#now(), expiresAt: null, paidAt: null, refundFen: 0, notifyUrl: null, attach: { utility: '', account: '' }, digest: 'tombstone' });
        return { status: 200, json: { orderId, tradeState: 'CLOSED' } };
      }
      if (trade.state === 'SUCCESS') return errorReply(409, 'ORDERPAID', 'the order is paid; refund it instead');
      if (trade.state === 'NOTPAY' || trade.state === 'PAYERROR' || trade.state === 'USERPAYING') this.#save({ ...trade, state: 'CLOSED' });
      return { status: 200, json: { orderId, tradeState: this.#trade(orderId)?.state ?? 'CLOSED' } };
    });
  }

  #reverse(orderId: string): JsonReply {
    return this.store.transaction(() => {
      const trade = this.#trade(orderId);
      if (!trade) {
        this.#save({ orderId, tradeNo: '', kind: 'micropay', amountFen: 0, state: 'REVOKED', wallet: null, code: null, script: this.#book.micropayDefault, createdAt: this.#now(), expiresAt: null, paidAt: null, refundFen: 0, notifyUrl: null, attach: { utility: '', account: '' }, digest: 'tombstone' });
        return { status: 200, json: { orderId, tradeState: 'REVOKED', refunded: false } };
      }
      if (trade.state === 'REVOKED') return { status: 200, json: { orderId, tradeState: 'REVOKED', refunded: trade.refundFen > 0 } };
      const refunded = trade.state === 'SUCCESS';
      if (refunded) this.store.put('ledger', randomBytes(8).toString('hex'), { orderId, kind: 'refund', amountFen: trade.amountFen, at: this.#now() });
      this.#save({ ...trade, state: 'REVOKED', refundFen: refunded ? trade.amountFen : 0 });
      return { status: 200, json: { orderId, tradeState: 'REVOKED', refunded } };
    });
  }

  #refund(orderId: string, request: JsonRequest): JsonReply {
    const refund = refundSchema.safeParse(request.body);
    if (!refund.success) return errorReply(400, 'PARAM_ERROR', 'bad refund');
    return this.store.transaction(() => {
      const trade = this.#trade(orderId);
      if (!trade) return errorReply(404, 'ORDERNOTEXIST', 'no such order');
      if (trade.state === 'REFUND') return { status: 200, json: { refundId: refund.data.refundId, orderId, tradeState: 'REFUND' } };
      if (trade.state !== 'SUCCESS') return errorReply(409, 'TRADE_STATE_ERROR', `the order is ${trade.state}`);
      if (refund.data.amountFen !== trade.amountFen) return errorReply(400, 'PARAM_ERROR', 'only whole refunds');
      this.store.put('ledger', randomBytes(8).toString('hex'), { orderId, kind: 'refund', amountFen: trade.amountFen, at: this.#now() });
      this.#save({ ...trade, state: 'REFUND', refundFen: trade.amountFen });
      return { status: 200, json: { refundId: refund.data.refundId, orderId, tradeState: 'REFUND' } };
    });
  }

  #posting(request: JsonRequest): JsonReply {
    const posting = postingSchema.safeParse(request.body);
    if (!posting.success) return errorReply(400, 'PARAM_ERROR', 'bad posting');
    const p = posting.data;
    return this.store.transaction(() => {
      const earlier = this.store.get('postings', p.postingId, z.object({ receipt: z.string() }));
      if (earlier) return { status: 200, json: { postingId: p.postingId, utilityReceipt: earlier.receipt } };
      const trade = this.#trade(p.orderId);
      if (!trade || trade.state !== 'SUCCESS' || trade.amountFen !== p.amountFen) return errorReply(409, 'NOT_PAID', 'no paid order of that amount to post');
      const key = `${p.utility}:${p.account}`;
      const account = this.store.get('accounts', key, accountRecord);
      if (!account) return errorReply(404, 'unknownAccount', 'no such account');
      if (account.closed) return errorReply(422, 'accountClosed', 'the utility closed this account; the payment cannot be posted');
      // Paid money settles arrears first; the rest is prepayment.
      const settled = Math.min(account.arrearsFen, p.amountFen);
      this.store.put('accounts', key, { ...account, arrearsFen: account.arrearsFen - settled, balanceFen: account.balanceFen + p.amountFen - settled });
      const receipt = `${LETTER[p.utility]}R${dateOnly(new Date(this.#now())).replaceAll('-', '')}${randomBytes(4).toString('hex').toUpperCase()}`;
      this.store.put('postings', p.postingId, { receipt });
      return { status: 201, json: { postingId: p.postingId, utilityReceipt: receipt } };
    });
  }

  #statement(date: string): JsonReply {
    // The bill of a day (China time): every order created that day that has a trade.
    const trades = this.store
      .list('trades', tradeRecord)
      .map(({ value }) => this.#settle(value))
      .filter((t) => t.tradeNo !== '' && dateOnly(new Date(t.createdAt)) === date)
      .map((t) => ({ orderId: t.orderId, tradeNo: t.tradeNo, amountFen: t.amountFen, tradeState: t.state, paidAt: t.paidAt === null ? null : new Date(t.paidAt).toISOString(), refundFen: t.refundFen }));
    return { status: 200, json: { date, trades } };
  }
}
