// The face service: loads the verified models once, and runs one face check at a time against a
// reference photo (the card's, while the card is on the reader). A model that fails its sha256
// leaves the service unavailable with the file named; the rest of the daemon runs on.
import { Listeners, type Unsubscribe } from '../core/listeners';
import { err, ok, type Result } from '../core/result';
import type { Camera } from '../devices/camera/camera';
import type { IdCardReader } from '../devices/id-card-reader/id-card-reader';
import type { Logger } from '../log/logger';
import type { FaceErrorCode, FaceVerifyCompletion } from '../protocol';
import { FaceAnalyzer } from './face-analyzer';
import { verifyFace, type VerificationEvents, type VerificationOptions } from './face-verification';
import { decodeImage, wipe, type RgbImage } from './image';
import { loadFaceModels } from './model-loader';

export type FaceServiceState = { readonly kind: 'loading' } | { readonly kind: 'ready' } | { readonly kind: 'unavailable'; readonly reason: string };

export type FaceReference = { readonly kind: 'card'; readonly readId: string; readonly device?: string | undefined } | { readonly kind: 'platform'; readonly readId: string };

/** The platform's identity photo of a card read's holder (JPEG), or why there is none. */
export type PlatformPhotoSource = (readId: string, signal: AbortSignal) => Promise<Result<Uint8Array, string>>;

export interface FaceFailure {
  readonly code: FaceErrorCode | 'canceled';
  readonly message: string;
}

export interface FaceServiceOptions {
  readonly modelsDir: string;
  readonly threads: number;
  readonly verification: Omit<VerificationOptions, 'passive'>;
  readonly cameras: ReadonlyMap<string, Camera>;
  /** The face camera by name; the first with the face role when absent. */
  readonly camera: string | undefined;
  readonly readers: ReadonlyMap<string, IdCardReader>;
  readonly log: Logger;
}

export interface FaceCheckRecord {
  readonly outcome: 'verified' | 'notVerified' | FaceFailure['code'];
  readonly livenessFailure?: string;
  readonly ms: number;
}

export class FaceService {
  #state: FaceServiceState = { kind: 'loading' };
  #analyzer: FaceAnalyzer | undefined;
  #loading: Promise<void> | undefined;
  #busy = false;
  #passive: VerificationOptions['passive'];
  #platformPhotos: PlatformPhotoSource | undefined;
  readonly #checks = new Listeners<FaceCheckRecord>('face check');
  /** Card reads whose holder passed a face check, until the card leaves the reader. */
  readonly #verified = new Set<string>();

  constructor(private readonly options: FaceServiceOptions) {
    for (const reader of options.readers.values()) {
      reader.subscribe((n) => {
        if (n.kind === 'event' && n.name === 'IdCard.CardRemoved' && typeof n.payload['readId'] === 'string') this.#verified.delete(n.payload['readId']);
      });
    }
  }

  /** Whether the holder of this card read passed a face check (and the card is still there). */
  isVerified(readId: string): boolean {
    return this.#verified.has(readId);
  }

  get state(): FaceServiceState {
    return this.#state;
  }

  get analyzer(): FaceAnalyzer | undefined {
    return this.#analyzer;
  }

  /** Each finished check's outcome, for metrics: nothing biometric. */
  onCheck(listener: (record: FaceCheckRecord) => void): Unsubscribe {
    return this.#checks.subscribe(listener);
  }

