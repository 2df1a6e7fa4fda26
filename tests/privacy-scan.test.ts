// PRODUCT.md section 6, checked after the fact: one daemon logging at trace runs every journey that
// touches personal data for a holder with a distinctive name, ID number and address (card read, face
// check, ID photo, application with document pictures and a signature, certificate, bill payment,
// receipts, rating, tracking, a queue ticket, a slip that waits for paper); then it is stopped and
// its stdout, stderr and every file of its data directory (SQLite with its -wal and -shm, spools,
// tokens) are searched for the holder's data in UTF-8, UTF-16LE, GB18030 and JSON escapes, and for
// pictures. Any hit fails and names the file and offset.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../device-daemon/src/face/image';
import { EVAL_FACES_SKIP_REASON, evalFace, evalFacesPresent } from '../device-daemon/src/testing/eval-faces';
import { personStill, toJpeg } from '../device-daemon/src/testing/person-still';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { startDaemon, stopAllDaemons, TEST_SITE, waitUntil, type DaemonProcess } from './support/daemon-process';
import { describeHits, filesUnder, needlesFor, scanBytes, scanTree, WLT_HEADER, type Hit } from './support/privacy-scan';
import { encodeGb18030 } from '../device-daemon/src/devices/receipt-printer/encoder/gb18030';
import { HOLDER_CARD, siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';

const scratch = mkdtempSync(join(tmpdir(), 'kiosk-privacy-'));
const dataDir = join(scratch, 'data');
let sandboxes: Sandboxes;
let daemon: DaemonProcess;
let client: WsTestClient;
let readId = '';
let maskedName = '';
const covered: string[] = [];

const needles = needlesFor({
  name: HOLDER_CARD.name,
  'ID number': HOLDER_CARD.idNumber,
  'ID number without its last four': HOLDER_CARD.idNumber.slice(0, 14),
  address: HOLDER_CARD.address,
  'street of the address': '文三路示例小区',
});

/** The document camera shows a person (so Photo.Compose finds a face); else its default picture. */
async function documentCamera(): Promise<Record<string, unknown>> {
  const base = { preview: { width: 640, height: 480, fps: 5 }, still: { width: 640, height: 480 }, ...TEST_SITE.devices.documentCamera };
  if (!evalFacesPresent) return base;
  const face = await decodeImage(readFileSync(evalFace('raj_4.png')));
  if (!face.ok) throw new Error(face.error);
  const file = join(scratch, 'resident.jpg');
  writeFileSync(file, await toJpeg(personStill(face.value, { width: 640, height: 480, faceWidth: 150 })));
  return { ...base, simulator: { source: { kind: 'file', path: file } } };
}

beforeAll(async () => {
  sandboxes = await startSandboxes();
  const site = siteFor(sandboxes);
  const devices = site['devices'] as Record<string, unknown>;
  const card = evalFacesPresent ? { ...HOLDER_CARD, photo: evalFace('raj_4.png') } : HOLDER_CARD;
  daemon = await startDaemon({
    dataDir,
    env: { KIOSK_LOG_LEVEL: 'trace' },
    site: {
      ...site,
      devices: { ...devices, idCardReader: { ...TEST_SITE.devices.idCardReader, simulator: { cards: [card] } }, documentCamera: await documentCamera() },
      face: { liveness: { challengeTimeoutMs: 4_000 }, positioningTimeoutMs: 6_000 },
    },
  });
  client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
}, 90_000);

afterAll(async () => {
  await stopAllDaemons();
  await sandboxes?.gateway.close();
  await sandboxes?.platform.close();
  rmSync(scratch, { recursive: true, force: true });
});

const run = async (name: string, payload: unknown, timeoutMs = 30_000): Promise<Record<string, unknown>> => {
  const done = await client.completion(client.command(name, payload), timeoutMs);
  expect(done.header.completionCode, `${name}: ${JSON.stringify(done.payload)}`).toBe('success');
  return done.payload;
};

/** A still from the document camera, once its first frames are in. */
async function still(): Promise<string> {
  let id = '';
  await waitUntil(async () => {
    const done = await client.completion(client.command('Camera.TakePicture', { device: 'documentCamera' }), 30_000);
    id = done.header.completionCode === 'success' ? String(done.payload.pictureId) : '';
    return id !== '';
  }, 30_000, 'a still from the document camera');
  return id;
}

it('finds each thing it looks for, so a clean scan means something', async () => {
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).jpeg().toBuffer();
  const webp = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).webp().toBuffer();
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
  const planted = Buffer.concat([
    Buffer.from('x'.repeat(7)),
    Buffer.from(HOLDER_CARD.name, 'utf16le'),
    Buffer.from(`"name":"${HOLDER_CARD.name}","id":"${HOLDER_CARD.idNumber}"`, 'utf8'),
    Buffer.from(encodeGb18030(HOLDER_CARD.address).bytes),
    Buffer.from([0xff, 0xd8, 0xff, 0x00]),
    jpeg,
    webp,
    png,
    WLT_HEADER,
    Buffer.from(jpeg.toString('base64')),
  ]);
  const found = new Set((await scanBytes('planted', planted, needles)).map((h) => h.what));
  for (const what of ['name (UTF-16LE)', 'name (UTF-8)', 'ID number (UTF-8)', 'address (GB18030)', 'street of the address (GB18030)', 'JPEG 8x8', 'WebP signature', 'PNG signature', 'WLT photo header', 'JPEG in base64']) expect(found, what).toContain(what);
  // The lone FF D8 FF that is no picture is not reported.
  expect((await scanBytes('noise', Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01]), needles)).length).toBe(0);
});

