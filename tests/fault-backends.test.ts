// Fault matrix, backends: the government platform and the payment gateway unreachable (port
// closed), slow past the daemon's timeout, slow within it, and answering 500 for a while. The daemon
// runs as a child process; a fault proxy (tests/support/fault-proxy.ts) sits between it and each
// sandbox in this process. For each fault: what the resident's WebSocket completion says, what the
// operator's /metrics, /v1/outbox and /v1/status show, and that after recovery every submission and
// rating reached the platform exactly once and every payment order is final with the gateway's
// ledger agreeing (no double charge, no charge the kiosk does not know).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_SECRET, PLATFORM_SECRET } from '../device-daemon/src/testing/backends-harness';
import type { CompletionMessage } from '../device-daemon/src/protocol';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy';
import { commandErrors, deviceReport, metricValue, scrape, unsolicitedAfter } from './support/fault-probes';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';

/** The daemon gives up on a backend call after this; "slow" faults answer after SLOW_MS. */
const TIMEOUT_MS = 1_500;
const SLOW_MS = 4_000;
const SLOW_WITHIN_MS = 300;

let sandboxes: Sandboxes;
let platformProxy: FaultProxy;
let gatewayProxy: FaultProxy;
let daemon: DaemonProcess;
let client: WsTestClient;
let readId: string;
let certificateId: string;
/** Everything the resident was given a number for, checked against both backends at the end. */
const trackingNumbers: string[] = [];
const ratingIds: string[] = [];
const orderIds: string[] = [];

beforeAll(async () => {
  sandboxes = await startSandboxes();
  platformProxy = await startFaultProxy(sandboxes.platform.url, { secret: PLATFORM_SECRET });
  gatewayProxy = await startFaultProxy(sandboxes.gateway.url, { secret: GATEWAY_SECRET });
  // Long micropay deadline: an order in doubt ends by the gateway's answer once it is back, not by the clock.
  const site = siteFor(sandboxes, {
    lean: true,
    platform: { url: platformProxy.url, timeoutMs: TIMEOUT_MS, syncIntervalMs: 1_000, confirmWaitMs: 2_500 },
    payments: { url: gatewayProxy.url, timeoutMs: TIMEOUT_MS, pollIntervalMs: 200, micropayTimeoutMs: 60_000, nativeExpiryMs: 8_000 },
  });
  daemon = await startDaemon({ site });
  client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
  await client.unsolicited('IdCard.CardInserted');
  readId = String((await client.completion(client.command('IdCard.Read', {}))).payload.readId);
  await waitUntil(async () => (await client.completion(client.command('Platform.Catalogue', {}))).payload['stale'] === false, 20_000, 'catalogue');
  const list = await client.completion(client.command('Platform.Certificates', { readId }));
  certificateId = String((list.payload.certificates as Array<{ id: string; kind: string }>).find((c) => c.kind === 'householdRecord')?.id);
});

afterEach(async () => {
  // A failed case must not leave its fault behind for the next.
  await platformProxy.set({ kind: 'pass' });
  await gatewayProxy.set({ kind: 'pass' });
});

afterAll(async () => {
  expect(client.malformed).toEqual([]);
  client.close();
  expect(await daemon.stop()).toBe(0);
  await stopAllDaemons();
  await platformProxy.close();
  await gatewayProxy.close();
  await sandboxes.gateway.close();
  await sandboxes.platform.close();
});

const requests = (text: string, backend: string, outcome: string): number => metricValue(text, 'kiosk_backend_requests_total', { backend, outcome });
const pending = (text: string, kind: string): number => metricValue(text, 'kiosk_outbox_messages', { kind, state: 'pending' });
const errorOf = (c: CompletionMessage): [string, unknown] => [c.header.completionCode, c.payload['errorCode']];

async function takePicture(): Promise<string> {
  return String((await client.completion(client.command('Camera.TakePicture', {}), 30_000)).payload.pictureId);
}

