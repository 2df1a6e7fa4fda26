// Photos being made, in memory only (face images are never written to disk): the claimed source
// still, what was measured of its face, and the photo as last composed. Each is forgotten a few
// minutes after it was last used, on Photo.Discard, or when a newer one needs the room; forgetting
// wipes the bytes.
import { randomBytes } from 'node:crypto';
import type { PhotoBackground, PhotoCompliance, PhotoSize } from '../protocol';
import type { FaceFindings } from './face-findings';

export interface ComposedVersion {
  readonly size: PhotoSize;
  readonly background: PhotoBackground;
  readonly jpeg: Buffer;
  readonly width: number;
  readonly height: number;
  readonly compliance: PhotoCompliance;
  /** Its preview in the view store, dropped with it. */
  readonly viewId: string;
}

export interface KeptPhoto {
  readonly id: string;
  readonly source: Buffer;
  findings: FaceFindings | undefined;
  composed: ComposedVersion | undefined;
  expiresAt: number;
}

export interface PhotoStoreOptions {
  readonly ttlMs: number;
  readonly maxPhotos: number;
  readonly now: () => number;
  /** Told of every photo forgotten (its bytes are wiped right after), e.g. to drop its preview. */
  readonly onForget?: (photo: KeptPhoto) => void;
}

export const DEFAULT_PHOTO_STORE: Omit<PhotoStoreOptions, 'onForget'> = { ttlMs: 5 * 60_000, maxPhotos: 4, now: () => Date.now() };

export class PhotoStore {
  readonly #photos = new Map<string, KeptPhoto>();
  readonly #options: PhotoStoreOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: Partial<PhotoStoreOptions> = {}) {
    this.#options = { ...DEFAULT_PHOTO_STORE, ...options };
  }

  /** Keeps a source still (the store owns and wipes it from now on); the oldest go when full. */
  add(source: Buffer): KeptPhoto {
    this.#sweep();
    while (this.#photos.size >= this.#options.maxPhotos) {
      const oldest = this.#photos.keys().next().value;
      if (oldest === undefined) break;
      this.#forget(oldest);
    }
    const photo: KeptPhoto = { id: randomBytes(16).toString('base64url'), source, findings: undefined, composed: undefined, expiresAt: 0 };
    this.#photos.set(photo.id, photo);
    this.touch(photo);
    return photo;
  }

  get(id: string): KeptPhoto | undefined {
    this.#sweep();
    return this.#photos.get(id);
  }

  /** The resident is still at it: the photo's few minutes start again. */
  touch(photo: KeptPhoto): void {
    photo.expiresAt = this.#options.now() + this.#options.ttlMs;
    // Most recently used last, so that eviction takes the one left longest.
    this.#photos.delete(photo.id);
    this.#photos.set(photo.id, photo);
    this.#schedule();
  }

  /** Replaces the composed version, wiping the one before. */
  setComposed(photo: KeptPhoto, version: ComposedVersion): void {
    const previous = photo.composed;
    photo.composed = version;
    if (previous) {
      this.#options.onForget?.({ ...photo, composed: previous });
      previous.jpeg.fill(0);
    }
  }

  /** Forgets one now; false when it was already gone. */
  drop(id: string): boolean {
    this.#sweep();
    if (!this.#photos.has(id)) return false;
    this.#forget(id);
    return true;
  }

  get size(): number {
    this.#sweep();
    return this.#photos.size;
  }

  clear(): void {
    for (const id of [...this.#photos.keys()]) this.#forget(id);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #sweep(): void {
    const now = this.#options.now();
    for (const [id, photo] of this.#photos) if (photo.expiresAt <= now) this.#forget(id);
  }

  /** Expiry does not wait for the next request: a face left behind is wiped on time. */
  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    let next = Infinity;
    for (const photo of this.#photos.values()) next = Math.min(next, photo.expiresAt);
    if (next === Infinity) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#sweep();
      this.#schedule();
    }, Math.max(0, next - this.#options.now()));
    this.#timer.unref?.();
  }

  #forget(id: string): void {
    const photo = this.#photos.get(id);
    if (!photo) return;
    this.#photos.delete(id);
    this.#options.onForget?.(photo);
    photo.source.fill(0);
    photo.composed?.jpeg.fill(0);
    photo.findings = undefined;
    photo.composed = undefined;
  }
}
