// The platform flows against the platform sandbox over real HTTP, on fake time: the catalogue and
// its cache, applications complete and with materials to follow (容缺受理), progress, certificates
// as real PDFs, ratings; and the platform going away for a while.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PictureStore } from '../../devices/camera/picture-store';
import type { CardSession } from '../../devices/id-card-reader/id-card-reader';
import { countRequests, ROOT, startKioskBackends, startSandboxes, untilWithFakeTime, type Harness } from '../../testing/backends-harness';
import type { SessionSource } from './resident';

const HOLDER: CardSession = {
  readId: 'read-1',
  readAt: new Date('2026-11-20T02:00:00.000Z'),
  record: { type: 'resident', name: '林志远', sex: '男', sexCode: '1', nationCode: '01', nation: '汉', birthDate: '1985-04-09', address: '浙江省杭州市西湖区文三路示例小区1幢101室', idNumber: '330106198504091230', validFrom: '2015-06-01', validTo: '2035-06-01' },
  checks: { idNumberFormat: 'pass', idNumberCheckDigit: 'pass', birthDateMatchesNumber: 'pass', sexMatchesNumber: 'pass', datesValid: 'pass', notExpired: 'pass', nationCodeKnown: 'pass', photoHeader: 'pass' },
  expired: false,
  photo: undefined,
  photoError: undefined,
  fingerprint: undefined,
};

const reader: SessionSource = { session: (readId) => (readId === HOLDER.readId ? HOLDER : undefined) };
let h: Harness;
let pictures: PictureStore;
let requests: ReturnType<typeof countRequests>;
const verified = new Set<string>(['read-1']);

