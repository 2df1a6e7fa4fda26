// Fuzz target of the GA 467 frame decoder: random and mutated frames fed in random pieces. It must
// never throw, never hold more than its bound, and still find an intact frame that follows.
import { bytesFrom, expectThat, int, randomBytes, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import { encodeFrame, encodeRequest, MAX_BUFFER, SamFrameDecoder } from './sam-frame';

const GOOD = encodeFrame(Uint8Array.of(0x00, 0x00, 0x90));

const SAMPLES: readonly Uint8Array[] = [
  GOOD,
  encodeRequest(0x20, 0x01),
  encodeRequest(0x30, 0x01),
  encodeFrame(Uint8Array.of(0x00, 0x00, 0x9f, 0x00, 0x00, 0x00, 0x00)),
  encodeFrame(Uint8Array.from({ length: 1295 }, (_, i) => (i * 7) & 0xff)),
  Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x0a, 0x00),
  Uint8Array.of(0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff),
];

export interface SamFrameInput {
  readonly minLen: 2 | 4;
  readonly bytes: Uint8Array;
  /** Sizes of the pieces the bytes arrive in. */
  readonly pieces: readonly number[];
}

function generate(random: Random): SamFrameInput {
  const kind = random();
  let bytes: Uint8Array;
  if (kind < 0.1) bytes = Uint8Array.from({ length: 64 }, (_, j) => [0xaa, 0x96, 0x69, 0x00, 0xff][(j + int(random, 5)) % 5] ?? 0);
  else if (kind < 0.3) bytes = encodeFrame(randomBytes(random, 1300));
  else bytes = bytesFrom(random, SAMPLES, 3000);
  const pieces: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + int(random, random() < 0.5 ? 8 : 700);
    pieces.push(size);
    at += size;
  }
  return { minLen: random() < 0.5 ? 4 : 2, bytes, pieces };
}

function check(input: SamFrameInput): void {
  const decoder = new SamFrameDecoder(input.minLen);
  let at = 0;
  for (const size of input.pieces) {
    const events = decoder.feed(input.bytes.subarray(at, at + size));
    at += size;
    expectThat(decoder.buffered <= MAX_BUFFER, `decoder holds ${decoder.buffered} bytes, over ${MAX_BUFFER}`);
    for (const event of events) {
      expectThat(['frame', 'checksumError', 'lengthError', 'skipped'].includes(event.kind), `unknown event ${event.kind}`);
      if (event.kind === 'frame') expectThat(event.body.length + 1 >= input.minLen, `frame body of ${event.body.length} bytes under minLen`);
    }
  }
  // Garbage may leave a half-frame pending with a large declared length; enough bytes complete or
  // reject it, and the intact frame after them must come out.
  decoder.feed(new Uint8Array(MAX_BUFFER));
  const events = decoder.feed(GOOD);
  expectThat(
    events.some((e) => e.kind === 'frame' && e.body.length === 3 && e.body[2] === 0x90),
    'the intact frame after the input was not found',
  );
}

export const samFrameTarget: FuzzTarget<SamFrameInput> = {
  name: 'sam-frame',
  generate,
  check,
  show: (input) => JSON.stringify({ minLen: input.minLen, pieces: input.pieces, hex: toHex(input.bytes) }),
};
