// J4 as a pure machine: the utility, the account (typed or the bill's barcode), the bill, what to
// pay, how (a QR code on screen or the resident's payment code), and the order followed to its end.
// An order whose outcome is unknown is "confirming", never failed; the countdown of a QR code is
// computed from `now`, so the machine runs on any clock.
import type { PAYMENT_STATES, UTILITY_KINDS } from '@protocol';
import { isPaymentCode, MAX_AMOUNT_FEN, isYuanEntry, yuanToFen } from './bills-format';

export type Utility = (typeof UTILITY_KINDS)[number];
export type PaymentState = (typeof PAYMENT_STATES)[number];
export type PayKind = 'arrears' | 'prepayment';
export type Method = 'native' | 'micropay';

export interface Bill {
  readonly utility: Utility;
  readonly account: string;
  readonly holderMasked: string;
  readonly arrearsFen: number;
  readonly balanceFen: number;
  readonly billMonth: string | null;
  readonly dueDate: string | null;
}

export interface Payment {
  readonly bill: Bill;
  readonly kind: PayKind;
  readonly amountFen: number;
}

export interface Order {
  readonly orderId: string;
  readonly receiptNumber: string;
  readonly amountFen: number;
  readonly method: Method;
  readonly qrContent: string | undefined;
  /** ms since the epoch: the QR code's end. */
  readonly expiresAt: number | undefined;
  /** The payment code scanned (micropay): only its wallet matters after creation. */
  readonly code: string | undefined;
}

export type LookupQuery = { readonly utility: Utility; readonly account: string } | { readonly barcode: string };
export type AccountProblem = 'accountFormat' | 'unknownAccount' | 'unknownBill' | 'notABill' | 'gatewayUnavailable';
export type AmountProblem = 'empty' | 'tooLarge' | 'amountInvalid';
export type CodeProblem = 'notACode' | 'codeInvalid';
/** Why nothing was paid (or, for refunded, why it was given back). */
export type NotPaidWhy = 'expired' | 'cancelled' | 'closed' | 'revoked' | 'refused' | 'unavailable' | 'refunded';
export type ReceiptState = 'none' | 'printing' | 'printed' | 'notPrinted';

export type BillsState =
  | { readonly kind: 'pickUtility' }
  | { readonly kind: 'account'; readonly utility: Utility; readonly entry: string; readonly problem: AccountProblem | undefined }
  | { readonly kind: 'lookingUp'; readonly utility: Utility; readonly entry: string; readonly query: LookupQuery }
  | { readonly kind: 'bill'; readonly bill: Bill; readonly entry: string }
  | { readonly kind: 'amount'; readonly bill: Bill; readonly entry: string; readonly amount: string; readonly problem: AmountProblem | undefined }
  | { readonly kind: 'method'; readonly payment: Payment; readonly entry: string }
  | { readonly kind: 'presentCode'; readonly payment: Payment; readonly entry: string; readonly problem: CodeProblem | undefined }
  | { readonly kind: 'creating'; readonly payment: Payment; readonly entry: string; readonly method: Method; readonly code: string | undefined }
  | { readonly kind: 'qr'; readonly payment: Payment; readonly order: Order; readonly secondsLeft: number; readonly uncertain: boolean }
  | { readonly kind: 'cancelling'; readonly payment: Payment; readonly order: Order }
  | { readonly kind: 'userPaying'; readonly payment: Payment; readonly order: Order }
  | { readonly kind: 'confirming'; readonly payment: Payment; readonly order: Order; readonly receipt: ReceiptState }
  | { readonly kind: 'outcomeUnknown'; readonly payment: Payment }
  | { readonly kind: 'paid'; readonly payment: Payment; readonly order: Order; readonly paidAt: number; readonly receipt: ReceiptState }
  | { readonly kind: 'notPaid'; readonly payment: Payment; readonly entry: string; readonly why: NotPaidWhy; readonly receiptNumber: string | undefined };

/** The order as Payment.Create / Payment.Query give it (expiresAt already in ms). */
export interface OrderReport {
  readonly orderId: string;
  readonly receiptNumber: string;
  readonly amountFen: number;
  readonly state: PaymentState;
  readonly confirming: boolean;
  readonly qrContent: string | undefined;
  readonly expiresAt: number | undefined;
}

