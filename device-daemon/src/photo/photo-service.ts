// The ID photo service (J2): takes a face-camera still over from the camera's store, composes it in
// the size and background asked for (again and again without a retake), previews it once through the
// view store, and prints it as an A4 sheet with a receipt. One composition runs at a time: the
// models are shared with the face check and the kiosk has two cores.
import { deadline, reasonOf } from '../core/deadline';
import { Listeners, type Unsubscribe } from '../core/listeners';
import { err, ok, type Result } from '../core/result';
import type { PictureStore } from '../devices/camera/picture-store';
import type { DocumentPrinter } from '../devices/document-printer/document-printer';
import type { PrinterServices } from '../devices/receipt-printer/printer-commands';
import { renderTemplate } from '../devices/receipt-printer/templates/registry';
import { chinaTime } from '../devices/receipt-printer/templates/template';
import { FaceAnalyzer } from '../face/face-analyzer';
import { loadFaceModels, loadModel } from '../face/model-loader';
import type { Logger } from '../log/logger';
import type { CommandPayload, PhotoComposeCompletion, PhotoErrorCode, PhotoPrintCompletion } from '../protocol';
import type { ViewStore } from '../server/view-store';
import { pickupCode } from './pickup-code';
import { composePhoto, type PhotoModels } from './photo-composer';
import { renderPhotoSheet } from './photo-sheet';
import { PHOTO_SPECS } from './photo-spec';
import { PhotoStore, type KeptPhoto, type PhotoStoreOptions } from './photo-store';
import { Segmenter } from './segmenter';

export type PhotoServiceState = { readonly kind: 'loading' } | { readonly kind: 'ready' } | { readonly kind: 'unavailable'; readonly reason: string };

export interface PhotoFailure {
  /** unreadable: the still is not a picture (a camera fault); canceled/timeout: the command's signal. */
  readonly code: PhotoErrorCode | 'unreadable' | 'canceled' | 'timeout';
  readonly message: string;
  readonly faces?: number;
  readonly photoId?: string;
}

/** Each finished command's outcome, for metrics: nothing about the face. */
export interface PhotoRecord {
  readonly kind: 'compose' | 'print';
  /** compose: ok, issues, or the failure; print: printed, or the failure. */
  readonly outcome: string;
  readonly ms: number;
  readonly sheets?: number;
}

export interface PhotoServiceOptions {
  readonly modelsDir: string;
  readonly threads: number;
  /** The face service's analyzer, shared when the face check runs; else this service loads its own. */
  readonly analyzer?: () => Promise<Result<FaceAnalyzer, string>>;
  readonly pictures: PictureStore;
  readonly views: ViewStore;
  readonly documentPrinters: ReadonlyMap<string, DocumentPrinter>;
  readonly receiptPrinters: ReadonlyMap<string, PrinterServices>;
  readonly terminalId: string;
  /** Bounds handing the sheet to the A4 printer. */
  readonly printTimeoutMs: number;
  /** How long Photo.Print waits for the receipt before answering without it (it prints later). */
  readonly receiptWaitMs: number;
  readonly store?: Partial<Omit<PhotoStoreOptions, 'onForget'>>;
  readonly now?: () => number;
  readonly log: Logger;
}

type ComposeRequest = CommandPayload<'Photo.Compose'>;

const stopped = (signal: AbortSignal): PhotoFailure => {
  const reason = reasonOf(signal);
  return { code: reason.kind === 'timeout' ? 'timeout' : 'canceled', message: reason.message };
};

export class PhotoService {
  #state: PhotoServiceState = { kind: 'loading' };
  #loading: Promise<void> | undefined;
  #models: PhotoModels | undefined;
  #turn: Promise<unknown> = Promise.resolve();
  readonly #store: PhotoStore;
  readonly #records = new Listeners<PhotoRecord>('photo record');
  readonly #now: () => number;