/** An application with one page and two materials promised later (容缺受理). */
async function submit(): Promise<CompletionMessage> {
  const picture = await takePicture();
  const done = await client.completion(
    client.command('Platform.Submit', { readId, itemCode: '330000-SB-0006', form: { phone: '13900139000', address: '杭州市西湖区' }, materials: [{ code: 'M01', pictureIds: [picture] }], missing: ['M02', 'M09'], commitment: { signaturePng: 'iVBORw0KGgo=', agreed: true } }),
    30_000,
  );
  expect(done.header.completionCode).toBe('success');
  expect(done.payload.trackingNumber).toMatch(/^HZXH0042-\d{8}-\d{6}$/);
  trackingNumbers.push(String(done.payload.trackingNumber));
  return done;
}

async function rate(transactionId: string): Promise<string> {
  const rated = await client.completion(client.command('Platform.Rate', { transactionId, level: 4 }));
  expect(rated.payload).toMatchObject({ state: 'queued' });
  ratingIds.push(String(rated.payload.ratingId));
  return String(rated.payload.ratingId);
}

const submissionState = async (trackingNumber: string): Promise<Record<string, unknown>> => (await client.completion(client.command('Platform.SubmissionStatus', { trackingNumber }))).payload;

/** Delivered: the kiosk says so with the platform's case id, and the platform holds it once. */
async function expectDeliveredOnce(trackingNumber: string, ratingId?: string): Promise<void> {
  await waitUntil(async () => (await submissionState(trackingNumber))['state'] === 'delivered', 30_000, `${trackingNumber} delivered`);
  expect(await submissionState(trackingNumber)).toMatchObject({ state: 'delivered', caseId: expect.stringMatching(/^ZW\d{14}$/) });
  expect(sandboxes.platform.applications().filter((a) => a.trackingNumber === trackingNumber)).toHaveLength(1);
  if (ratingId) await waitUntil(() => sandboxes.platform.ratings().some((r) => r.ratingId === ratingId), 30_000, `rating ${ratingId}`);
}

/** The platform's side while it is down: the catalogue stale, messages waiting, nothing lost of the devices. */
async function expectPlatformDownSeen(kind: string, before: string): Promise<void> {
  await waitUntil(async () => metricValue(await scrape(daemon), 'kiosk_catalogue_stale') === 1, 20_000, 'catalogue stale');
  await waitUntil(async () => metricValue(await scrape(daemon), 'kiosk_outbox_oldest_pending_seconds') > 0, 20_000, 'an old pending message');
  const text = await scrape(daemon);
  expect(pending(text, 'submission')).toBeGreaterThanOrEqual(1);
  expect(pending(text, 'rating')).toBeGreaterThanOrEqual(1);
  expect(requests(text, 'platform', kind)).toBeGreaterThan(requests(before, 'platform', kind));
  expect(commandErrors(text, 'Platform.Progress')).toBeGreaterThan(commandErrors(before, 'Platform.Progress'));
  expect(metricValue(text, 'kiosk_outbox_messages', { state: 'rejected' })).toBe(0);
  const catalogue = (await (await daemon.ops('/v1/catalogue')).json()) as { stale: boolean; lastError: string | null };
  expect(catalogue).toMatchObject({ stale: true, lastError: expect.any(String) });
  // A backend fault is not a device fault: the terminal stays ready and in service.
  const status = (await (await daemon.ops('/v1/status')).json()) as { ready: boolean };
  expect(status.ready).toBe(true);
  expect((await deviceReport(daemon, 'a4Printer')).status.common.device).toBe('online');
}

async function expectPlatformRecovered(): Promise<void> {
  await waitUntil(
    async () => {
      const text = await scrape(daemon);
      return metricValue(text, 'kiosk_catalogue_stale') === 0 && metricValue(text, 'kiosk_outbox_messages', { state: 'pending' }) === 0 && metricValue(text, 'kiosk_outbox_oldest_pending_seconds') === 0;
    },
    30_000,
    'outbox drained and the catalogue fresh',
  );
  expect((await client.completion(client.command('Platform.Catalogue', {}))).payload['stale']).toBe(false);
}