export type BillsEvent =
  | { readonly type: 'pickUtility'; readonly utility: Utility }
  | { readonly type: 'entry'; readonly entry: string }
  | { readonly type: 'submitAccount' }
  | { readonly type: 'scanned'; readonly text: string }
  | { readonly type: 'billFound'; readonly bill: Bill }
  | { readonly type: 'billFailed'; readonly code: string }
  | { readonly type: 'payArrears' }
  | { readonly type: 'prepay' }
  | { readonly type: 'submitAmount' }
  | { readonly type: 'chooseMethod'; readonly method: Method }
  | { readonly type: 'created'; readonly order: OrderReport }
  | { readonly type: 'createFailed'; readonly code: string; readonly orderId: string | undefined }
  | { readonly type: 'orderUpdate'; readonly orderId: string; readonly state: PaymentState; readonly confirming: boolean }
  | { readonly type: 'tick' }
  | { readonly type: 'cancel' }
  | { readonly type: 'leave' }
  | { readonly type: 'receipt'; readonly status: 'success' | 'confirming'; readonly printed: boolean }
  | { readonly type: 'back' }
  | { readonly type: 'again' };

export const initialBills: BillsState = { kind: 'pickUtility' };

/** Errors of Payment.Create after which nothing was charged: the order was refused or never shown. */
const DEFINITE_CREATE_ERRORS = new Set(['accountFormat', 'amountInvalid', 'codeInvalid', 'paymentRefused', 'gatewayUnavailable', 'storageFull']);

export function secondsLeft(expiresAt: number | undefined, now: number): number {
  return expiresAt === undefined ? 0 : Math.max(0, Math.ceil((expiresAt - now) / 1000));
}

function paymentOf(state: BillsState): Payment | undefined {
  return 'payment' in state ? state.payment : undefined;
}

/** The account as typed, kept for the way back; the bill's own once an order is under way. */
function entryOf(state: BillsState): string {
  return 'entry' in state ? state.entry : (paymentOf(state)?.bill.account ?? '');
}

/** Where an order in a given gateway state puts the resident. */
function follow(payment: Payment, order: Order, state: PaymentState, confirming: boolean, now: number, from: BillsState): BillsState {
  const entry = entryOf(from);
  switch (state) {
    case 'SUCCESS':
      return { kind: 'paid', payment, order, paidAt: now, receipt: 'printing' };
    case 'CLOSED': {
      const why: NotPaidWhy = from.kind === 'cancelling' ? 'cancelled' : order.method === 'native' && secondsLeft(order.expiresAt, now) === 0 ? 'expired' : 'closed';
      return { kind: 'notPaid', payment, entry, why, receiptNumber: order.receiptNumber };
    }
    case 'REVOKED':
      return { kind: 'notPaid', payment, entry, why: from.kind === 'cancelling' ? 'cancelled' : 'revoked', receiptNumber: order.receiptNumber };
    case 'REFUNDED':
      return { kind: 'notPaid', payment, entry, why: 'refunded', receiptNumber: order.receiptNumber };
    case 'CREATED':
    case 'PAYING':
      break;
  }
  if (from.kind === 'cancelling') return from;
  // A resident leaving with a "confirming" receipt keeps that screen until the outcome is final.
  if (from.kind === 'confirming' && from.receipt !== 'none') return from;
  if (order.method === 'native' && order.qrContent !== undefined) {
    const left = secondsLeft(order.expiresAt, now);
    // A QR code that can still be paid stays on screen, even while the kiosk has lost sight of the
    // gateway for a moment; once it has expired, an unsure outcome is "confirming".
    if (left > 0) return from.kind === 'qr' ? { ...from, secondsLeft: left, uncertain: confirming } : { kind: 'qr', payment, order, secondsLeft: left, uncertain: confirming };
    if (from.kind === 'qr' && !confirming) return { ...from, secondsLeft: 0, uncertain: false };
  } else if (order.method === 'micropay' && state === 'PAYING' && !confirming) {
    // The wallet asks the resident to confirm on the phone.
    return from.kind === 'userPaying' ? from : { kind: 'userPaying', payment, order };
  }
  if (from.kind === 'confirming') return from;
  return { kind: 'confirming', payment, order, receipt: 'none' };
}

function orderOf(state: BillsState): Order | undefined {
  return 'order' in state ? state.order : undefined;
}

