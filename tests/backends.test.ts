// The platform and payment flows end to end: the daemon as a child process, its WebSocket, and the
// sandboxes in this process over real HTTP, so the test can script the gateway and read both sides.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { OPS_TOKEN, ROOT, startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';

const run = promisify(execFile);
let sandboxes: Sandboxes;
let daemon: DaemonProcess;
let client: WsTestClient;
let readId: string;

beforeAll(async () => {
  sandboxes = await startSandboxes();
  daemon = await startDaemon({ site: siteFor(sandboxes, { lean: true }) });
  client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
  await client.unsolicited('IdCard.CardInserted');
  const read = await client.completion(client.command('IdCard.Read', {}));
  readId = String(read.payload.readId);
});

afterAll(async () => {
  expect(client.malformed).toEqual([]);
  client.close();
  expect(await daemon.stop()).toBe(0);
  await stopAllDaemons();
  await sandboxes.gateway.close();
  await sandboxes.platform.close();
});

const kioskctl = async (...args: string[]): Promise<{ code: number; stdout: string }> => {
  try {
    const { stdout } = await run(process.execPath, [join(ROOT, 'device-daemon', 'dist', 'kioskctl.js'), ...args, '--remote', `http://127.0.0.1:${daemon.opsPort}`, '--token', OPS_TOKEN]);
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '' };
  }
};

