import { describe, expect, it } from 'vitest';
import { billMonthText, chinaIso, clockText, formatYuan, shouldSpeakCountdown, walletOfCode, walletOfQr, yuanToFen } from './bills-format';
import { billsTransition, followedOrder, initialBills, type Bill, type BillsEvent, type BillsState, type OrderReport } from './bills-machine';

const bill: Bill = { utility: 'water', account: '33010603', holderMasked: '李*', arrearsFen: 12_840, balanceFen: 0, billMonth: '2026-10', dueDate: '2026-11-25' };
const T0 = 1_800_000_000_000;

function run(events: BillsEvent[], from: BillsState = initialBills, now = T0): BillsState {
  return events.reduce((state, event) => billsTransition(state, event, now), from);
}

const toMethod: BillsEvent[] = [{ type: 'pickUtility', utility: 'water' }, { type: 'entry', entry: '33010603' }, { type: 'submitAccount' }, { type: 'billFound', bill }, { type: 'payArrears' }];

function native(expiresInMs = 120_000): OrderReport {
  return { orderId: 'HZXH0042261122000001', receiptNumber: 'HZXH0042261122000001', amountFen: 12_840, state: 'PAYING', confirming: false, qrContent: 'weixin://wxpay/bizpayurl?pr=42AB', expiresAt: T0 + expiresInMs };
}
const micropay: OrderReport = { ...native(), orderId: 'HZXH0042261122000002', receiptNumber: 'HZXH0042261122000002', qrContent: undefined, expiresAt: undefined };

function qrState(expiresInMs = 120_000): BillsState {
  return run([...toMethod, { type: 'chooseMethod', method: 'native' }, { type: 'created', order: native(expiresInMs) }]);
}

describe('J4 bills machine: finding the bill', () => {
  it('looks the account up as typed, shows the bill, and pays the arrears exactly', () => {
    const looking = run(toMethod.slice(0, 3));
    expect(looking).toMatchObject({ kind: 'lookingUp', query: { utility: 'water', account: '33010603' } });
    expect(run(toMethod)).toMatchObject({ kind: 'method', payment: { kind: 'arrears', amountFen: 12_840, bill } });
  });

  it('refuses a short account on the keypad and says why a lookup found nothing', () => {
    expect(run([{ type: 'pickUtility', utility: 'gas' }, { type: 'entry', entry: '123' }, { type: 'submitAccount' }])).toMatchObject({ kind: 'account', problem: 'accountFormat' });
    const looking = run(toMethod.slice(0, 3));
    expect(billsTransition(looking, { type: 'billFailed', code: 'unknownAccount' }, T0)).toMatchObject({ kind: 'account', entry: '33010603', problem: 'unknownAccount' });
    expect(billsTransition(looking, { type: 'billFailed', code: 'gatewayUnavailable' }, T0)).toMatchObject({ kind: 'account', problem: 'gatewayUnavailable' });
  });

  it('takes a scanned bill barcode, and the bill it names, whichever utility was picked', () => {
    const account = run([{ type: 'pickUtility', utility: 'electricity' }]);
    const looking = billsTransition(account, { type: 'scanned', text: 'w33010603202610\n' }, T0);
    expect(looking).toMatchObject({ kind: 'lookingUp', query: { barcode: 'W33010603202610' } });
    expect(billsTransition(looking, { type: 'billFound', bill }, T0)).toMatchObject({ kind: 'bill', bill: { utility: 'water' }, entry: '33010603' });
    expect(billsTransition(looking, { type: 'billFailed', code: 'unknownAccount' }, T0)).toMatchObject({ problem: 'unknownBill' });
    expect(billsTransition(looking, { type: 'billFailed', code: 'accountFormat' }, T0)).toMatchObject({ problem: 'notABill' });
    expect(billsTransition(account, { type: 'scanned', text: 'https://example.cn/x' }, T0)).toMatchObject({ kind: 'account', problem: 'notABill' });
  });

  it('prepays an amount typed in yuan as integer fen, within the limit', () => {
    const amount = run([...toMethod.slice(0, 4), { type: 'prepay' }]);
    expect(amount.kind).toBe('amount');
    const typed = run([{ type: 'entry', entry: '100.5' }, { type: 'entry', entry: '100.555' }], amount);
    expect(typed).toMatchObject({ amount: '100.5' });
    expect(run([{ type: 'submitAmount' }], typed)).toMatchObject({ kind: 'method', payment: { kind: 'prepayment', amountFen: 10_050 } });
    expect(run([{ type: 'entry', entry: '0.0' }, { type: 'submitAmount' }], amount)).toMatchObject({ kind: 'amount', problem: 'empty' });
    expect(run([{ type: 'entry', entry: '50000.01' }, { type: 'submitAmount' }], amount)).toMatchObject({ kind: 'amount', problem: 'tooLarge' });
  });

  it('goes back one decision at a time', () => {
    const method = run(toMethod);
    expect(billsTransition(method, { type: 'back' }, T0)).toMatchObject({ kind: 'bill' });
    expect(run([{ type: 'back' }, { type: 'back' }], method)).toMatchObject({ kind: 'account', entry: '33010603' });
    expect(run([{ type: 'back' }, { type: 'back' }, { type: 'back' }], method)).toEqual({ kind: 'pickUtility' });
  });
});