/** The resident meets the platform being away: cached services, queued applications, clear errors. */
async function expectResidentPlatformDown(trackingNumber: string): Promise<void> {
  await waitUntil(async () => (await client.completion(client.command('Platform.Catalogue', {}))).payload['stale'] === true, 20_000, 'the cached list marked stale');
  const list = await client.completion(client.command('Platform.Catalogue', {}));
  expect(list.header.completionCode).toBe('success');
  expect((list.payload.items as unknown[]).length).toBeGreaterThan(0);
  expect((await client.completion(client.command('Platform.Guide', { code: '330000-SB-0006' }))).header.completionCode).toBe('success');
  expect(errorOf(await client.completion(client.command('Platform.Progress', { trackingNumber }), 15_000))).toEqual(['commandErrorCode', 'platformUnavailable']);
  expect(errorOf(await client.completion(client.command('Platform.Certificates', { readId }), 15_000))).toEqual(['commandErrorCode', 'platformUnavailable']);
  const jobs = (await deviceReport(daemon, 'a4Printer')).printJobs;
  expect(errorOf(await client.completion(client.command('Platform.PrintCertificate', { readId, certificateId }), 15_000))).toEqual(['commandErrorCode', 'platformUnavailable']);
  expect((await deviceReport(daemon, 'a4Printer')).printJobs).toEqual(jobs);
}

describe('the government platform', () => {
  it('unreachable (port closed): cached services, applications queued with a tracking number, each delivered once when it is back', async () => {
    const before = await scrape(daemon);
    await platformProxy.set({ kind: 'refuse' });
    const submitted = await submit();
    expect(submitted.payload).toMatchObject({ state: 'queued', acceptance: 'tolerated' });
    const trackingNumber = String(submitted.payload.trackingNumber);
    const ratingId = await rate(trackingNumber);
    await expectResidentPlatformDown(trackingNumber);
    await expectPlatformDownSeen('unreachable', before);
    expect(await submissionState(trackingNumber)).toMatchObject({ state: 'queued' });
    expect(sandboxes.platform.applications().map((a) => a.trackingNumber)).not.toContain(trackingNumber);

    await platformProxy.set({ kind: 'pass' });
    await expectDeliveredOnce(trackingNumber, ratingId);
    await expectPlatformRecovered();
    expect((await client.completion(client.command('Platform.Progress', { trackingNumber }))).payload).toMatchObject({ trackingNumber, status: 'awaitingMaterials' });
  });

  it('slow past the timeout: queued, the platform acts on it, the retries carry one key and it is stored once', async () => {
    const before = await scrape(daemon);
    const mark = platformProxy.requests.length;
    await platformProxy.set({ kind: 'delay', ms: SLOW_MS });
    const submitted = await submit();
    expect(submitted.payload).toMatchObject({ state: 'queued' });
    const trackingNumber = String(submitted.payload.trackingNumber);
    const ratingId = await rate(trackingNumber);
    await expectResidentPlatformDown(trackingNumber);
    await expectPlatformDownSeen('unknown', before);
    // The platform got it at once; only its answer is late. The kiosk sends it again, under the same key.
    await waitUntil(() => platformProxy.requests.slice(mark).filter((r) => r.method === 'POST' && r.path === '/v1/applications').length >= 2, 30_000, 'a second send');
    const sends = platformProxy.requests.slice(mark).filter((r) => r.method === 'POST' && r.path === '/v1/applications');
    expect(new Set(sends.map((r) => r.idempotencyKey)).size).toBe(1);
    await waitUntil(() => sends.some((r) => r.outcome === 'gone'), 20_000, 'a reply the daemon no longer waited for');
    expect(sandboxes.platform.applications().filter((a) => a.trackingNumber === trackingNumber)).toHaveLength(1);
    expect(await submissionState(trackingNumber)).toMatchObject({ state: 'queued' });

    await platformProxy.set({ kind: 'pass' });
    await expectDeliveredOnce(trackingNumber, ratingId);
    await expectPlatformRecovered();
  });

  it('slow within the timeout: everything works as usual, and no request error is counted', async () => {
    await expectPlatformRecovered();
    const before = await scrape(daemon);
    const mark = platformProxy.requests.length;
    await platformProxy.set({ kind: 'delay', ms: SLOW_WITHIN_MS });
    const submitted = await submit();
    expect(submitted.payload).toMatchObject({ state: 'delivered', caseId: expect.stringMatching(/^ZW/) });
    const trackingNumber = String(submitted.payload.trackingNumber);
    const ratingId = await rate(trackingNumber);
    expect((await client.completion(client.command('Platform.Progress', { trackingNumber }))).payload).toMatchObject({ trackingNumber, status: 'awaitingMaterials' });
    expect((await client.completion(client.command('Platform.Certificates', { readId }))).header.completionCode).toBe('success');
    await waitUntil(() => platformProxy.requests.slice(mark).some((r) => r.path.startsWith('/v1/catalogue') && r.fault === 'delay' && r.outcome === 200), 20_000, 'a slow catalogue sync');
    await expectDeliveredOnce(trackingNumber, ratingId);
    const text = await scrape(daemon);
    for (const outcome of ['unreachable', 'unknown', 'status', 'malformed']) expect(requests(text, 'platform', outcome)).toBe(requests(before, 'platform', outcome));
    expect(requests(text, 'platform', 'ok')).toBeGreaterThan(requests(before, 'platform', 'ok'));
    expect(metricValue(text, 'kiosk_backend_request_duration_seconds_count', { backend: 'platform' })).toBeGreaterThan(metricValue(before, 'kiosk_backend_request_duration_seconds_count', { backend: 'platform' }));
    expect(metricValue(text, 'kiosk_catalogue_stale')).toBe(0);
    expect(commandErrors(text, 'Platform.Progress')).toBe(commandErrors(before, 'Platform.Progress'));
  });

  it('500s for a while: queued and retried, never rejected, delivered once when it recovers', async () => {
    const before = await scrape(daemon);
    const mark = platformProxy.requests.length;
    await platformProxy.set({ kind: 'status', status: 500 });
    const submitted = await submit();
    expect(submitted.payload).toMatchObject({ state: 'queued' });
    const trackingNumber = String(submitted.payload.trackingNumber);
    const ratingId = await rate(trackingNumber);
    await expectResidentPlatformDown(trackingNumber);
    await expectPlatformDownSeen('status', before);
    await waitUntil(() => platformProxy.requests.slice(mark).filter((r) => r.path === '/v1/applications' && r.outcome === 500).length >= 2, 30_000, 'retries answered 500');
    expect(new Set(platformProxy.requests.slice(mark).filter((r) => r.path === '/v1/applications').map((r) => r.idempotencyKey)).size).toBe(1);
    expect(sandboxes.platform.applications().map((a) => a.trackingNumber)).not.toContain(trackingNumber);

    await platformProxy.set({ kind: 'pass' });
    await expectDeliveredOnce(trackingNumber, ratingId);
    await expectPlatformRecovered();
  });
});