  /** Loads and verifies the models; resolves when the service is ready or known to be unavailable. */
  start(): Promise<void> {
    this.#loading ??= (async () => {
      const models = await loadFaceModels({ dir: this.options.modelsDir, threads: this.options.threads });
      if (!models.ok) {
        this.#state = { kind: 'unavailable', reason: models.error };
        this.options.log.error({ reason: models.error }, 'face service unavailable');
        return;
      }
      this.#analyzer = new FaceAnalyzer(models.value);
      this.#state = { kind: 'ready' };
      this.options.log.info('face models loaded and verified');
    })();
    return this.#loading;
  }

  /** Where platform reference photos come from, once the backends are up. */
  setPlatformPhotos(source: PlatformPhotoSource): void {
    this.#platformPhotos = source;
  }

  /** The optional passive layer, once it is loaded. */
  setPassiveCheck(check: VerificationOptions['passive']): void {
    this.#passive = check;
  }

  /** Marks the service unavailable (a passive check that was configured but cannot load). */
  disable(reason: string): void {
    this.#state = { kind: 'unavailable', reason };
    this.options.log.error({ reason }, 'face service unavailable');
  }

  faceCamera(name?: string): Camera | undefined {
    const wanted = name ?? this.options.camera;
    if (wanted !== undefined) return this.options.cameras.get(wanted);
    return [...this.options.cameras.values()].find((c) => c.role === 'face');
  }

  async verify(reference: FaceReference, cameraName: string | undefined, events: VerificationEvents, signal: AbortSignal): Promise<Result<FaceVerifyCompletion, FaceFailure>> {
    const started = performance.now();
    const result = await this.#verify(reference, cameraName, events, signal);
    const record: FaceCheckRecord = result.ok
      ? { outcome: result.value.verified ? 'verified' : 'notVerified', ...(result.value.liveness.reason ? { livenessFailure: result.value.liveness.reason } : {}), ms: performance.now() - started }
      : { outcome: result.error.code, ms: performance.now() - started };
    this.#checks.emit(record);
    return result;
  }

  async #verify(reference: FaceReference, cameraName: string | undefined, events: VerificationEvents, signal: AbortSignal): Promise<Result<FaceVerifyCompletion, FaceFailure>> {
    await this.start();
    const analyzer = this.#analyzer;
    if (!analyzer || this.#state.kind !== 'ready') return err({ code: 'faceServiceUnavailable', message: this.#state.kind === 'unavailable' ? this.#state.reason : 'face models are not loaded' });
    if (this.#busy) return err({ code: 'busy', message: 'a face check is already running' });
    const camera = this.faceCamera(cameraName);
    if (!camera) return err({ code: 'cameraNotReady', message: cameraName === undefined ? 'this terminal has no face camera' : `there is no camera named ${cameraName}` });
    if (camera.status().common.device !== 'online') return err({ code: 'cameraNotReady', message: `camera ${camera.name} is ${camera.status().common.device}` });
    this.#busy = true;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let unsubscribe: Unsubscribe | undefined;
    let photo: RgbImage | undefined;
    try {
      const device = reference.kind === 'card' ? reference.device : undefined;
      const reader = device === undefined ? [...this.options.readers.values()].find((r) => r.session(reference.readId)) : this.options.readers.get(device);
      const session = reader?.session(reference.readId);
      if (!reader || !session) return err({ code: 'noReference', message: 'the card of that read is no longer on the reader' });
      // Card removal ends the check, as it ends the resident's session.
      let removed = false;
      unsubscribe = reader.subscribe((n) => {
        if (n.kind === 'event' && n.name === 'IdCard.CardRemoved' && n.payload['readId'] === reference.readId) {
          removed = true;
          stop.abort();
        }
      });
      if (reference.kind === 'platform') {
        if (!this.#platformPhotos) return err({ code: 'noReference', message: 'no platform is configured for reference photos' });
        const fetched = await this.#platformPhotos(reference.readId, stop.signal);
        if (!fetched.ok) return err({ code: 'noReference', message: `the platform gave no photo: ${fetched.error}` });
        const decoded = await decodeImage(fetched.value);
        fetched.value.fill(0);
        if (!decoded.ok) return err({ code: 'noReference', message: 'the platform photo is not an image' });
        photo = decoded.value;
      } else {
        if (!session.photo) return err({ code: 'noReference', message: `the card photo is not available: ${session.photoError?.message ?? 'no photo'}` });
        photo = { width: session.photo.width, height: session.photo.height, data: Uint8Array.from(session.photo.rgb) };
      }
      const analysis = await analyzer.analyse(photo, { tightCrop: true, maxMeshes: 1, eyes: false });
      if (analysis.detections.length > 1) return err({ code: 'referenceMultipleFaces', message: 'the reference photo shows more than one face' });
      const face = analysis.faces[0];
      if (!face) return err({ code: 'referenceNoFace', message: 'no face was found in the reference photo' });
      const descriptor = await analyzer.describe(analysis.image, face);
      if (analysis.image !== photo) wipe(analysis.image);
      try {
        const result = await verifyFace(analyzer, descriptor, camera, events, stop.signal, { ...this.options.verification, passive: this.#passive });
        if (result.ok) {
          if (result.value.verified && reader.session(reference.readId)) this.#verified.add(reference.readId);
          return result;
        }
        if (removed) return err({ code: 'cardRemoved', message: 'the card was taken from the reader' });
        return err({ code: result.error.code === 'canceled' ? 'canceled' : result.error.code, message: result.error.message });
      } finally {
        descriptor.fill(0);
      }
    } finally {
      wipe(photo);
      unsubscribe?.();
      signal.removeEventListener('abort', onAbort);
      this.#busy = false;
    }
  }
}