describe('J4 bills machine: a QR code on screen', () => {
  it('counts down from expiresAt on the injected clock, then waits for the daemon to close it', () => {
    const qr = qrState(6_000);
    expect(qr).toMatchObject({ kind: 'qr', secondsLeft: 6, uncertain: false });
    expect(followedOrder(qr)?.orderId).toBe('HZXH0042261122000001');
    expect(billsTransition(qr, { type: 'tick' }, T0 + 2_500)).toMatchObject({ secondsLeft: 4 });
    const expired = billsTransition(qr, { type: 'tick' }, T0 + 6_000);
    expect(expired).toMatchObject({ kind: 'qr', secondsLeft: 0 });
    expect(billsTransition(expired, { type: 'orderUpdate', orderId: 'HZXH0042261122000001', state: 'CLOSED', confirming: false }, T0 + 6_500)).toMatchObject({ kind: 'notPaid', why: 'expired' });
  });

  it('is paid when the resident scans, and ignores another order\'s events', () => {
    const qr = qrState();
    expect(billsTransition(qr, { type: 'orderUpdate', orderId: 'OTHER000001', state: 'SUCCESS', confirming: false }, T0)).toBe(qr);
    expect(billsTransition(qr, { type: 'orderUpdate', orderId: 'HZXH0042261122000001', state: 'SUCCESS', confirming: false }, T0 + 9_000)).toMatchObject({ kind: 'paid', paidAt: T0 + 9_000, receipt: 'printing' });
  });

  it('cancels to "nothing charged", unless the payment landed first', () => {
    const cancelling = billsTransition(qrState(), { type: 'cancel' }, T0);
    expect(cancelling.kind).toBe('cancelling');
    expect(billsTransition(cancelling, { type: 'orderUpdate', orderId: 'HZXH0042261122000001', state: 'PAYING', confirming: false }, T0)).toBe(cancelling);
    expect(billsTransition(cancelling, { type: 'orderUpdate', orderId: 'HZXH0042261122000001', state: 'CLOSED', confirming: false }, T0)).toMatchObject({ kind: 'notPaid', why: 'cancelled', receiptNumber: 'HZXH0042261122000001' });
    expect(billsTransition(cancelling, { type: 'orderUpdate', orderId: 'HZXH0042261122000001', state: 'SUCCESS', confirming: false }, T0)).toMatchObject({ kind: 'paid' });
  });

  it('keeps a payable QR code through a moment of doubt, and is confirming if it expires unsure', () => {
    const unsure = billsTransition(qrState(6_000), { type: 'orderUpdate', orderId: 'HZXH0042261122000001', state: 'PAYING', confirming: true }, T0 + 1_000);
    expect(unsure).toMatchObject({ kind: 'qr', uncertain: true, secondsLeft: 5 });
    expect(billsTransition(unsure, { type: 'tick' }, T0 + 6_000)).toMatchObject({ kind: 'confirming', receipt: 'none' });
  });

  it('says nothing was charged when the order could not even be created', () => {
    const creating = run([...toMethod, { type: 'chooseMethod', method: 'native' }]);
    expect(billsTransition(creating, { type: 'createFailed', code: 'gatewayUnavailable', orderId: 'X' }, T0)).toMatchObject({ kind: 'notPaid', why: 'unavailable' });
    expect(billsTransition(creating, { type: 'createFailed', code: 'timeOut', orderId: undefined }, T0)).toMatchObject({ kind: 'notPaid', why: 'unavailable' });
  });
});

