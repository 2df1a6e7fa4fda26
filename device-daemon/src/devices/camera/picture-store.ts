// Stills taken with Camera.TakePicture wait here, in memory only: the UI may show each once, and an
// application claims the ones it submits; whatever is left is wiped after a few minutes: a picture
// of someone's documents is not kept a moment longer.
import { randomBytes } from 'node:crypto';

interface Held {
  readonly jpeg: Buffer;
  readonly device: string;
  readonly expiresAt: number;
  viewed: boolean;
}

export class PictureStore {
  readonly #pictures = new Map<string, Held>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly maxPictures = 16,
    private readonly now: () => number = () => Date.now(),
  ) {}

  put(device: string, jpeg: Buffer): string {
    this.#sweep();
    while (this.#pictures.size >= this.maxPictures) {
      const oldest = this.#pictures.keys().next().value;
      if (oldest === undefined) break;
      this.#drop(oldest);
    }
    const id = randomBytes(16).toString('base64url');
    this.#pictures.set(id, { jpeg, device, expiresAt: this.now() + this.ttlMs, viewed: false });
    return id;
  }

  /** A copy for the screen, once per picture; the caller wipes it after sending. */
  view(device: string, id: string): Buffer | undefined {
    this.#sweep();
    const held = this.#pictures.get(id);
    if (!held || held.device !== device || held.viewed) return undefined;
    held.viewed = true;
    return Buffer.from(held.jpeg);
  }

  /** Hands pictures over to an application, all or none; the store forgets them. The caller wipes them. */
  claim(ids: readonly string[]): Buffer[] | undefined {
    this.#sweep();
    if (!ids.every((id) => this.#pictures.has(id))) return undefined;
    return ids.map((id) => {
      const held = this.#pictures.get(id);
      this.#pictures.delete(id);
      return held?.jpeg ?? Buffer.alloc(0);
    });
  }

  get size(): number {
    this.#sweep();
    return this.#pictures.size;
  }

  clear(): void {
    for (const id of [...this.#pictures.keys()]) this.#drop(id);
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, held] of this.#pictures) if (held.expiresAt <= now) this.#drop(id);
  }

  #drop(id: string): void {
    this.#pictures.get(id)?.jpeg.fill(0);
    this.#pictures.delete(id);
  }
}
