// Photo.Print end to end in process: the real A4 driver against the virtual CUPS stand-in (lp and
// lpstat over a spool folder, bundled here from src/entry/virtual-cups.ts), the real receipt driver
// and durable jobs against the virtual ESC/POS printer. Nothing waits on the clock: each step awaits
// the event it needs (a status, a settled job, lp's answer).
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../core/result';
import { PictureStore } from '../devices/camera/picture-store';
import { DocumentPrinter } from '../devices/document-printer/document-printer';
import { virtualCupsControl } from '../devices/document-printer/virtual-cups-control';
import { PAPER_80MM } from '../devices/receipt-printer/encoder/receipt-document';
import { PrintJobStore } from '../devices/receipt-printer/print-job-store';
import { PrintJobService } from '../devices/receipt-printer/print-jobs';
import type { PrinterServices } from '../devices/receipt-printer/printer-commands';
import { ReceiptPrinter } from '../devices/receipt-printer/receipt-printer';
import { VirtualPrinter } from '../devices/receipt-printer/simulator/virtual-printer';
import { FaceAnalyzer } from '../face/face-analyzer';
import { decodeImage } from '../face/image';
import { loadFaceModels } from '../face/model-loader';
import { silentLogger } from '../log/logger';
import { findProjectRoot } from '../paths';
import { ViewStore } from '../server/view-store';
import { openDatabase, type KioskDatabase } from '../store/database';
import { EVAL_FACES_SKIP_REASON, evalFace, evalFacesPresent } from '../testing/eval-faces';
import { personStill, toJpeg } from '../testing/person-still';
import { MemoryTransport } from '../transports/memory-transport';
import { photoCommands } from './photo-commands';
import { PhotoService } from './photo-service';

const ROOT = findProjectRoot(import.meta.dirname);
const signal = new AbortController().signal;

interface Rig {
  readonly spool: string;
  readonly workDir: string;
  readonly a4: DocumentPrinter;
  readonly sim: VirtualPrinter;
  readonly receipt: ReceiptPrinter;
  readonly jobs: PrintJobService;
  readonly db: KioskDatabase;
  readonly pictures: PictureStore;
  readonly service: PhotoService;
}

let rig: Rig;

async function online(printer: ReceiptPrinter): Promise<void> {
  if (printer.status().common.device === 'online') return;
  await new Promise<void>((resolve) => {
    const stop = printer.subscribe(() => {
      if (printer.status().common.device !== 'online') return;
      stop();
      resolve();
    });
  });
}

