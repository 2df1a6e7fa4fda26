// Fuzz target of the MJPEG splitter over what ffmpeg's pipe may carry: whole, cut, mutated and
// spliced JPEG streams and random bytes, in random chunks. Every frame it gives is SOI..EOI and
// within the bound; nothing throws; after the garbage a clean frame still comes out byte for byte.
import { bytesFrom, expectThat, int, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import { JpegSplitter } from './jpeg-splitter';

/** A hand-made frame: a table segment, a scan with a stuffed FF 00, a restart marker, fill before EOI. */
const SYNTHETIC = Uint8Array.of(0xff, 0xd8, 0xff, 0xdb, 0x00, 0x04, 0xff, 0xd9, 0xff, 0xda, 0x00, 0x03, 0x01, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd3, 0x56, 0xff, 0xff, 0xd9);

/** A frame with an APP1 segment carrying a whole thumbnail (SOI..EOI inside), as EXIF does. */
function withThumbnail(): Uint8Array {
  const payload = Buffer.concat([Buffer.from('Exif\0\0'), SYNTHETIC]);
  const app1 = Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  return Uint8Array.from(Buffer.concat([SYNTHETIC.subarray(0, 2), app1, payload, SYNTHETIC.subarray(2)]));
}

const SAMPLES = [SYNTHETIC, withThumbnail(), Uint8Array.from(Buffer.concat([SYNTHETIC, SYNTHETIC])), Uint8Array.of(0xff, 0xd8, 0xff, 0xc0, 0xff, 0xff)];

export interface JpegInput {
  readonly maxFrameBytes: number;
  readonly bytes: Uint8Array;
  readonly pieces: readonly number[];
}

function generate(random: Random): JpegInput {
  const bytes = bytesFrom(random, SAMPLES, 600);
  const pieces: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + int(random, random() < 0.5 ? 4 : 200);
    pieces.push(size);
    at += size;
  }
  return { maxFrameBytes: random() < 0.5 ? 64 + int(random, 2000) : 16 * 1024 * 1024, bytes, pieces };
}

function check(input: JpegInput): void {
  const frames: Buffer[] = [];
  const splitter = new JpegSplitter((frame) => frames.push(frame), input.maxFrameBytes);
  let at = 0;
  for (const piece of input.pieces) {
    splitter.push(Buffer.from(input.bytes.subarray(at, at + piece)));
    at += piece;
  }
  for (const frame of frames) {
    expectThat(frame.length >= 4 && frame[0] === 0xff && frame[1] === 0xd8 && frame.at(-2) === 0xff && frame.at(-1) === 0xd9, 'a frame that is not SOI..EOI');
    expectThat(frame.length <= input.maxFrameBytes, `a frame of ${frame.length} bytes over ${input.maxFrameBytes}`);
  }
  expectThat(splitter.stats.frames === frames.length, 'frame count differs from the frames given');
  // Zeros end any segment being skipped (at most 64 KiB) and any bad marker; then a clean frame.
  splitter.push(Buffer.alloc(70_000));
  const before = frames.length;
  splitter.push(Buffer.from(SYNTHETIC));
  expectThat(frames.length === before + 1 && Buffer.from(SYNTHETIC).equals(frames.at(-1) ?? Buffer.alloc(0)), 'the clean frame after the input did not come out whole');
}

export const jpegSplitterTarget: FuzzTarget<JpegInput> = {
  name: 'jpeg-splitter',
  generate,
  check,
  show: (input) => JSON.stringify({ maxFrameBytes: input.maxFrameBytes, pieces: input.pieces, hex: toHex(input.bytes) }),
};
