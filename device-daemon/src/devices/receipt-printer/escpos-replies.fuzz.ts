// Fuzz target of what a receipt printer sends back: the reply sorter (DLE EOT, Automatic Status
// Back, GS r, noise) over random bytes in random pieces, and the status decoders over what it
// sorts. Every byte is accounted for exactly once; nothing throws.
import { bytesFrom, expectThat, int, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import { decodeAutoStatusBack, decodeDleEot, decodePaperSensor, isDleEotReply, printerCondition } from './escpos-status';
import { PrinterReplyParser, type PrinterReply } from './reply-parser';

const SAMPLES = [Uint8Array.of(0x16, 0x12, 0x12, 0x12), Uint8Array.of(0x12, 0x00), Uint8Array.of(0x38, 0x00, 0x0c, 0x00), Uint8Array.of(0x14, 0x40, 0x0f, 0x00, 0x12), Uint8Array.of(0x1e, 0x32, 0x72, 0x7e)];

export interface EscposInput {
  readonly autoStatusBack: boolean;
  readonly bytes: Uint8Array;
  readonly pieces: readonly number[];
}

function generate(random: Random): EscposInput {
  const bytes = bytesFrom(random, SAMPLES, 64);
  const pieces: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + int(random, 6);
    pieces.push(size);
    at += size;
  }
  return { autoStatusBack: random() < 0.5, bytes, pieces };
}

const size = (r: PrinterReply): number => (r.kind === 'asb' ? 4 : 1);

function check(input: EscposInput): void {
  const parser = new PrinterReplyParser(input.autoStatusBack);
  const replies: PrinterReply[] = [];
  let at = 0;
  for (const piece of input.pieces) {
    replies.push(...parser.feed(input.bytes.subarray(at, at + piece)));
    at += piece;
  }
  // 0xff is never an ASB continuation: whatever was held comes out.
  replies.push(...parser.feed(Uint8Array.of(0xff)));
  const accounted = replies.reduce((n, r) => n + size(r), 0);
  expectThat(accounted === input.bytes.length + 1, `${accounted} bytes in replies for ${input.bytes.length + 1} fed`);
  const dleEot: number[] = [];
  for (const reply of replies) {
    if (reply.kind === 'dleEot') {
      expectThat(isDleEotReply(reply.byte), `0x${reply.byte.toString(16)} sorted as DLE EOT`);
      dleEot.push(reply.byte);
    } else if (reply.kind === 'asb') {
      expectThat(input.autoStatusBack, 'an ASB block without ASB enabled');
      const sensors = decodeAutoStatusBack(reply.bytes);
      expectThat(sensors.ok, 'a sorted ASB block does not decode');
      expectThat(printerCondition(sensors.value).printer.paper.length > 0, 'no paper state');
    } else if (reply.kind === 'processed') {
      expectThat((reply.byte & 0x90) === 0, `0x${reply.byte.toString(16)} sorted as GS r`);
      const paper = decodePaperSensor(reply.byte);
      expectThat(typeof paper.end === 'boolean' && typeof paper.nearEnd === 'boolean', 'paper sensor not boolean');
    }
  }
  // The decoders on anything, including what was not sorted as theirs.
  const raw = Array.from(input.bytes.subarray(0, 4));
  for (const bytes of [raw, dleEot.slice(0, 4)]) {
    const a = decodeDleEot(bytes);
    const b = decodeAutoStatusBack(bytes);
    if (a.ok) printerCondition(a.value);
    if (b.ok) printerCondition(b.value);
    expectThat(bytes.length === 4 || (!a.ok && !b.ok), 'decoded fewer than 4 bytes');
  }
}

export const escposRepliesTarget: FuzzTarget<EscposInput> = {
  name: 'escpos-replies',
  generate,
  check,
  show: (input) => JSON.stringify({ asb: input.autoStatusBack, pieces: input.pieces, hex: toHex(input.bytes) }),
};