describe('platform over the WebSocket', () => {
  it('lists the township services, and kioskctl shows the cached list', async () => {
    await waitUntil(async () => (await client.completion(client.command('Platform.Catalogue', {}))).header.completionCode === 'success', 10_000, 'catalogue');
    const list = await client.completion(client.command('Platform.Catalogue', { category: 'utilities' }));
    expect(list.payload).toMatchObject({ region: '330106001', stale: false, regionName: { zh: '西湖区转塘街道' } });
    expect((list.payload.items as unknown[]).length).toBe(7);
    const guide = await client.completion(client.command('Platform.Guide', { code: '330000-HJ-0001' }));
    expect(guide.payload).toMatchObject({ item: { name: { zh: '户口迁移（市内迁移）' }, guide: { tolerance: { allowed: true } } } });
    const { code, stdout } = await kioskctl('catalog', 'list', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ region: '330106001', stale: false });
  });

  it('takes an application with pictures from the document camera and gives its tracking number', async () => {
    const pictures: string[] = [];
    for (let i = 0; i < 3; i += 1) pictures.push(String((await client.completion(client.command('Camera.TakePicture', {}), 30_000)).payload.pictureId));
    const submitted = await client.completion(
      client.command('Platform.Submit', { readId, itemCode: '330000-YB-0001', form: { phone: '13800138000' }, materials: [{ code: 'M01', pictureIds: pictures.slice(0, 2) }, { code: 'M02', pictureIds: pictures.slice(2) }], missing: [] }),
      20_000,
    );
    expect(submitted.header.completionCode).toBe('success');
    expect(submitted.payload).toMatchObject({ state: 'delivered', acceptance: 'complete', trackingNumber: expect.stringMatching(/^HZXH0042-\d{8}-\d{6}$/) });
    const trackingNumber = String(submitted.payload.trackingNumber);
    expect(sandboxes.platform.applications().map((a) => a.trackingNumber)).toContain(trackingNumber);
    const progress = await client.completion(client.command('Platform.Progress', { trackingNumber }));
    expect(progress.payload).toMatchObject({ trackingNumber, status: 'accepted' });
    const again = await client.completion(client.command('Platform.Submit', { readId, itemCode: '330000-YB-0001', form: { phone: '13800138000' }, materials: [{ code: 'M01', pictureIds: [pictures[0]] }, { code: 'M02', pictureIds: [pictures[2]] }], missing: [] }));
    expect([again.header.completionCode, again.payload.errorCode]).toEqual(['commandErrorCode', 'pictureGone']);
  });

  it('rates the transaction, requiring reasons for the lowest levels', async () => {
    const low = await client.completion(client.command('Platform.Rate', { transactionId: 'HZXH0042-20261122-000001', level: 1 }));
    expect([low.header.completionCode, low.payload.errorCode]).toEqual(['commandErrorCode', 'reasonsRequired']);
    const rated = await client.completion(client.command('Platform.Rate', { transactionId: 'HZXH0042-20261122-000001', level: 1, reasons: ['waitTooLong', 'processUnclear'] }));
    expect(rated.payload).toMatchObject({ state: 'queued' });
    await waitUntil(() => sandboxes.platform.ratings().some((r) => r.ratingId === rated.payload.ratingId), 10_000, 'rating delivered');
    // A second tap on the same transaction: the first rating's id, and nothing more at the platform.
    const twice = await client.completion(client.command('Platform.Rate', { transactionId: 'HZXH0042-20261122-000001', level: 5 }));
    expect(twice.payload).toEqual(rated.payload);
    expect(sandboxes.platform.ratings().filter((r) => r.transactionId === 'HZXH0042-20261122-000001')).toHaveLength(1);
  });

  it('lists the holder\'s certificates and prints one on the A4 printer, and says when the printer is out of paper', async () => {
    const list = await client.completion(client.command('Platform.Certificates', { readId }));
    const certificates = list.payload.certificates as Array<{ id: string; kind: string }>;
    expect(certificates.map((c) => c.kind)).toContain('householdRecord');
    const household = certificates.find((c) => c.kind === 'householdRecord')?.id ?? '';
    const printed = await client.completion(client.command('Platform.PrintCertificate', { readId, certificateId: household }), 30_000);
    expect(printed.payload).toMatchObject({ jobId: expect.stringMatching(/^A4-\d+$/), pages: 1 });
    const spool = join(daemon.dataDir, 'a4Printer-spool');
    const pdfs = readdirSync(spool).filter((f) => f.endsWith('.pdf'));
    expect(pdfs).toHaveLength(1);
    const doc = await getDocument({ data: new Uint8Array(readFileSync(join(spool, pdfs[0] ?? ''))), disableFontFace: true }).promise;
    const text = (await (await doc.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
    expect(text).toContain('户籍证明');
    expect(text).toContain('林志远');
    expect(JSON.parse(readFileSync(join(spool, pdfs[0]?.replace('.pdf', '.json') ?? ''), 'utf8'))).toMatchObject({ title: '户籍证明', options: ['media=A4', 'fit-to-page'] });
    // The kiosk keeps no copy of the certificate.
    expect(existsSync(join(daemon.dataDir, 'print-work')) ? readdirSync(join(daemon.dataDir, 'print-work')) : []).toEqual([]);

    await daemon.simulate('a4Printer', { action: 'stop', reason: 'Media empty or out of paper' });
    await client.unsolicited('Common.StatusChangedEvent', (p) => p['device'] === 'a4Printer' && (p['common'] as { device?: string } | undefined)?.device === 'userError');
    const refused = await client.completion(client.command('Platform.PrintCertificate', { readId, certificateId: household }));
    expect([refused.header.completionCode, refused.payload.errorCode]).toEqual(['commandErrorCode', 'printerNotReady']);
    await daemon.simulate('a4Printer', { action: 'start' });
    await waitUntil(() => sandboxes.platform.supervisionEvents().some((e) => e.action === 'certificatePrinted'), 10_000, 'supervision event');
  });
});

describe('while the platform is away', () => {
  it('stores submissions and ratings, and sends them when it is back', async () => {
    await sandboxes.platform.stop();
    const picture = String((await client.completion(client.command('Camera.TakePicture', {}), 30_000)).payload.pictureId);
    const submitted = await client.completion(
      client.command('Platform.Submit', { readId, itemCode: '330000-SB-0006', form: { phone: '13900139000', address: '杭州市西湖区' }, materials: [{ code: 'M01', pictureIds: [picture] }], missing: ['M02', 'M09'], commitment: { signaturePng: 'iVBORw0KGgo=', agreed: true } }),
      20_000,
    );
    expect(submitted.payload).toMatchObject({ state: 'queued', acceptance: 'tolerated', missing: [{ code: 'M02' }, { code: 'M09' }] });
    const trackingNumber = String(submitted.payload.trackingNumber);
    const rated = await client.completion(client.command('Platform.Rate', { transactionId: trackingNumber, level: 5 }));
    expect(rated.payload).toMatchObject({ state: 'queued' });
    const progress = await client.completion(client.command('Platform.Progress', { trackingNumber }));
    expect(progress.payload.errorCode).toBe('platformUnavailable');
    // Still queued a while later: the outbox keeps trying.
    await waitUntil(async () => ((await (await daemon.ops('/v1/outbox')).json()) as { counts: Array<{ kind: string; state: string; n: number }> }).counts.some((c) => c.kind === 'submission' && c.state === 'pending'), 5_000, 'a pending submission');
    expect(sandboxes.platform.applications().map((a) => a.trackingNumber)).not.toContain(trackingNumber);
    await sandboxes.platform.start();
    await waitUntil(() => sandboxes.platform.applications().some((a) => a.trackingNumber === trackingNumber) && sandboxes.platform.ratings().some((r) => r.transactionId === trackingNumber), 30_000, 'delivery after the platform returned');
    const status = await client.completion(client.command('Platform.SubmissionStatus', { trackingNumber }));
    expect(status.payload).toMatchObject({ state: 'delivered', caseId: expect.stringMatching(/^ZW/) });
  });
});

describe('payments over the WebSocket', () => {
  it('looks a bill up by account or barcode, pays it with a payment code, and posts it', async () => {
    const byAccount = await client.completion(client.command('Payment.LookupBill', { utility: 'water', account: '33010603' }));
    expect(byAccount.payload).toMatchObject({ holderMasked: '李*', arrearsFen: 12_840 });
    const byBarcode = await client.completion(client.command('Payment.LookupBill', { barcode: 'W33010603202610' }));
    expect(byBarcode.payload).toEqual(byAccount.payload);
    const unknown = await client.completion(client.command('Payment.LookupBill', { utility: 'water', account: '99999999' }));
    expect(unknown.payload.errorCode).toBe('unknownAccount');
    const badFormat = await client.completion(client.command('Payment.Create', { utility: 'water', account: '123456', amount: 100, method: 'micropay', code: '134567890123450001' }));
    expect(badFormat.payload.errorCode).toBe('accountFormat');

    const mark = client.messages.length;
    const paid = await client.completion(client.command('Payment.Create', { utility: 'water', account: '33010603', amount: 12_840, method: 'micropay', code: '134567890123450002' }));
    expect(paid.payload).toMatchObject({ state: 'SUCCESS', confirming: false, amountFen: 12_840 });
    const orderId = String(paid.payload.orderId);
    await client.waitFor((m) => client.messages.indexOf(m) >= mark && m.header.name === 'Payment.StateChanged' && m.payload?.['orderId'] === orderId, 5_000, 'state change');
    await waitUntil(async () => (await client.completion(client.command('Payment.Query', { orderId }))).payload['posting'] === 'posted', 10_000, 'posting');
    expect(sandboxes.gateway.account('water', '33010603')).toMatchObject({ arrearsFen: 0 });
  });

  it('shows a QR code, and books it paid when the resident scans; an uncertain micropay reads "confirming"', async () => {
    const created = await client.completion(client.command('Payment.Create', { utility: 'gas', account: '330106101', amount: 6_420, method: 'native' }));
    expect(created.payload).toMatchObject({ state: 'PAYING', qrContent: expect.stringMatching(/^weixin:\/\//) });
    const orderId = String(created.payload.orderId);
    expect(sandboxes.gateway.scanAndPay(orderId).ok).toBe(true);
    await waitUntil(async () => (await client.completion(client.command('Payment.Query', { orderId }))).payload['state'] === 'SUCCESS', 10_000, 'native paid');

    sandboxes.gateway.script({ amountFen: 4_560 }, { kind: 'unknown' });
    const uncertain = await client.completion(client.command('Payment.Create', { utility: 'electricity', account: '3301060014', amount: 4_560, method: 'micropay', code: '134567890123450003' }));
    expect(uncertain.payload).toMatchObject({ confirming: true, receiptNumber: uncertain.payload.orderId });
    await waitUntil(async () => (await client.completion(client.command('Payment.Query', { orderId: String(uncertain.payload.orderId) }))).payload['state'] === 'SUCCESS', 10_000, 'uncertain resolved');
  });

  it('reconciles the day with kioskctl: nothing long, short or mismatched', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await waitUntil(async () => ((await (await daemon.ops('/v1/outbox')).json()) as { payments: Array<{ state: string }> }).payments.every((p) => p.state !== 'PAYING' && p.state !== 'CREATED'), 15_000, 'orders final');
    const { code, stdout } = await kioskctl('payments', 'reconcile', '--date', today, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ date: today, long: [], short: [], mismatched: [], local: { paidFen: 12_840 + 6_420 + 4_560 } });
  });
});