let codes = 0;
/** A WeChat payment code, new each time (the gateway takes a code once). */
const paymentCode = (): string => `1345678901${String(80_000_000 + ++codes)}`;

async function pay(method: 'micropay' | 'native', utility: string, account: string, amount: number): Promise<CompletionMessage> {
  const done = await client.completion(client.command('Payment.Create', { utility, account, amount, method, ...(method === 'micropay' ? { code: paymentCode() } : {}) }), 20_000);
  // A refused order names its number too (the completion's details), so it is checked like the rest.
  const orderId = done.payload['orderId'];
  if (typeof orderId === 'string') orderIds.push(orderId);
  return done;
}

const orderOf = async (orderId: string): Promise<Record<string, unknown>> => (await client.completion(client.command('Payment.Query', { orderId }))).payload;
const untilOrder = (orderId: string, state: string, timeoutMs = 30_000): Promise<void> => waitUntil(async () => (await orderOf(orderId))['state'] === state, timeoutMs, `${orderId} ${state}`);
const charges = (orderId: string): number => sandboxes.gateway.ledger().filter((e) => e.orderId === orderId && e.kind === 'charge').length;
const confirming = async (): Promise<number> => metricValue(await scrape(daemon), 'kiosk_payment_orders_confirming');
const refusedOrderId = (c: CompletionMessage): string => {
  expect(c.payload['orderId']).toEqual(expect.any(String));
  return String(c.payload['orderId']);
};