function created(state: Extract<BillsState, { kind: 'creating' }>, report: OrderReport, now: number): BillsState {
  const order: Order = {
    orderId: report.orderId,
    receiptNumber: report.receiptNumber,
    amountFen: report.amountFen,
    method: state.method,
    qrContent: report.qrContent,
    expiresAt: report.expiresAt,
    code: state.code,
  };
  return follow(state.payment, order, report.state, report.confirming, now, state);
}

function createFailed(state: Extract<BillsState, { kind: 'creating' }>, code: string, orderId: string | undefined): BillsState {
  const { payment, entry } = state;
  if (!DEFINITE_CREATE_ERRORS.has(code)) {
    // The command itself failed (timed out, connection lost): a payment code may have been charged.
    if (state.method === 'native') return { kind: 'notPaid', payment, entry, why: 'unavailable', receiptNumber: undefined };
    if (orderId === undefined) return { kind: 'outcomeUnknown', payment };
    const order: Order = { orderId, receiptNumber: orderId, amountFen: payment.amountFen, method: 'micropay', qrContent: undefined, expiresAt: undefined, code: state.code };
    return { kind: 'confirming', payment, order, receipt: 'none' };
  }
  switch (code) {
    case 'codeInvalid':
      return { kind: 'presentCode', payment, entry, problem: 'codeInvalid' };
    case 'amountInvalid':
      return payment.kind === 'prepayment'
        ? { kind: 'amount', bill: payment.bill, entry, amount: '', problem: 'amountInvalid' }
        : { kind: 'notPaid', payment, entry, why: 'refused', receiptNumber: undefined };
    case 'accountFormat':
      return { kind: 'account', utility: payment.bill.utility, entry, problem: 'accountFormat' };
    case 'paymentRefused':
      return { kind: 'notPaid', payment, entry, why: 'refused', receiptNumber: orderId };
    default:
      return { kind: 'notPaid', payment, entry, why: 'unavailable', receiptNumber: undefined };
  }
}

function billFailed(state: Extract<BillsState, { kind: 'lookingUp' }>, code: string): BillsState {
  const byBarcode = 'barcode' in state.query;
  let problem: AccountProblem;
  if (code === 'unknownAccount') problem = byBarcode ? 'unknownBill' : 'unknownAccount';
  else if (code === 'accountFormat') problem = byBarcode ? 'notABill' : 'accountFormat';
  else problem = 'gatewayUnavailable';
  return { kind: 'account', utility: state.utility, entry: state.entry, problem };
}

function back(state: BillsState): BillsState {
  switch (state.kind) {
    case 'account':
      return { kind: 'pickUtility' };
    case 'bill':
      return { kind: 'account', utility: state.bill.utility, entry: state.entry, problem: undefined };
    case 'amount':
      return { kind: 'bill', bill: state.bill, entry: state.entry };
    case 'method':
    case 'notPaid':
      return state.payment.kind === 'prepayment'
        ? { kind: 'amount', bill: state.payment.bill, entry: state.entry, amount: '', problem: undefined }
        : { kind: 'bill', bill: state.payment.bill, entry: state.entry };
    case 'presentCode':
      return { kind: 'method', payment: state.payment, entry: state.entry };
    default:
      // Nothing to go back to while an order is open or being created.
      return state;
  }
}

