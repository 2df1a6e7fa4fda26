// Payments against the sandbox gateway over real HTTP, one test per scripted outcome, on fake time:
// the kiosk's polls, deadlines and timeouts and the sandbox's wallets all run on the same fake
// clock, so an outcome never depends on how fast the machine is.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sign, SIGNATURE_HEADERS } from '../http/signature';
import { countRequests, GATEWAY_SECRET, startKioskBackends, startSandboxes, untilWithFakeTime, type Harness } from '../../testing/backends-harness';
import type { OrderState } from './payment-store';

let h: Harness;
let requests: ReturnType<typeof countRequests>;
const WECHAT = (n: number): string => `13${String(4_567_890_123_456_000 + n).padStart(16, '0')}`;
let codes = 0;
const code = (): string => WECHAT(++codes);

beforeEach(async () => {
  vi.useFakeTimers({ now: Date.parse('2026-11-22T02:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  requests = countRequests();
  const sandboxes = await startSandboxes();
  h = await startKioskBackends(sandboxes, { payments: { micropayTimeoutMs: 30_000, nativeExpiryMs: 60_000, pollIntervalMs: 3_000, timeoutMs: 5_000 } });
});

afterEach(async () => {
  await h.close();
  requests.restore();
  vi.useRealTimers();
});

/** Advances fake time while nothing is on the wire, until the condition holds. */
function until(condition: () => boolean, stepMs = 250, maxMs = 180_000): Promise<void> {
  const quiet = (): boolean => requests.inFlight() - h.gateway.parked <= 0 && !h.gateway.busy && !h.platform.busy;
  return untilWithFakeTime(condition, quiet, async (ms) => void (await vi.advanceTimersByTimeAsync(ms)), stepMs, maxMs);
}

const state = (orderId: string): OrderState | undefined => h.backends.payments.view(orderId)?.state;
const charges = (orderId: string): { charged: number; refunded: number } => {
  const entries = h.gateway.ledger().filter((e) => e.orderId === orderId);
  return { charged: entries.filter((e) => e.kind === 'charge').length, refunded: entries.filter((e) => e.kind === 'refund').length };
};

async function micropay(amountFen: number, payCode = code()): Promise<{ orderId: string; created: Awaited<ReturnType<Harness['backends']['payments']['create']>> }> {
  const created = await settle(h.backends.payments.create({ utility: 'electricity', account: '3301060012', amountFen, method: 'micropay', code: payCode }, new AbortController().signal));
  const orderId = created.ok ? created.value.orderId : (created.error.orderId ?? '');
  return { orderId, created };
}

async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  let value: T | undefined;
  void promise.then((v) => {
    done = true;
    value = v;
  });
  await until(() => done, 100);
  return value as T;
}

describe('micropay (the resident shows a payment code)', () => {
  it('is paid at once, posted to the utility, and its transitions are recorded', async () => {
    const { orderId, created } = await micropay(21_375);
    expect(created).toMatchObject({ ok: true, value: { state: 'SUCCESS', confirming: false, receiptNumber: orderId } });
    await until(() => h.backends.payments.view(orderId)?.posting === 'posted');
    expect(h.backends.paymentStore.transitions(orderId).map((t) => `${t.from ?? '-'}>${t.to}`)).toEqual(['->CREATED', 'CREATED>SUCCESS']);
    expect(charges(orderId)).toEqual({ charged: 1, refunded: 0 });
    expect(h.gateway.account('electricity', '3301060012')).toMatchObject({ arrearsFen: 0 });
  });

  it('waits while the resident confirms in the wallet, querying until paid', async () => {
    h.gateway.script({ amountFen: 1_101 }, { kind: 'userPaying', afterMs: 7_000 });
    const { orderId, created } = await micropay(1_101);
    expect(created).toMatchObject({ ok: true, value: { state: 'PAYING', confirming: false } });
    await until(() => state(orderId) === 'SUCCESS');
    expect(charges(orderId)).toEqual({ charged: 1, refunded: 0 });
  });

  it('reverses an order never confirmed within 30 s: nothing charged', async () => {
    h.gateway.script({ amountFen: 1_102 }, { kind: 'neverConfirms' });
    const start = Date.now();
    const { orderId } = await micropay(1_102);
    await until(() => state(orderId) === 'REVOKED');
    expect(Date.now() - start).toBeGreaterThanOrEqual(30_000);
    expect(h.gateway.trades().find((t) => t.orderId === orderId)?.tradeState).toBe('REVOKED');
    expect(charges(orderId)).toEqual({ charged: 0, refunded: 0 });
  });

  it('reverses at once when the resident cancels in the wallet', async () => {
    h.gateway.script({ amountFen: 1_103 }, { kind: 'userCancels', afterMs: 4_000 });
    const start = Date.now();
    const { orderId } = await micropay(1_103);
    await until(() => state(orderId) === 'REVOKED');
    expect(Date.now() - start).toBeLessThan(30_000);
  });

  it('closes an order the wallet refuses, and says why', async () => {
    h.gateway.script({ amountFen: 1_104 }, { kind: 'insufficientFunds' });
    const { orderId, created } = await micropay(1_104);
    expect(created).toMatchObject({ ok: false, error: { code: 'paymentRefused', orderId } });
    expect(state(orderId)).toBe('CLOSED');
  });

  it('shows "confirming" when the gateway times out after charging, then finds it paid', async () => {
    h.gateway.script({ amountFen: 1_105 }, { kind: 'timeout', afterMs: 20_000 });
    const { orderId, created } = await micropay(1_105);
    expect(created).toMatchObject({ ok: true, value: { state: 'PAYING', confirming: true } });
    await until(() => state(orderId) === 'SUCCESS');
    expect(charges(orderId)).toEqual({ charged: 1, refunded: 0 });
  });

  it('shows "confirming" when the gateway answers SYSTEMERROR, then finds it paid', async () => {
    h.gateway.script({ amountFen: 1_106 }, { kind: 'unknown' });
    const { orderId, created } = await micropay(1_106);
    expect(created).toMatchObject({ ok: true, value: { confirming: true } });
    await until(() => state(orderId) === 'SUCCESS');
    expect(charges(orderId)).toEqual({ charged: 1, refunded: 0 });
  });

  it('sends again, under the same order number, a payment lost to a network error: charged once', async () => {
    h.gateway.script({ amountFen: 1_107 }, { kind: 'networkError' });
    const { orderId, created } = await micropay(1_107);
    expect(created).toMatchObject({ ok: true, value: { confirming: true } });
    await until(() => state(orderId) === 'SUCCESS');
    expect(charges(orderId)).toEqual({ charged: 1, refunded: 0 });
  });

  it('refuses a code of no known wallet and a used code, before or at the gateway', async () => {
    const bad = await settle(h.backends.payments.create({ utility: 'water', account: '33010601', amountFen: 500, method: 'micropay', code: '9912345678901234' }, new AbortController().signal));
    expect(bad).toMatchObject({ ok: false, error: { code: 'codeInvalid' } });
    const used = code();
    await micropay(600, used);
    const again = await micropay(601, used);
    expect(again.created).toMatchObject({ ok: false, error: { code: 'codeInvalid' } });
    expect(state(again.orderId)).toBe('CLOSED');
  });
});

describe('native (a QR code on the screen)', () => {
  async function native(amountFen: number): Promise<string> {
    const created = await settle(h.backends.payments.create({ utility: 'water', account: '33010601', amountFen, method: 'native' }, new AbortController().signal));
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value).toMatchObject({ state: 'PAYING', qrContent: expect.stringMatching(/^weixin:\/\//) });
    return created.value.orderId;
  }

  it('is paid when the resident scans it; the notification is only a hint, and a duplicate changes nothing', async () => {
    h.gateway.script({ amountFen: 2_201 }, { kind: 'duplicateNotification', afterMs: 5_000 });
    const orderId = await native(2_201);
    await until(() => state(orderId) === 'SUCCESS' && h.gateway.notificationsSent.filter((n) => n.orderId === orderId).length === 2);
    expect(h.gateway.notificationsSent.filter((n) => n.orderId === orderId).map((n) => n.status)).toEqual([200, 200]);
    expect(h.backends.paymentStore.transitions(orderId).map((t) => t.to)).toEqual(['CREATED', 'PAYING', 'SUCCESS']);
    expect(charges(orderId)).toEqual({ charged: 1, refunded: 0 });
  });

  it('finds a payment whose notification comes late by querying', async () => {
    h.gateway.script({ amountFen: 2_202 }, { kind: 'delayedNotification', afterMs: 4_000, notifyDelayMs: 120_000 });
    const orderId = await native(2_202);
    await until(() => state(orderId) === 'SUCCESS');
    expect(h.gateway.notificationsSent.filter((n) => n.orderId === orderId)).toEqual([]);
  });

  it('closes an unpaid QR code at its expiry, and the resident can close it sooner', async () => {
    const orderId = await native(2_203);
    const start = Date.now();
    await until(() => state(orderId) === 'CLOSED');
    expect(Date.now() - start).toBeGreaterThanOrEqual(60_000);
    const other = await native(2_204);
    h.backends.payments.cancel(other);
    await until(() => state(other) === 'CLOSED', 100, 5_000);
    expect(h.gateway.scanAndPay(other)).toEqual({ ok: false, error: 'order is CLOSED' });
  });

  it('forgets an order once it is final: the loop holds nothing for orders paid, closed or found by a query', async () => {
    h.gateway.script({ amountFen: 2_211 }, { kind: 'delayedNotification', afterMs: 4_000, notifyDelayMs: 120_000 });
    const queried = await native(2_211);
    const scanned = await native(2_212);
    const expired = await native(2_213);
    expect(h.backends.payments.tracked.next).toBeGreaterThan(0);
    expect(h.gateway.scanAndPay(scanned).ok).toBe(true);
    await until(() => state(queried) === 'SUCCESS' && state(scanned) === 'SUCCESS' && state(expired) === 'CLOSED');
    await micropay(2_214);
    expect(h.backends.payments.tracked).toEqual({ next: 0, codes: 0 });
  });

  it('books a payment made just before the close as paid', async () => {
    const orderId = await native(2_205);
    await until(() => Date.now() > Date.parse('2026-11-22T02:00:58Z'));
    expect(h.gateway.scanAndPay(orderId).ok).toBe(true);
    await until(() => state(orderId) === 'SUCCESS');
  });
});

describe('after the payment', () => {
  it('refunds a payment the utility refuses to post', async () => {
    const created = await settle(h.backends.payments.create({ utility: 'electricity', account: '3301060099', amountFen: 3_000, method: 'micropay', code: code() }, new AbortController().signal));
    if (!created.ok) throw new Error(created.error.message);
    await until(() => state(created.value.orderId) === 'REFUNDED');
    expect(h.backends.payments.view(created.value.orderId)).toMatchObject({ state: 'REFUNDED', posting: 'rejected' });
    expect(charges(created.value.orderId)).toEqual({ charged: 1, refunded: 1 });
  });

  it('refuses a notification with a bad signature and changes nothing', async () => {
    const orderId = (await micropay(700)).orderId;
    const body = JSON.stringify({ notificationId: 'n1', orderId, tradeState: 'REFUND', amountFen: 700, paidAt: null });
    const forged = await fetch(`${h.notifyUrl}/v1/payments/notify`, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADERS.app]: 'merchant-test', ...sign('not-the-gateway-secret', 'POST', '/v1/payments/notify', body) }, body });
    expect(forged.status).toBe(401);
    const genuine = await fetch(`${h.notifyUrl}/v1/payments/notify`, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADERS.app]: 'merchant-test', ...sign(GATEWAY_SECRET, 'POST', '/v1/payments/notify', body) }, body });
    // Genuine, but only a hint: the order is queried, and the gateway says it is paid, not refunded.
    expect(genuine.status).toBe(200);
    await until(() => true);
    expect(state(orderId)).toBe('SUCCESS');
  });

  it('drives every order left open by a crash to a final state on restart', async () => {
    h.gateway.script({ amountFen: 1_108 }, { kind: 'neverConfirms' });
    h.gateway.script({ amountFen: 1_109 }, { kind: 'userPaying', afterMs: 40_000 });
    const never = (await micropay(1_108)).orderId;
    const slow = (await micropay(1_109)).orderId;
    await h.stopKiosk();
    const restarted = await startKioskBackends({ gateway: h.gateway, platform: h.platform }, { dataDir: h.dataDir, payments: { micropayTimeoutMs: 30_000, pollIntervalMs: 3_000, timeoutMs: 5_000 } });
    h = restarted;
    await until(() => state(never) === 'REVOKED' && (state(slow) === 'REVOKED' || state(slow) === 'SUCCESS'));
    // The slow wallet confirms at 40 s, after the 30 s deadline: the kiosk reversed it first, and the charge, if any, was refunded.
    expect(state(slow)).toBe('REVOKED');
    expect(charges(never)).toEqual({ charged: 0, refunded: 0 });
    const slowLedger = charges(slow);
    expect(slowLedger.charged - slowLedger.refunded).toBe(0);
  });

  it('reconciles a day: every order matches the gateway statement', async () => {
    await micropay(800);
    h.gateway.script({ amountFen: 1_110 }, { kind: 'insufficientFunds' });
    await micropay(1_110);
    const report = await settle(
      (async () => {
        const { reconcileDay } = await import('./reconciliation');
        return reconcileDay('2026-11-22', h.backends.paymentStore, h.backends.gateway, new AbortController().signal);
      })(),
    );
    expect(report).toMatchObject({ ok: true, value: { date: '2026-11-22', long: [], short: [], mismatched: [], open: [], local: { paidFen: 800 }, gateway: { paidFen: 800 } } });
  });
});
