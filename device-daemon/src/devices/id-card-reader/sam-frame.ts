// GA 467 SAM frames: AA AA AA 96 69 | LEN (big-endian, bytes after it including the checksum) |
// body | CHK, where CHK is the XOR of LEN and body. The decoder resynchronises after stray bytes,
// reassembles frames split across reads, and never holds more than a bound. It syncs on the last
// four preamble bytes (AA AA 96 69): readers have been seen to drop a stray byte into the AA run.

export const PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);

/** The largest LEN accepted: a 30 10 reply with a 1024-byte fingerprint block is 0x090A. */
export const MAX_LEN = 0x0a00;

/** Buffered bytes at most: one largest frame plus slack for the start of the next. */
export const MAX_BUFFER = MAX_LEN + 7 + 64;

export function xorChecksum(bytes: Uint8Array, from: number, to: number): number {
  let x = 0;
  for (let i = from; i < to; i += 1) x ^= bytes[i] ?? 0;
  return x;
}

/** A request: CMD PARA [DATA]. */
export function encodeRequest(cmd: number, para: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return encodeFrame(Uint8Array.of(cmd, para, ...data));
}

/** Frames any body (a request's CMD PARA DATA or a response's SW1 SW2 SW3 DATA). */
export function encodeFrame(body: Uint8Array): Uint8Array {
  const len = body.length + 1;
  const frame = new Uint8Array(len + 7);
  frame.set(PREAMBLE, 0);
  frame[5] = (len >> 8) & 0xff;
  frame[6] = len & 0xff;
  frame.set(body, 7);
  frame[frame.length - 1] = xorChecksum(frame, 5, frame.length - 1);
  return frame;
}

export type FrameEvent =
  | { readonly kind: 'frame'; readonly body: Uint8Array }
  | { readonly kind: 'checksumError'; readonly expected: number; readonly actual: number }
  | { readonly kind: 'lengthError'; readonly len: number }
  | { readonly kind: 'skipped'; readonly bytes: number };

const SYNC = Uint8Array.of(0xaa, 0xaa, 0x96, 0x69);

/** Where the next sync (AA AA 96 69) starts, or -1. */
function indexOfSync(b: Uint8Array, from: number): number {
  outer: for (let i = from; i + SYNC.length <= b.length; i += 1) {
    for (let j = 0; j < SYNC.length; j += 1) if (b[i + j] !== SYNC[j]) continue outer;
    return i;
  }
  return -1;
}

/** How many bytes at the end of `b` could be the start of a sync. */
function partialSyncAtEnd(b: Uint8Array): number {
  for (let n = Math.min(SYNC.length - 1, b.length); n > 0; n -= 1) {
    let match = true;
    for (let j = 0; j < n; j += 1) if (b[b.length - n + j] !== SYNC[j]) match = false;
    if (match) return n;
  }
  return 0;
}

export class SamFrameDecoder {
  #buffer = new Uint8Array(0);

  /** @param minLen 4 for responses (SW1 SW2 SW3 CHK), 2 for requests (sleep and wake are CMD CHK). */
  constructor(private readonly minLen = 4) {}

  get buffered(): number {
    return this.#buffer.length;
  }

  reset(): void {
    this.#buffer = new Uint8Array(0);
  }

  feed(bytes: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    const joined = new Uint8Array(this.#buffer.length + bytes.length);
    joined.set(this.#buffer, 0);
    joined.set(bytes, this.#buffer.length);
    let b = joined;
    let skipped = 0;
    for (;;) {
      const sync = indexOfSync(b, 0);
      if (sync < 0) {
        const keep = partialSyncAtEnd(b);
        // Leading AAs of a preamble still to come are not garbage.
        let aa = 0;
        while (aa < b.length - keep && b[b.length - keep - 1 - aa] === 0xaa) aa += 1;
        skipped += b.length - keep - aa;
        b = b.slice(b.length - keep - aa);
        break;
      }
      // The AA bytes right before the sync belong to the preamble.
      let start = sync;
      while (start > 0 && b[start - 1] === 0xaa) start -= 1;
      if (start > 0) {
        skipped += start;
        b = b.subarray(start);
      }
      const at = sync - start;
      if (b.length < at + 6) break;
      const len = ((b[at + 4] ?? 0) << 8) | (b[at + 5] ?? 0);
      if (len < this.minLen || len > MAX_LEN) {
        events.push({ kind: 'lengthError', len });
        // Not a frame after all: look for the next sync after this one.
        b = b.subarray(at + 1);
        continue;
      }
      const total = at + 6 + len;
      if (b.length < total) break;
      const actual = b[total - 1] ?? 0;
      const expected = xorChecksum(b, at + 4, total - 1);
      if (actual !== expected) {
        events.push({ kind: 'checksumError', expected, actual });
        b = b.subarray(at + 1);
        continue;
      }
      events.push({ kind: 'frame', body: b.slice(at + 6, total - 1) });
      b = b.subarray(total);
    }
    if (skipped > 0) events.unshift({ kind: 'skipped', bytes: skipped });
    // Bounded: a frame can never be longer than MAX_BUFFER, so older bytes cannot belong to one.
    this.#buffer = b.length > MAX_BUFFER ? b.slice(b.length - MAX_BUFFER) : b.slice();
    return events;
  }
}