export function billsTransition(state: BillsState, event: BillsEvent, now: number): BillsState {
  switch (event.type) {
    case 'pickUtility':
      return state.kind === 'pickUtility' ? { kind: 'account', utility: event.utility, entry: '', problem: undefined } : state;
    case 'entry':
      if (state.kind === 'account') return { ...state, entry: event.entry.toUpperCase().slice(0, 16), problem: undefined };
      if (state.kind === 'amount') return isYuanEntry(event.entry) ? { ...state, amount: event.entry, problem: undefined } : state;
      return state;
    case 'submitAccount':
      if (state.kind !== 'account') return state;
      if (!/^[0-9A-Z]{6,16}$/.test(state.entry)) return { ...state, problem: 'accountFormat' };
      return { kind: 'lookingUp', utility: state.utility, entry: state.entry, query: { utility: state.utility, account: state.entry } };
    case 'scanned': {
      const text = event.text.trim();
      if (state.kind === 'account') {
        const barcode = text.toUpperCase();
        return /^[0-9A-Z]{10,40}$/.test(barcode) ? { kind: 'lookingUp', utility: state.utility, entry: state.entry, query: { barcode } } : { ...state, problem: 'notABill' };
      }
      if (state.kind === 'presentCode') {
        return isPaymentCode(text) ? { kind: 'creating', payment: state.payment, entry: state.entry, method: 'micropay', code: text } : { ...state, problem: 'notACode' };
      }
      return state;
    }
    case 'billFound':
      // A barcode names the bill's own utility, whichever was picked.
      return state.kind === 'lookingUp' ? { kind: 'bill', bill: event.bill, entry: 'account' in state.query ? state.entry : event.bill.account } : state;
    case 'billFailed':
      return state.kind === 'lookingUp' ? billFailed(state, event.code) : state;
    case 'payArrears':
      if (state.kind !== 'bill' || state.bill.arrearsFen <= 0) return state;
      return { kind: 'method', payment: { bill: state.bill, kind: 'arrears', amountFen: state.bill.arrearsFen }, entry: state.entry };
    case 'prepay':
      return state.kind === 'bill' ? { kind: 'amount', bill: state.bill, entry: state.entry, amount: '', problem: undefined } : state;
    case 'submitAmount': {
      if (state.kind !== 'amount') return state;
      const fen = yuanToFen(state.amount);
      if (fen === undefined || fen < 1) return { ...state, problem: 'empty' };
      if (fen > MAX_AMOUNT_FEN) return { ...state, problem: 'tooLarge' };
      return { kind: 'method', payment: { bill: state.bill, kind: 'prepayment', amountFen: fen }, entry: state.entry };
    }
    case 'chooseMethod':
      if (state.kind !== 'method') return state;
      return event.method === 'native'
        ? { kind: 'creating', payment: state.payment, entry: state.entry, method: 'native', code: undefined }
        : { kind: 'presentCode', payment: state.payment, entry: state.entry, problem: undefined };
    case 'created':
      return state.kind === 'creating' ? created(state, event.order, now) : state;
    case 'createFailed':
      return state.kind === 'creating' ? createFailed(state, event.code, event.orderId) : state;
    case 'orderUpdate': {
      const order = orderOf(state);
      const payment = paymentOf(state);
      if (!order || !payment || order.orderId !== event.orderId) return state;
      if (state.kind === 'paid') {
        // Paid stays paid; only a refund after the utility refused the posting changes it.
        return event.state === 'REFUNDED' ? { kind: 'notPaid', payment, entry: payment.bill.account, why: 'refunded', receiptNumber: order.receiptNumber } : state;
      }
      return follow(payment, order, event.state, event.confirming, now, state);
    }
    case 'tick': {
      if (state.kind !== 'qr') return state;
      const left = secondsLeft(state.order.expiresAt, now);
      if (left === state.secondsLeft) return state;
      // Expired while unsure of the gateway: the outcome is being confirmed, not failed.
      if (left === 0 && state.uncertain) return { kind: 'confirming', payment: state.payment, order: state.order, receipt: 'none' };
      return { ...state, secondsLeft: left };
    }
    case 'cancel':
      if (state.kind === 'qr') return { kind: 'cancelling', payment: state.payment, order: state.order };
      if (state.kind === 'presentCode') return { kind: 'method', payment: state.payment, entry: state.entry };
      return state;
    case 'leave':
      return state.kind === 'confirming' && state.receipt === 'none' ? { ...state, receipt: 'printing' } : state;
    case 'receipt':
      // Matched by status: a "confirming" receipt finishing after the order was paid is not the paid one.
      if (state.kind === 'paid' && event.status === 'success' && state.receipt === 'printing') return { ...state, receipt: event.printed ? 'printed' : 'notPrinted' };
      if (state.kind === 'confirming' && event.status === 'confirming' && state.receipt === 'printing') return { ...state, receipt: event.printed ? 'printed' : 'notPrinted' };
      return state;
    case 'back':
      return back(state);
    case 'again':
      return state.kind === 'notPaid' && state.why !== 'refunded' ? { kind: 'method', payment: state.payment, entry: state.entry } : state;
  }
}

/** The order the screens must follow (events and queries) in this state, if any: paid too, where only a refund can still change it. */
export function followedOrder(state: BillsState): Order | undefined {
  return state.kind === 'qr' || state.kind === 'cancelling' || state.kind === 'userPaying' || state.kind === 'confirming' || state.kind === 'paid' ? state.order : undefined;
}
