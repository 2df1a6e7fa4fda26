// Pictures made for the resident's screen (an ID photo to approve, a certificate's preview): held in
// memory for a few minutes, served to the UI with the per-boot token, then wiped.
import { randomBytes } from 'node:crypto';

interface Held {
  readonly bytes: Buffer;
  readonly type: string;
  readonly expiresAt: number;
}

export class ViewStore {
  readonly #held = new Map<string, Held>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly maxEntries = 32,
    private readonly now: () => number = () => Date.now(),
  ) {}

  put(bytes: Buffer, type: string): string {
    this.#sweep();
    while (this.#held.size >= this.maxEntries) this.#drop(this.#held.keys().next().value ?? '');
    const id = randomBytes(16).toString('base64url');
    this.#held.set(id, { bytes, type, expiresAt: this.now() + this.ttlMs });
    return id;
  }

  get(id: string): { bytes: Buffer; type: string } | undefined {
    this.#sweep();
    const held = this.#held.get(id);
    return held ? { bytes: held.bytes, type: held.type } : undefined;
  }

  /** Forgets (and wipes) one now: the resident moved on. */
  drop(id: string): void {
    this.#drop(id);
  }

  clear(): void {
    for (const id of [...this.#held.keys()]) this.#drop(id);
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, held] of this.#held) if (held.expiresAt <= now) this.#drop(id);
  }

  #drop(id: string): void {
    this.#held.get(id)?.bytes.fill(0);
    this.#held.delete(id);
  }
}