  constructor(private readonly options: PhotoServiceOptions) {
    this.#now = options.now ?? ((): number => Date.now());
    this.#store = new PhotoStore({
      ...options.store,
      now: this.#now,
      onForget: (photo) => {
        if (photo.composed) options.views.drop(photo.composed.viewId);
      },
    });
  }

  get state(): PhotoServiceState {
    return this.#state;
  }

  /** Photos held now (for tests and the status report). */
  get held(): number {
    return this.#store.size;
  }

  onRecord(listener: (record: PhotoRecord) => void): Unsubscribe {
    return this.#records.subscribe(listener);
  }

  /** The A4 printer sheets go to: the first configured. */
  documentPrinter(): DocumentPrinter | undefined {
    return this.options.documentPrinters.values().next().value;
  }

  /** Loads the segmentation model (sha256-checked) and the face models; resolves ready or unavailable. */
  start(): Promise<void> {
    this.#loading ??= (async () => {
      const { modelsDir: dir, threads } = this.options;
      const selfie = await loadModel('selfie', { dir, threads });
      if (!selfie.ok) return this.#unavailable(selfie.error);
      const analyzer = this.options.analyzer ? await this.options.analyzer() : await ownAnalyzer(dir, threads);
      if (!analyzer.ok) {
        await selfie.value.release();
        return this.#unavailable(analyzer.error);
      }
      this.#models = { analyzer: analyzer.value, segmenter: new Segmenter(selfie.value) };
      this.#state = { kind: 'ready' };
      this.options.log.info('photo models loaded and verified');
    })();
    return this.#loading;
  }

  async compose(request: ComposeRequest, signal: AbortSignal): Promise<Result<PhotoComposeCompletion, PhotoFailure>> {
    const started = performance.now();
    const result = await this.#compose(request, signal);
    this.#records.emit({ kind: 'compose', outcome: result.ok ? (result.value.compliance.ok ? 'ok' : 'issues') : result.error.code, ms: performance.now() - started });
    return result;
  }

  async print(photoId: string, sheets: number, signal: AbortSignal): Promise<Result<PhotoPrintCompletion, PhotoFailure>> {
    const started = performance.now();
    const result = await this.#print(photoId, sheets, signal);
    this.#records.emit({ kind: 'print', outcome: result.ok ? 'printed' : result.error.code, ms: performance.now() - started, ...(result.ok ? { sheets } : {}) });
    return result;
  }

  /** Forgets a photo now; false when it was already gone. */
  discard(photoId: string): boolean {
    return this.#store.drop(photoId);
  }

  clear(): void {
    this.#store.clear();
  }

  async #compose(request: ComposeRequest, signal: AbortSignal): Promise<Result<PhotoComposeCompletion, PhotoFailure>> {
    await this.start();
    const models = this.#models;
    if (!models) return err({ code: 'photoServiceUnavailable', message: this.#state.kind === 'unavailable' ? this.#state.reason : 'the photo models are not loaded' });
    if (signal.aborted) return err(stopped(signal));
    let photo: KeptPhoto;
    let fresh = false;
    if ('pictureId' in request.source) {
      // Claimed only once the service can use it: a picture is not lost to a service that is down.
      const jpeg = this.options.pictures.claim([request.source.pictureId])?.[0];
      if (!jpeg) return err({ code: 'pictureGone', message: 'the picture is gone (used already, or taken more than a few minutes ago): take another' });
      photo = this.#store.add(jpeg);
      fresh = true;
    } else {
      const kept = this.#store.get(request.source.photoId);
      if (!kept) return err({ code: 'unknownPhoto', message: 'no such photo: it was discarded or forgotten after a few minutes' });
      photo = kept;
    }
    const { size, background } = request;
    const composed = await this.#exclusive(async () => {
      if (signal.aborted) return err({ code: 'aborted' as const });
      // A copy: a discard while this runs wipes the kept source, not what the decoder reads.
      const source = Buffer.from(photo.source);
      try {
        return await composePhoto(models, source, photo.findings, size, background);
      } finally {
        source.fill(0);
      }
    });
    if (!composed.ok) {
      if (fresh) this.#store.drop(photo.id);
      const failure = composed.error;
      if (failure.code === 'aborted') return err(stopped(signal));
      if (failure.code === 'unreadable') return err({ code: 'unreadable', message: `the still cannot be decoded: ${failure.message}` });
      if (failure.code === 'noFace') return err({ code: 'noFace', message: 'no face was found in the picture' });
      return err({ code: 'multipleFaces', message: `${failure.faces} faces are in the picture: one person at a time`, faces: failure.faces });
    }
    const { jpeg, width, height, compliance, findings } = composed.value;
    if (signal.aborted) {
      // Canceled changes nothing: the version before stays, a fresh still is let go.
      jpeg.fill(0);
      if (fresh) this.#store.drop(photo.id);
      return err(stopped(signal));
    }
    if (this.#store.get(photo.id) !== photo) {
      jpeg.fill(0);
      return err({ code: 'unknownPhoto', message: 'the photo was discarded while it was being composed' });
    }
    photo.findings = findings;
    // The view store gets its own copy: it wipes its bytes on its own schedule.
    const viewId = this.options.views.put(Buffer.from(jpeg), 'image/jpeg');
    this.#store.setComposed(photo, { size, background, jpeg, width, height, compliance, viewId });
    this.#store.touch(photo);
    this.options.log.info({ photoId: photo.id, size, background, issues: compliance.issues }, 'photo composed');
    return ok({ photoId: photo.id, url: `/view/${viewId}`, width, height, size, background, compliance });
  }

  async #print(photoId: string, sheets: number, signal: AbortSignal): Promise<Result<PhotoPrintCompletion, PhotoFailure>> {
    const photo = this.#store.get(photoId);
    const version = photo?.composed;
    if (!photo || !version) return err({ code: 'unknownPhoto', message: 'no such photo: it was discarded or forgotten after a few minutes' });
    const printer = this.documentPrinter();
    if (!printer) return err({ code: 'printerNotReady', message: 'this terminal has no A4 printer', photoId });
    const state = printer.status().common.device;
    if (state !== 'online') return err({ code: 'printerNotReady', message: `the A4 printer is ${state}${printer.status().documentPrinter?.reason ? ` (${printer.status().documentPrinter?.reason})` : ''}`, photoId });
    const spec = PHOTO_SPECS[version.size];
    const code = pickupCode();
    const printedAt = new Date(this.#now());
    const jpeg = Buffer.from(version.jpeg);
    const sheet = await renderPhotoSheet(jpeg, spec, sheets, { size: version.size, background: version.background, pickupCode: code, terminalId: this.options.terminalId, printedAt: chinaTime(printedAt) });
    jpeg.fill(0);
    const guard = deadline(signal, this.options.printTimeoutMs, 'photo sheet');
    // At 100 %: fitting the page to the printable area would shrink every photo by a few per cent.
    const printed = await printer.print(sheet.pdf, 'ID photo', guard.signal, { scaling: 'none' });
    guard.dispose();
    sheet.pdf.fill(0);
    this.#store.touch(photo);
    if (!printed.ok) {
      const { code: failed, message } = printed.error;
      if (failed === 'timeout' || failed === 'canceled') return err({ code: failed, message });
      return err({ code: failed, message, photoId });
    }
    this.options.log.info({ photoId, jobId: printed.value.jobId, sheets, perSheet: sheet.layout.perSheet }, 'photo sheet printed');
    const receipt = await this.#receipt({ size: version.size, background: version.background, sheets, photosPerSheet: sheet.layout.perSheet, pickupCode: code, printedAt: printedAt.toISOString() }, signal);
    return ok({ jobId: printed.value.jobId, receiptJobId: receipt.jobId, pickupCode: code, photosPerSheet: sheet.layout.perSheet, sheets, receiptPrinted: receipt.printed });
  }

  /** The receipt is stored as a durable job; a receipt printer out of paper prints it after the refill. */
  async #receipt(data: Record<string, unknown>, signal: AbortSignal): Promise<{ jobId: string | null; printed: boolean }> {
    const services = this.options.receiptPrinters.values().next().value;
    if (!services) return { jobId: null, printed: false };
    const bytes = await renderTemplate('photo-receipt', data, services.context());
    if (!bytes.ok) {
      // Our own data failing our own template is a bug; the sheet is out, so the resident still gets it.
      this.options.log.error({ reason: bytes.error.message }, 'photo receipt could not be rendered');
      return { jobId: null, printed: false };
    }
    const job = services.jobs.submit('photo-receipt', bytes.value);
    const wait = deadline(signal, this.options.receiptWaitMs, 'photo receipt');
    const settled = await services.jobs.settled(job.id, wait.signal);
    wait.dispose();
    return { jobId: job.id, printed: settled?.state === 'printed' };
  }

  #unavailable(reason: string): void {
    this.#state = { kind: 'unavailable', reason };
    this.options.log.error({ reason }, 'photo service unavailable');
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(work, work);
    this.#turn = run.catch(() => undefined);
    return run;
  }
}

async function ownAnalyzer(dir: string, threads: number): Promise<Result<FaceAnalyzer, string>> {
  const models = await loadFaceModels({ dir, threads });
  return models.ok ? ok(new FaceAnalyzer(models.value)) : models;
}