describe('every journey with personal data, then a scan of what the daemon left', { timeout: 120_000 }, () => {
  it('reads the card', async () => {
    await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
    await client.unsolicited('IdCard.CardInserted');
    const read = await run('IdCard.Read', {});
    readId = String(read.readId);
    maskedName = String((read.card as { name: string }).name);
    expect(maskedName).not.toBe(HOLDER_CARD.name);
    covered.push('card read');
  });

  it.skipIf(!evalFacesPresent)(`checks the face against the card${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, async () => {
    const framesWritten = async (): Promise<number> => ((await (await daemon.ops('/v1/simulator/faceCamera')).json()) as { framesWritten: number }).framesWritten;
    const shown = (await daemon.simulate('faceCamera', { action: 'show', image: evalFace('raj_1.png') })) as { framesWritten: number };
    await waitUntil(async () => (await framesWritten()) >= shown.framesWritten + 4, 10_000, 'frames of the scene');
    const id = client.command('Face.Verify', { reference: { kind: 'card', readId } });
    const performing: Promise<unknown>[] = [];
    const stop = client.events(id, (name, payload) => {
      if (name === 'Face.ChallengeEvent' && payload['state'] === 'started') performing.push(daemon.simulate('faceCamera', { action: 'perform', gesture: payload['challenge'], afterMs: 500 }));
    });
    const done = await client.completion(id, 60_000);
    stop();
    await Promise.all(performing);
    expect(done.payload).toMatchObject({ verified: true });
    covered.push('face check');
  });

  it.skipIf(!evalFacesPresent)(`makes and prints an ID photo${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, async () => {
    const composed = await run('Photo.Compose', { source: { pictureId: await still() }, size: 'twoInch', background: 'blue' }, 60_000);
    const photoId = String(composed.photoId);
    await run('Photo.Compose', { source: { photoId }, size: 'twoInch', background: 'white' }, 60_000);
    await run('Photo.Print', { photoId }, 60_000);
    await run('Photo.Discard', { photoId });
    covered.push('ID photo');
  });

  it('takes an application with document pictures and a signature, and prints its slip (once after paper ran out)', async () => {
    await waitUntil(async () => (await client.completion(client.command('Platform.Catalogue', {}))).header.completionCode === 'success', 20_000, 'catalogue');
    const pictures = [await still(), await still()];
    const submitted = await run('Platform.Submit', { readId, itemCode: '330000-YB-0001', form: { phone: '13800138000' }, materials: [{ code: 'M01', pictureIds: [pictures[0]] }, { code: 'M02', pictureIds: [pictures[1]] }], missing: [] });
    const tracked = await run('Platform.SubmissionStatus', { trackingNumber: submitted.trackingNumber });
    expect(tracked.trackingNumber).toBe(submitted.trackingNumber);
    const tolerated = await run('Platform.Submit', { readId, itemCode: '330000-SB-0006', form: { phone: '13900139000', address: HOLDER_CARD.address }, materials: [{ code: 'M01', pictureIds: [await still()] }], missing: ['M02', 'M09'], commitment: { signaturePng: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', agreed: true } });
    await waitUntil(() => sandboxes.platform.applications().some((a) => a.trackingNumber === tolerated.trackingNumber), 20_000, 'application delivered');
    await run('Platform.Progress', { trackingNumber: submitted.trackingNumber });
    const slip = { itemName: '城乡居民基本养老保险参保登记', itemCode: '330000-YB-0001', department: '西湖区人力资源和社会保障局', applicantMasked: maskedName, trackingNumber: submitted.trackingNumber, acceptedAt: new Date().toISOString(), missing: [], trackUrl: 'https://zwfw.example.gov.cn/track' };
    await run('Printer.PrintForm', { template: 'acceptance-slip', data: slip });
    // A slip stored while the printer has no paper, printed when it is refilled.
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'out' });
    await client.unsolicited('Common.StatusChangedEvent', (p) => p['device'] === 'receiptPrinter' && JSON.stringify(p).includes('"out"'));
    const waiting = await client.completion(client.command('Printer.PrintForm', { template: 'acceptance-slip', data: slip }), 30_000);
    expect([waiting.header.completionCode, waiting.payload.errorCode]).toEqual(['commandErrorCode', 'paperOut']);
    const jobId = String(waiting.payload.jobId);
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
    await waitUntil(async () => (await client.completion(client.command('Printer.GetJob', { jobId }))).payload['state'] === 'printed', 30_000, 'the waiting slip printed');
    covered.push('application with document pictures', 'acceptance slip', 'tracking');
  });

  it('lists, previews and prints a certificate', async () => {
    const list = await run('Platform.Certificates', { readId });
    const certificateId = (list.certificates as Array<{ id: string }>)[0]?.id ?? '';
    await run('Platform.CertificatePreview', { readId, certificateId });
    await run('Platform.PrintCertificate', { readId, certificateId }, 60_000);
    covered.push('certificate');
  });

  it('pays a bill, prints its receipt, rates the service and takes a queue ticket', async () => {
    const bill = await run('Payment.LookupBill', { utility: 'water', account: '33010603' });
    const paid = await run('Payment.Create', { utility: 'water', account: '33010603', amount: Number(bill.arrearsFen), method: 'micropay', code: '134567890123450002' });
    await waitUntil(async () => (await client.completion(client.command('Payment.Query', { orderId: paid.orderId }))).payload['posting'] === 'posted', 20_000, 'posting');
    await run('Printer.PrintForm', { template: 'payment-receipt', data: { utility: 'water', account: '33010603', holderMasked: String(bill.holderMasked), kind: 'arrears', amountFen: Number(bill.arrearsFen), method: 'wechat', orderId: paid.orderId, receiptNumber: paid.orderId, status: 'success', paidAt: new Date().toISOString() } });
    const rated = await run('Platform.Rate', { transactionId: String(paid.orderId), level: 2, reasons: ['waitTooLong'], comment: `${HOLDER_CARD.name} ${HOLDER_CARD.idNumber}` });
    await waitUntil(() => sandboxes.platform.ratings().some((r) => r.ratingId === rated.ratingId), 20_000, 'rating delivered');
    await run('Help.QueueTicket', { service: '社保' });
    covered.push('payment', 'payment receipt', 'rating', 'queue ticket');
  });

  it('leaves no name, ID number, address or picture in its logs or its data directory', async () => {
    await daemon.simulate('idCardReader', { action: 'remove' });
    await client.unsolicited('IdCard.CardRemoved');
    await waitUntil(async () => ((await (await daemon.ops('/v1/outbox')).json()) as { counts: Array<{ state: string }> }).counts.every((c) => c.state !== 'pending'), 30_000, 'outbox drained');
    // What the ops listener tells an operator is no place for personal data either.
    const opsPages: Hit[] = [];
    for (const path of ['/metrics', '/v1/status', '/v1/outbox', '/v1/selftest', '/v1/simulator/receiptPrinter']) {
      const reply = await daemon.ops(path);
      expect(reply.status, path).toBe(200);
      opsPages.push(...(await scanBytes(`ops ${path}`, Buffer.from(await reply.arrayBuffer()), needles)));
    }
    // Once while it runs (the WAL and its index hold the latest pages), once after it stopped.
    const live = await scanTree(dataDir, needles);
    const liveFiles = filesUnder(dataDir).map((f) => relative(dataDir, f));
    client.close();
    expect(await daemon.stop()).toBe(0);
    console.info(`journeys covered: ${covered.join(', ')}${evalFacesPresent ? '' : ` (face check and ID photo not covered: ${EVAL_FACES_SKIP_REASON})`}`);
    const verbose = daemon.logs.filter((line) => /"level":(10|20)\b/.test(line)).length;
    console.info(`log lines: ${daemon.logs.length} (${verbose} at trace or debug), stderr lines: ${daemon.stderr.length}`);

    const hits: Hit[] = [
      ...(await scanBytes('stdout', Buffer.from(daemon.logs.join('\n'), 'utf8'), needles)),
      ...(await scanBytes('stderr', Buffer.from(daemon.stderr.join('\n'), 'utf8'), needles)),
      ...opsPages,
      ...live.map((h) => ({ ...h, file: `${h.file} (while running)` })),
      ...(await scanTree(dataDir, needles)),
    ];
    // The simulated A4 printer's spool is its paper tray: a certificate bears the holder's name and a
    // photo sheet the photos, as the printed paper must. Only printed documents are let through there.
    const paper = (h: Hit): boolean => h.file.includes(`-spool${sep}`) && /\.pdf( \(while running\))?$/.test(h.file);
    console.info(`printed paper in the simulated A4 spool (allowed): ${JSON.stringify(describeHits(hits.filter(paper)).slice(0, 10))}`);
    console.info(`files scanned while running: ${liveFiles.join(', ')}`);
    console.info(`files scanned after: ${filesUnder(dataDir).map((f) => relative(dataDir, f)).join(', ')}`);
    expect(describeHits(hits.filter((h) => !paper(h)))).toEqual([]);
  });
});