describe('J4 bills machine: a payment code', () => {
  const present = run([...toMethod, { type: 'chooseMethod', method: 'micropay' }]);

  it('takes a scanned payment code, and asks again for anything else', () => {
    expect(present).toMatchObject({ kind: 'presentCode' });
    expect(billsTransition(present, { type: 'scanned', text: 'hello' }, T0)).toMatchObject({ kind: 'presentCode', problem: 'notACode' });
    expect(billsTransition(present, { type: 'scanned', text: '134567890123450002' }, T0)).toMatchObject({ kind: 'creating', method: 'micropay', code: '134567890123450002' });
  });

  const creating = billsTransition(present, { type: 'scanned', text: '134567890123450002' }, T0);

  it('is paid at once, or waits for the resident to confirm on the phone', () => {
    expect(billsTransition(creating, { type: 'created', order: { ...micropay, state: 'SUCCESS' } }, T0)).toMatchObject({ kind: 'paid', order: { method: 'micropay', code: '134567890123450002' } });
    const waiting = billsTransition(creating, { type: 'created', order: micropay }, T0);
    expect(waiting.kind).toBe('userPaying');
    expect(billsTransition(waiting, { type: 'orderUpdate', orderId: micropay.orderId, state: 'REVOKED', confirming: false }, T0)).toMatchObject({ kind: 'notPaid', why: 'revoked' });
  });

  it('shows "confirming" with the receipt number when the outcome is unknown, and success when it is known', () => {
    const confirming = billsTransition(creating, { type: 'created', order: { ...micropay, confirming: true } }, T0);
    expect(confirming).toMatchObject({ kind: 'confirming', order: { receiptNumber: micropay.receiptNumber }, receipt: 'none' });
    // Still unsure: still confirming, never failed.
    expect(billsTransition(confirming, { type: 'orderUpdate', orderId: micropay.orderId, state: 'PAYING', confirming: true }, T0)).toBe(confirming);
    expect(billsTransition(confirming, { type: 'orderUpdate', orderId: micropay.orderId, state: 'SUCCESS', confirming: false }, T0)).toMatchObject({ kind: 'paid' });
  });

  it('lets the resident leave with a "confirming" receipt, and still turns paid afterwards', () => {
    const confirming = billsTransition(creating, { type: 'created', order: { ...micropay, confirming: true } }, T0);
    const printing = billsTransition(confirming, { type: 'leave' }, T0);
    expect(printing).toMatchObject({ kind: 'confirming', receipt: 'printing' });
    expect(billsTransition(printing, { type: 'receipt', status: 'confirming', printed: false }, T0)).toMatchObject({ receipt: 'notPrinted' });
    const paid = billsTransition(printing, { type: 'orderUpdate', orderId: micropay.orderId, state: 'SUCCESS', confirming: false }, T0);
    expect(paid).toMatchObject({ kind: 'paid', receipt: 'printing' });
    // The confirming receipt finishing late does not count as the paid one.
    expect(billsTransition(paid, { type: 'receipt', status: 'confirming', printed: true }, T0)).toBe(paid);
    expect(billsTransition(paid, { type: 'receipt', status: 'success', printed: false }, T0)).toMatchObject({ receipt: 'notPrinted' });
  });

  it('follows the order when the command itself failed after the order was stored, and says "unknown" without a number', () => {
    expect(billsTransition(creating, { type: 'createFailed', code: 'timeOut', orderId: micropay.orderId }, T0)).toMatchObject({ kind: 'confirming', order: { orderId: micropay.orderId } });
    expect(billsTransition(creating, { type: 'createFailed', code: 'canceled', orderId: undefined }, T0)).toMatchObject({ kind: 'outcomeUnknown' });
    expect(billsTransition(creating, { type: 'createFailed', code: 'codeInvalid', orderId: undefined }, T0)).toMatchObject({ kind: 'presentCode', problem: 'codeInvalid' });
    expect(billsTransition(creating, { type: 'createFailed', code: 'paymentRefused', orderId: 'X1' }, T0)).toMatchObject({ kind: 'notPaid', why: 'refused' });
    // The terminal could not record the order, so it never went to the gateway: not paid, not "unknown".
    expect(billsTransition(creating, { type: 'createFailed', code: 'storageFull', orderId: undefined }, T0)).toMatchObject({ kind: 'notPaid', why: 'unavailable' });
    // A storage fault after the order left (the session's code, not the payment's): still "unknown".
    expect(billsTransition(creating, { type: 'createFailed', code: 'storageFault', orderId: undefined }, T0)).toMatchObject({ kind: 'outcomeUnknown' });
  });

  it('keeps paid once paid, unless the utility refused the posting and it was refunded', () => {
    const paid = billsTransition(creating, { type: 'created', order: { ...micropay, state: 'SUCCESS' } }, T0);
    expect(billsTransition(paid, { type: 'orderUpdate', orderId: micropay.orderId, state: 'PAYING', confirming: true }, T0)).toBe(paid);
    expect(billsTransition(paid, { type: 'orderUpdate', orderId: micropay.orderId, state: 'REFUNDED', confirming: false }, T0)).toMatchObject({ kind: 'notPaid', why: 'refunded' });
  });
});