beforeEach(async () => {
  vi.useFakeTimers({ now: Date.parse('2026-11-20T02:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  requests = countRequests();
  pictures = new PictureStore(3_600_000);
  h = await startKioskBackends(await startSandboxes(), { readers: new Map([['idCardReader', reader]]), verified: (id) => verified.has(id), pictures });
});

afterEach(async () => {
  await h.close();
  requests.restore();
  vi.useRealTimers();
});

function until(condition: () => boolean, stepMs = 250, maxMs = 600_000): Promise<void> {
  const quiet = (): boolean => requests.inFlight() <= 0 && !h.platform.busy && !h.gateway.busy;
  return untilWithFakeTime(condition, quiet, async (ms) => void (await vi.advanceTimersByTimeAsync(ms)), stepMs, maxMs);
}

async function settle<T>(promise: Promise<T>): Promise<T> {
  const box: { value?: T; done: boolean } = { done: false };
  void promise.then((value) => {
    box.value = value;
    box.done = true;
  });
  await until(() => box.done, 100);
  return box.value as T;
}

async function page(text: string): Promise<string> {
  const jpeg = await sharp({ create: { width: 200, height: 140, channels: 3, background: '#f4f1ea' } }).composite([{ input: Buffer.from(`<svg width="200" height="140"><text x="10" y="70" font-size="16">${text}</text></svg>`) }]).jpeg().toBuffer();
  return pictures.put('documentCamera', jpeg);
}

describe('catalogue', () => {
  it('syncs the township list, and serves it from the cache when the platform is down after a restart', async () => {
    await until(() => h.backends.catalogue.state().catalogue !== undefined);
    const state = h.backends.catalogue.state();
    expect(state).toMatchObject({ stale: false, catalogue: { region: '330106001', regionName: { zh: '西湖区转塘街道' } } });
    expect(state.catalogue?.items.length).toBeGreaterThanOrEqual(40);
    const sandboxes = { gateway: h.gateway, platform: h.platform };
    await h.stopKiosk();
    await h.platform.stop();
    h = await startKioskBackends(sandboxes, { dataDir: h.dataDir });
    await until(() => h.backends.catalogue.state().lastError !== undefined);
    expect(h.backends.catalogue.state()).toMatchObject({ stale: true, catalogue: { version: state.catalogue?.version } });
    await h.platform.start();
  });

  it('is what the sandbox ships: at least 40 items in seven categories, guides whose 容缺受理 rules hold', () => {
    const file = JSON.parse(readFileSync(join(ROOT, 'config', 'catalogue.json'), 'utf8')) as { items: Array<{ category: string; guide: { tolerance: { allowed: boolean; supplementDays: number }; timeLimit: { promisedDays: number }; materials: Array<{ essential: boolean }> } }> };
    expect(file.items.length).toBeGreaterThanOrEqual(40);
    expect(new Set(file.items.map((i) => i.category)).size).toBe(7);
    for (const item of file.items.filter((i) => i.guide.tolerance.allowed)) {
      expect(item.guide.tolerance.supplementDays).toBeLessThanOrEqual(item.guide.timeLimit.promisedDays);
      expect(item.guide.materials.some((m) => !m.essential)).toBe(true);
    }
  });
});

describe('applications', () => {
  it('submits a complete application, prefilled from the card, and follows its progress', async () => {
    await until(() => h.backends.catalogue.state().catalogue !== undefined);
    const result = await settle(
      h.backends.applications.submit({
        readId: 'read-1',
        itemCode: '330000-YB-0001',
        form: { phone: '13800138000' },
        materials: [
          { code: 'M01', pictureIds: [await page('ID card front'), await page('ID card back')] },
          { code: 'M02', pictureIds: [await page('Household register')] },
        ],
        missing: [],
      }),
    );
    expect(result).toMatchObject({ ok: true, value: { state: 'delivered', acceptance: 'complete', missing: [], caseId: expect.stringMatching(/^ZW2026112/) } });
    if (!result.ok) return;
    expect(result.value.trackingNumber).toMatch(/^HZXH0042-20261120-\d{6}$/);
    expect(h.platform.applications()).toEqual([{ trackingNumber: result.value.trackingNumber, itemCode: '330000-YB-0001', tolerated: false }]);
    const progress = await settle(h.backends.platform.progress(result.value.trackingNumber, new AbortController().signal));
    expect(progress).toMatchObject({ ok: true, value: { status: 'accepted' } });
    await until(() => Date.now() > Date.parse('2026-11-20T02:11:00Z'), 10_000, 900_000);
    expect(await settle(h.backends.platform.progress(result.value.trackingNumber, new AbortController().signal))).toMatchObject({ ok: true, value: { status: 'inReview' } });
    // Every supervision event of the submission reached the platform too.
    await until(() => h.platform.supervisionEvents().some((e) => e.transactionId === result.value.trackingNumber), 250, 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; outbox ${JSON.stringify(h.backends.outbox.counts())}; events ${JSON.stringify(h.platform.supervisionEvents())}`);
    });
  });

  it('accepts with a non-essential material to follow (容缺受理): deadline within the promise, signed commitment', async () => {
    await until(() => h.backends.catalogue.state().catalogue !== undefined);
    const result = await settle(
      h.backends.applications.submit({ readId: 'read-1', itemCode: '330000-HJ-0001', form: { phone: '13800138000', newAddress: '西湖区转塘街道示例路1号', reason: 'purchase' }, materials: [{ code: 'M01', pictureIds: [await page('ID')] }, { code: 'M02', pictureIds: [await page('Hukou')] }, { code: 'M03', pictureIds: [await page('Deed')] }], missing: ['M04', 'M10'], commitment: { signaturePng: 'iVBORw0KGgo=' } }),
    );
    expect(result).toMatchObject({ ok: true, value: { acceptance: 'tolerated', promisedBy: '2026-12-04', missing: [{ code: 'M04', deadline: '2026-11-27' }, { code: 'M10', deadline: '2026-11-27' }], commitmentText: expect.stringContaining('户口迁移') } });
    await until(() => h.platform.supervisionEvents().some((e) => e.action === 'materialsTolerated'));
  });

  it('refuses what the platform would refuse, before queueing anything', async () => {
    await until(() => h.backends.catalogue.state().catalogue !== undefined);
    const base = { readId: 'read-1', itemCode: '330000-HJ-0001', form: { phone: '13800138000', newAddress: 'x', reason: 'family' }, missing: [] };
    expect(await settle(h.backends.applications.submit({ ...base, materials: [{ code: 'M01', pictureIds: [await page('ID')] }] }))).toMatchObject({ ok: false, error: { code: 'applicationIncomplete', problem: 'missingEssential' } });
    expect(await settle(h.backends.applications.submit({ ...base, materials: [{ code: 'M01', pictureIds: [await page('1')] }, { code: 'M02', pictureIds: [await page('2')] }, { code: 'M03', pictureIds: [await page('3')] }], missing: ['M04', 'M10'] }))).toMatchObject({ ok: false, error: { problem: 'commitmentMissing' } });
    expect(await settle(h.backends.applications.submit({ ...base, readId: 'gone', materials: [] }))).toMatchObject({ ok: false, error: { code: 'noReference' } });
    verified.delete('read-1');
    expect(await settle(h.backends.applications.submit({ ...base, materials: [] }))).toMatchObject({ ok: false, error: { code: 'notVerified' } });
    verified.add('read-1');
    expect(await settle(h.backends.applications.submit({ ...base, materials: [{ code: 'M01', pictureIds: ['no-such-picture-0000'] }, { code: 'M02', pictureIds: [await page('2')] }, { code: 'M03', pictureIds: [await page('3')] }], missing: ['M04', 'M10'], commitment: { signaturePng: 'iVBORw0KGgo=' } }))).toMatchObject({ ok: false, error: { code: 'pictureGone' } });
    expect(h.platform.applications()).toEqual([]);
    expect(h.backends.outbox.counts()).toEqual([]);
  });
});

describe('when the platform is away', () => {
  it('queues submissions and ratings, and delivers each exactly once when it is back', async () => {
    await until(() => h.backends.catalogue.state().catalogue !== undefined);
    await h.platform.stop();
    const submitted = await settle(h.backends.applications.submit({ readId: 'read-1', itemCode: '330000-SB-0006', form: { phone: '13900139000', address: '杭州市西湖区' }, materials: [{ code: 'M01', pictureIds: [await page('ID')] }], missing: ['M02', 'M09'], commitment: { signaturePng: 'iVBORw0KGgo=' } }));
    expect(submitted).toMatchObject({ ok: true, value: { state: 'queued', acceptance: 'tolerated' } });
    if (!submitted.ok) return;
    const rated = h.backends.applications.status(submitted.value.trackingNumber);
    expect(rated).toEqual({ trackingNumber: submitted.value.trackingNumber, state: 'queued' });
    const { RatingService } = await import('./rating-service');
    const ratings = new RatingService(h.backends.outbox, h.backends.sender, 'HZ-XH-0042');
    expect(ratings.rate({ transactionId: submitted.value.trackingNumber, level: 2 })).toEqual({ ok: false, error: { code: 'reasonsRequired', message: expect.any(String) } });
    const first = ratings.rate({ transactionId: submitted.value.trackingNumber, level: 2, reasons: ['waitTooLong'] });
    expect(first.ok).toBe(true);
    // One rating per transaction: the second answers with the first's id and is never queued.
    const again = ratings.rate({ transactionId: submitted.value.trackingNumber, level: 5 });
    expect(again).toEqual(first);
    expect(h.backends.outbox.counts().filter((c) => c.kind === 'rating')).toEqual([{ kind: 'rating', state: 'pending', n: 1 }]);
    // A while offline: the outbox keeps trying with backoff.
    await until(() => Date.now() > Date.parse('2026-11-20T02:05:00Z'), 5_000);
    expect(h.platform.applications()).toEqual([]);
    await h.platform.start();
    await until(() => h.backends.applications.status(submitted.value.trackingNumber)?.state === 'delivered' && h.platform.ratings().length === 1, 1_000);
    expect(h.platform.applications().map((a) => a.trackingNumber)).toEqual([submitted.value.trackingNumber]);
    expect(h.platform.ratings()).toMatchObject([{ transactionId: submitted.value.trackingNumber, level: 2, reasons: ['waitTooLong'], channel: 'kiosk' }]);
  });
});

describe('certificates', () => {
  it('lists what the platform holds for the resident and fetches one as a PDF with Chinese text and a verification code', async () => {
    const list = await settle(h.backends.platform.certificates({ name: '林志远', idNumber: '330106198504091230' }, new AbortController().signal));
    expect(list.ok && list.value.map((c) => c.kind)).toEqual(['socialInsuranceRecord', 'householdRecord', 'propertySearch', 'incomeTaxRecord', 'medicalEnrolment', 'electronicLicence']);
    if (!list.ok) return;
    const pdf = await settle(h.backends.platform.certificatePdf(list.value[0]?.id ?? '', { name: '林志远', idNumber: '330106198504091230' }, new AbortController().signal));
    expect(pdf.ok).toBe(true);
    if (!pdf.ok) return;
    vi.useRealTimers();
    const doc = await getDocument({ data: new Uint8Array(pdf.value), disableFontFace: true }).promise;
    const text = (await (await doc.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
    expect(text).toContain('社会保险个人权益记录');
    expect(text).toContain('林志远');
    expect(text).toContain('扫码核验真伪');
    const other = await h.backends.platform.certificates({ name: '林志远', idNumber: '330106198504091231' }, new AbortController().signal);
    expect(other).toMatchObject({ ok: false, error: { kind: 'status', status: 400, code: 'invalidPerson' } });
  });
});