async function expectGatewayRecovered(): Promise<void> {
  await waitUntil(
    async () => {
      const text = await scrape(daemon);
      return metricValue(text, 'kiosk_payment_orders_confirming') === 0 && metricValue(text, 'kiosk_payment_oldest_open_seconds') === 0 && metricValue(text, 'kiosk_outbox_messages', { state: 'pending' }) === 0;
    },
    30_000,
    'no order open and every posting sent',
  );
}

describe('the payment gateway', () => {
  it('unreachable: bills and QR codes refused before any charge; a payment code "confirming", then paid once; a cancelled one reversed', async () => {
    const before = await scrape(daemon);
    const mark = client.messages.length;
    await gatewayProxy.set({ kind: 'refuse' });
    expect(errorOf(await client.completion(client.command('Payment.LookupBill', { utility: 'water', account: '33010601' }), 15_000))).toEqual(['commandErrorCode', 'gatewayUnavailable']);
    const native = await pay('native', 'gas', '330106101', 1_201);
    expect(errorOf(native)).toEqual(['commandErrorCode', 'gatewayUnavailable']);
    const qrOrder = refusedOrderId(native);
    const paid = await pay('micropay', 'electricity', '3301060012', 1_202);
    expect(paid.payload).toMatchObject({ state: 'PAYING', confirming: true, receiptNumber: paid.payload.orderId });
    const paidOrder = String(paid.payload.orderId);
    const cancelled = await pay('micropay', 'electricity', '3301060012', 1_203);
    expect(cancelled.payload).toMatchObject({ confirming: true });
    const cancelledOrder = String(cancelled.payload.orderId);
    expect((await client.completion(client.command('Payment.Cancel', { orderId: cancelledOrder }))).payload).toMatchObject({ state: 'PAYING', confirming: true });

    await waitUntil(async () => metricValue(await scrape(daemon), 'kiosk_payment_oldest_open_seconds') > 0, 20_000, 'an open order ageing');
    const text = await scrape(daemon);
    expect(metricValue(text, 'kiosk_payment_orders_confirming')).toBeGreaterThanOrEqual(3);
    expect(requests(text, 'gateway', 'unreachable')).toBeGreaterThan(requests(before, 'gateway', 'unreachable'));
    expect(commandErrors(text, 'Payment.LookupBill', 'commandErrorCode')).toBeGreaterThan(commandErrors(before, 'Payment.LookupBill', 'commandErrorCode'));
    expect(((await (await daemon.ops('/v1/status')).json()) as { ready: boolean }).ready).toBe(true);
    // Nothing reached the gateway, so nothing can have been charged.
    expect(sandboxes.gateway.trades().filter((t) => [qrOrder, paidOrder, cancelledOrder].includes(t.orderId))).toEqual([]);

    await gatewayProxy.set({ kind: 'pass' });
    await untilOrder(paidOrder, 'SUCCESS');
    await untilOrder(cancelledOrder, 'REVOKED');
    await untilOrder(qrOrder, 'CLOSED');
    await unsolicitedAfter(client, mark, 'Payment.StateChanged', (p) => p['orderId'] === paidOrder && p['state'] === 'SUCCESS');
    await waitUntil(async () => (await orderOf(paidOrder))['posting'] === 'posted', 30_000, 'posted');
    expect([charges(paidOrder), charges(cancelledOrder), charges(qrOrder)]).toEqual([1, 0, 0]);
    await expectGatewayRecovered();
  });

  it('slow past the timeout: a payment the gateway took reads "confirming" and ends paid once; a late QR code is refused and its order closed', async () => {
    const before = await scrape(daemon);
    const mark = gatewayProxy.requests.length;
    await gatewayProxy.set({ kind: 'delay', ms: SLOW_MS });
    const paid = await pay('micropay', 'electricity', '3301060012', 1_301);
    expect(paid.payload).toMatchObject({ state: 'PAYING', confirming: true });
    const paidOrder = String(paid.payload.orderId);
    // The gateway charged at once; only its answer was late.
    expect(charges(paidOrder)).toBe(1);
    const native = await pay('native', 'gas', '330106101', 1_302);
    expect(errorOf(native)).toEqual(['commandErrorCode', 'gatewayUnavailable']);
    const qrOrder = refusedOrderId(native);
    expect(errorOf(await client.completion(client.command('Payment.LookupBill', { utility: 'water', account: '33010601' }), 15_000))).toEqual(['commandErrorCode', 'gatewayUnavailable']);
    await waitUntil(() => gatewayProxy.requests.slice(mark).some((r) => r.path === `/v1/orders/${paidOrder}` && r.outcome === 'gone'), 20_000, 'a query timed out');
    const text = await scrape(daemon);
    expect(metricValue(text, 'kiosk_payment_orders_confirming')).toBeGreaterThanOrEqual(1);
    expect(requests(text, 'gateway', 'unknown')).toBeGreaterThan(requests(before, 'gateway', 'unknown'));
    expect((await orderOf(paidOrder))['confirming']).toBe(true);

    await gatewayProxy.set({ kind: 'pass' });
    await untilOrder(paidOrder, 'SUCCESS');
    // Nobody saw its QR code: closed at its expiry, never paid.
    await untilOrder(qrOrder, 'CLOSED');
    expect([charges(paidOrder), charges(qrOrder)]).toEqual([1, 0]);
    await expectGatewayRecovered();
  });

  it('slow within the timeout: bills, payment codes and QR codes work as usual, no request error counted', async () => {
    const before = await scrape(daemon);
    await gatewayProxy.set({ kind: 'delay', ms: SLOW_WITHIN_MS });
    expect((await client.completion(client.command('Payment.LookupBill', { utility: 'water', account: '33010601' }))).payload).toMatchObject({ arrearsFen: expect.any(Number) });
    const paid = await pay('micropay', 'electricity', '3301060012', 1_401);
    expect(paid.payload).toMatchObject({ state: 'SUCCESS', confirming: false });
    const native = await pay('native', 'gas', '330106101', 1_402);
    expect(native.payload).toMatchObject({ state: 'PAYING', confirming: false, qrContent: expect.stringMatching(/^weixin:\/\//) });
    const qrOrder = String(native.payload.orderId);
    expect(sandboxes.gateway.scanAndPay(qrOrder).ok).toBe(true);
    await untilOrder(qrOrder, 'SUCCESS');
    await waitUntil(async () => (await orderOf(String(paid.payload.orderId)))['posting'] === 'posted', 30_000, 'posted');
    await expectGatewayRecovered();
    const text = await scrape(daemon);
    for (const outcome of ['unreachable', 'unknown', 'status', 'malformed']) expect(requests(text, 'gateway', outcome)).toBe(requests(before, 'gateway', outcome));
    expect(metricValue(text, 'kiosk_backend_request_duration_seconds_count', { backend: 'gateway' })).toBeGreaterThan(metricValue(before, 'kiosk_backend_request_duration_seconds_count', { backend: 'gateway' }));
    expect([charges(String(paid.payload.orderId)), charges(qrOrder)]).toEqual([1, 1]);
  });

  it('500s for a while: a payment code reads "confirming" and is paid once on recovery; a posting retried under 500s is booked once', async () => {
    const before = await scrape(daemon);
    let mark = gatewayProxy.requests.length;
    await gatewayProxy.set({ kind: 'status', status: 500 });
    expect(errorOf(await client.completion(client.command('Payment.LookupBill', { utility: 'water', account: '33010601' })))).toEqual(['commandErrorCode', 'gatewayUnavailable']);
    const paid = await pay('micropay', 'electricity', '3301060012', 1_501);
    expect(paid.payload).toMatchObject({ state: 'PAYING', confirming: true });
    const paidOrder = String(paid.payload.orderId);
    await waitUntil(() => gatewayProxy.requests.slice(mark).filter((r) => r.path === `/v1/orders/${paidOrder}` && r.outcome === 500).length >= 2, 20_000, 'queries answered 500');
    const text = await scrape(daemon);
    expect(metricValue(text, 'kiosk_payment_orders_confirming')).toBeGreaterThanOrEqual(1);
    expect(requests(text, 'gateway', 'status')).toBeGreaterThan(requests(before, 'gateway', 'status'));
    expect(charges(paidOrder)).toBe(0);
    await gatewayProxy.set({ kind: 'pass' });
    await untilOrder(paidOrder, 'SUCCESS');
    expect(charges(paidOrder)).toBe(1);
    await expectGatewayRecovered();

    // The utility's posting answered 500 several times: sent again under one key, booked once.
    const account = (): number => {
      const a = sandboxes.gateway.account('electricity', '3301060013');
      return (a?.balanceFen ?? 0) - (a?.arrearsFen ?? 0);
    };
    const start = account();
    mark = gatewayProxy.requests.length;
    await gatewayProxy.set({ kind: 'status', status: 500 }, /^\/v1\/utilities\/postings$/);
    const posted = await pay('micropay', 'electricity', '3301060013', 1_502);
    expect(posted.payload).toMatchObject({ state: 'SUCCESS', confirming: false });
    const postedOrder = String(posted.payload.orderId);
    await waitUntil(() => gatewayProxy.requests.slice(mark).filter((r) => r.path === '/v1/utilities/postings' && r.outcome === 500).length >= 3, 20_000, 'postings answered 500');
    expect((await orderOf(postedOrder))['posting']).toBe('queued');
    expect(pending(await scrape(daemon), 'billPosting')).toBeGreaterThanOrEqual(1);
    await gatewayProxy.set({ kind: 'pass' });
    await waitUntil(async () => (await orderOf(postedOrder))['posting'] === 'posted', 30_000, 'posted');
    expect(new Set(gatewayProxy.requests.slice(mark).filter((r) => r.path === '/v1/utilities/postings').map((r) => r.idempotencyKey)).size).toBe(1);
    expect(account() - start).toBe(1_502);
    expect(charges(postedOrder)).toBe(1);
    await expectGatewayRecovered();
  });
});

describe('after every fault', () => {
  it('lost nothing and duplicated nothing: both backends agree with the kiosk', async () => {
    await expectPlatformRecovered();
    await expectGatewayRecovered();
    // Every application the resident was given a number for is at the platform exactly once.
    const arrived = sandboxes.platform.applications().map((a) => a.trackingNumber);
    expect([...arrived].sort()).toEqual([...trackingNumbers].sort());
    const caseIds = await Promise.all(trackingNumbers.map(async (t) => (await submissionState(t))['caseId']));
    expect(new Set(caseIds).size).toBe(trackingNumbers.length);
    const ratings = sandboxes.platform.ratings().map((r) => r.ratingId);
    expect([...ratings].sort()).toEqual([...ratingIds].sort());

    // Every order final; each charged at most once; SUCCESS exactly when the gateway kept one charge.
    const ledger = sandboxes.gateway.ledger();
    const mine = new Set(orderIds);
    expect(ledger.filter((e) => !mine.has(e.orderId))).toEqual([]);
    const disagreements: string[] = [];
    for (const orderId of orderIds) {
      const order = await orderOf(orderId);
      const kept = charges(orderId) - ledger.filter((e) => e.orderId === orderId && e.kind === 'refund').length;
      if (!['SUCCESS', 'CLOSED', 'REVOKED', 'REFUNDED'].includes(String(order['state']))) disagreements.push(`${orderId} still ${String(order['state'])}`);
      if (charges(orderId) > 1) disagreements.push(`${orderId} charged ${charges(orderId)} times`);
      if ((order['state'] === 'SUCCESS') !== (kept === 1)) disagreements.push(`${orderId} ${String(order['state'])} here, ${kept} charge kept at the gateway`);
    }
    expect(disagreements).toEqual([]);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const reconciled = (await (await daemon.ops(`/v1/payments/reconcile?date=${today}`)).json()) as Record<string, unknown>;
    expect(reconciled).toMatchObject({ date: today, long: [], short: [], mismatched: [] });
    expect(metricValue(await scrape(daemon), 'kiosk_outbox_messages', { state: 'rejected' })).toBe(0);
  });
});