describe('J4 money and countdown', () => {
  it('converts yuan typed as text to fen without floating point', () => {
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('19.99')).toBe(1_999);
    expect(yuanToFen('100.')).toBe(10_000);
    expect(yuanToFen('')).toBeUndefined();
    expect(yuanToFen('1.234')).toBeUndefined();
    expect(formatYuan(12_840)).toBe('128.40');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(-250)).toBe('-2.50');
  });

  it('names the wallet, the bill month and China time for the receipt', () => {
    expect(walletOfCode('134567890123450002')).toBe('wechat');
    expect(walletOfCode('284567890123456789')).toBe('alipay');
    expect(walletOfCode('6212345678901234567')).toBe('unionpay');
    expect(walletOfCode('999')).toBeUndefined();
    expect(walletOfQr('weixin://wxpay/bizpayurl?pr=1')).toBe('wechat');
    expect(billMonthText('2026-10')).toEqual({ zh: '2026年10月', en: 'October 2026' });
    expect(chinaIso(Date.parse('2026-11-22T01:30:15Z'))).toBe('2026-11-22T09:30:15+08:00');
  });

  it('shows the countdown as m:ss and speaks it at each minute, at 30 and at 10 seconds', () => {
    expect(clockText(125)).toBe('2:05');
    expect([180, 120, 61, 60, 45, 30, 11, 10, 5, 0].filter(shouldSpeakCountdown)).toEqual([180, 120, 60, 30, 10]);
  });
});