describe.skipIf(!evalFacesPresent)(`printing an ID photo sheet${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, { timeout: 60_000 }, () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-photo-print-'));
    // The stand-in as the build makes it, bundled whole so it runs from the temporary folder.
    const cups = join(dir, 'virtual-cups.mjs');
    await build({ entryPoints: [join(ROOT, 'device-daemon', 'src', 'entry', 'virtual-cups.ts')], outfile: cups, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
    const spool = join(dir, 'a4Printer-spool');
    const workDir = join(dir, 'print-work');
    const a4 = new DocumentPrinter({
      name: 'a4Printer',
      simulated: true,
      queue: 'A4',
      lp: [process.execPath, cups, spool, 'lp'],
      lpstat: [process.execPath, cups, spool, 'lpstat'],
      // Status is asked for explicitly below; the poll timer never matters.
      statusPollMs: 3_600_000,
      commandTimeoutMs: 30_000,
      workDir,
      backoff: { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0 },
      information: { modelName: 'virtual A4', revisionNumber: '', modelDescription: 'A4 printer (CUPS)' },
      log: silentLogger(),
    });
    await a4.checkHealth('external', signal);
    const sim = new VirtualPrinter('sim');
    const receipt = new ReceiptPrinter({
      name: 'receiptPrinter',
      simulated: true,
      createTransport: () => new MemoryTransport(sim.port, 'memory sim'),
      statusPollMs: 500,
      statusTimeoutMs: 200,
      openTimeoutMs: 1_000,
      jobTimeoutMs: 60_000,
      autoStatusBack: false,
      backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
      information: { modelName: 'test', serialNumber: '', revisionNumber: '', modelDescription: '' },
      log: silentLogger(),
    });
    const opened = openDatabase(join(dir, 'data'));
    if (!opened.ok) throw new Error(opened.error);
    const jobs = new PrintJobService(receipt, new PrintJobStore(opened.value), silentLogger(), { confirmTimeoutMs: 5_000, graceMs: 2_000, maxAttempts: 3 });
    receipt.open();
    jobs.start();
    await online(receipt);
    const receiptServices: PrinterServices = {
      printer: receipt,
      jobs,
      context: () => ({ terminalId: 'HZ-XH-0042', site: '西湖区转塘街道便民服务中心', hotline: '12345', profile: PAPER_80MM, now: new Date('2026-11-22T02:12:00Z') }),
    };
    const models = await loadFaceModels({ dir: join(ROOT, 'models'), threads: 2 });
    if (!models.ok) throw new Error(models.error);
    const analyzer = new FaceAnalyzer(models.value);
    const pictures = new PictureStore();
    const service = new PhotoService({
      modelsDir: join(ROOT, 'models'),
      threads: 2,
      analyzer: async () => ok(analyzer),
      pictures,
      views: new ViewStore(),
      documentPrinters: new Map([['a4Printer', a4]]),
      receiptPrinters: new Map([['receiptPrinter', receiptServices]]),
      terminalId: 'HZ-XH-0042',
      printTimeoutMs: 30_000,
      receiptWaitMs: 30_000,
      log: silentLogger(),
    });
    rig = { spool, workDir, a4, sim, receipt, jobs, db: opened.value, pictures, service };
  });

  afterAll(async () => {
    rig.service.clear();
    await rig.jobs.stop();
    await rig.receipt.close();
    await rig.a4.close();
    rig.db.close();
  });

  async function composed(): Promise<string> {
    const face = await decodeImage(readFileSync(evalFace('raj_4.png')));
    if (!face.ok) throw new Error(face.error);
    const pictureId = rig.pictures.put('faceCamera', await toJpeg(personStill(face.value, { width: 640, height: 480, faceWidth: 150 })));
    const result = await rig.service.compose({ source: { pictureId }, size: 'oneInch', background: 'blue' }, signal);
    if (!result.ok) throw new Error(result.error.message);
    return result.value.photoId;
  }

  const print = async (photoId: string, copies?: number) => {
    const handler = photoCommands(rig.service).find((c) => c.name === 'Photo.Print');
    if (handler?.name !== 'Photo.Print') throw new Error('no Photo.Print');
    expect(handler.device?.({ photoId })).toBe('a4Printer');
    return handler.handle({ signal, connectionId: 1, requestId: 1, emitEvent: () => undefined, payload: copies === undefined ? { photoId } : { photoId, copies } });
  };

  const pdfs = (): string[] => (existsSync(rig.spool) ? readdirSync(rig.spool).filter((f) => f.endsWith('.pdf')).sort() : []);

  it('prints one A4 sheet of the photo at 100 % and a receipt with the pickup code', async () => {
    const photoId = await composed();
    const outcome = await print(photoId);
    if (outcome.completionCode !== 'success') throw new Error(outcome.errorDescription);
    const { jobId, receiptJobId, pickupCode, photosPerSheet, sheets, receiptPrinted } = outcome.payload;
    expect({ jobId, sheets, photosPerSheet, receiptPrinted }).toEqual({ jobId: 'A4-1', sheets: 1, photosPerSheet: 49, receiptPrinted: true });
    expect(pickupCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(pdfs()).toEqual(['A4-1.pdf']);
    const doc = await getDocument({ data: new Uint8Array(readFileSync(join(rig.spool, 'A4-1.pdf'))), disableFontFace: true, standardFontDataUrl: `${join(ROOT, 'node_modules', 'pdfjs-dist', 'standard_fonts')}/` }).promise;
    expect(doc.numPages).toBe(1);
    const text = (await (await doc.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
    expect(text).toContain(`pickup code ${pickupCode}`);
    expect(JSON.parse(readFileSync(join(rig.spool, 'A4-1.json'), 'utf8'))).toEqual({ title: 'ID photo', options: ['media=A4', 'print-scaling=none'] });
    // The receipt: its job is printed, and the paper shows the code.
    expect(rig.jobs.get(receiptJobId ?? '')?.state).toBe('printed');
    expect(rig.sim.lines).toEqual(expect.arrayContaining(['证件照 ID PHOTO', pickupCode]));
    expect(rig.sim.lines.join('\n')).toMatch(/每张 Photos per sheet +49/);
    // No copy of the face on disk: lp's file is gone, and the photo stays in memory for a reprint.
    expect(readdirSync(rig.workDir)).toEqual([]);
    expect(rig.service.held).toBe(1);
  });

  it('says printerNotReady when the A4 printer is out of paper, prints nothing, and keeps the photo for another try', async () => {
    const photoId = await composed();
    const before = pdfs();
    const control = virtualCupsControl(rig.spool);
    expect((await control.apply({ action: 'stop', reason: 'Media empty or out of paper' })).ok).toBe(true);
    await rig.a4.checkHealth('external', signal);
    expect(rig.a4.status().common.device).toBe('userError');
    const lines = rig.sim.lines.length;
    const refused = await print(photoId, 2);
    expect(refused).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'printerNotReady', details: { photoId } });
    expect(pdfs()).toEqual(before);
    expect(rig.sim.lines.length).toBe(lines);
    expect((await control.apply({ action: 'start' })).ok).toBe(true);
    await rig.a4.checkHealth('external', signal);
    const retried = await print(photoId, 2);
    expect(retried).toMatchObject({ completionCode: 'success', payload: { sheets: 2, receiptPrinted: true } });
    const last = pdfs().at(-1) ?? '';
    const doc = await getDocument({ data: new Uint8Array(readFileSync(join(rig.spool, last))), disableFontFace: true, standardFontDataUrl: `${join(ROOT, 'node_modules', 'pdfjs-dist', 'standard_fonts')}/` }).promise;
    expect(doc.numPages).toBe(2);
  });

  it('says unknownPhoto for a photo that was discarded', async () => {
    const photoId = await composed();
    expect(rig.service.discard(photoId)).toBe(true);
    expect(await print(photoId)).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'unknownPhoto' });
  });
});
