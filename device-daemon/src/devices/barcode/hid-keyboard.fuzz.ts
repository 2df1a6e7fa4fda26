// Fuzz target of the HID scanner's input: boot-keyboard reports (with or without a report id) in
// ragged chunks, through KeyboardDecoder.chunk as HidScanner feeds it, and the symbology of each
// line. Lines stay under their bound and hold only layout characters; a clean scan after the
// garbage comes out whole.
import { bytesFrom, expectThat, int, pick, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import { BOOT_REPORT_BYTES, KeyboardDecoder, keyUsages } from './hid-keyboard';
import { identifyScan } from './scan-text';

const MAX_LENGTH = 64;
const SYMBOLOGIES = new Set(['qr', 'code128', 'ean13', 'ean8', 'unknown']);
const LAYOUT = /^[ -~]*$/;

/** The reports that type `text` and then Enter: press, release for each key. */
function typed(text: string, reportId: number | undefined): Uint8Array {
  const keys = [...(keyUsages(text) ?? []), { usage: 0x28, shift: false }];
  const size = reportId === undefined ? 8 : 9;
  const out = new Uint8Array(keys.length * 2 * size);
  keys.forEach((key, k) => {
    const at = k * 2 * size;
    if (reportId !== undefined) {
      out[at] = reportId;
      out[at + size] = reportId;
    }
    const skip = reportId === undefined ? 0 : 1;
    out[at + skip] = key.shift ? 0x02 : 0;
    out[at + skip + 2] = key.usage;
  });
  return out;
}

const SAMPLE_TEXTS = [']Q1https://zwfw.example.cn/t/ABC123', '6901234567892', '96385074', ']C0SLIP-2026-000042', 'Hello, World!'];

// Typed once per report id: building reports through keyUsages is the slow part of an input.
const typedSamples = new Map<number | undefined, Uint8Array[]>();
function samplesFor(reportId: number | undefined): Uint8Array[] {
  let samples = typedSamples.get(reportId);
  if (!samples) {
    samples = SAMPLE_TEXTS.map((t) => typed(t, reportId));
    typedSamples.set(reportId, samples);
  }
  return samples;
}

export interface HidKeyboardInput {
  readonly reportId: number | undefined;
  readonly bytes: Uint8Array;
  readonly pieces: readonly number[];
  readonly gaps: readonly number[];
  readonly clean: string;
}

function generate(random: Random): HidKeyboardInput {
  const reportId = random() < 0.3 ? 1 + int(random, 3) : undefined;
  const samples = samplesFor(reportId);
  const text = Array.from({ length: int(random, 80) }, () => String.fromCharCode(0x20 + int(random, 0x5f))).join('');
  const bytes = random() < 0.3 ? typed(text, reportId) : bytesFrom(random, samples, 400);
  const pieces: number[] = [];
  const gaps: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    // Mostly whole reports, as node-hid delivers them; sometimes ragged.
    const size = random() < 0.8 ? (reportId === undefined ? 8 : 9) * (1 + int(random, 3)) : 1 + int(random, 20);
    pieces.push(size);
    gaps.push(random() < 0.05 ? 600 : int(random, 20));
    at += size;
  }
  return { reportId, bytes, pieces, gaps, clean: pick(random, SAMPLE_TEXTS) };
}

function check(input: HidKeyboardInput): void {
  const lines: string[] = [];
  const decoder = new KeyboardDecoder((line) => lines.push(line), { maxLength: MAX_LENGTH, maxGapMs: 500 });
  const withReportId = input.reportId !== undefined;
  let now = 0;
  // The same call HidScanner makes for each chunk its transport delivers.
  const feed = (bytes: Uint8Array): void => decoder.chunk(bytes, now, withReportId);
  let at = 0;
  input.pieces.forEach((piece, p) => {
    now += input.gaps[p] ?? 0;
    feed(input.bytes.subarray(at, at + piece));
    at += piece;
  });
  for (const line of lines) {
    expectThat(line.length > 0 && line.length <= MAX_LENGTH, `line of ${line.length} characters`);
    expectThat(LAYOUT.test(line), 'a line with a character the layout cannot type');
    const scan = identifyScan(line);
    expectThat(SYMBOLOGIES.has(scan.symbology) && line.endsWith(scan.text), 'scan text not well formed');
  }
  // An all-keys-up report, a pause, then a clean scan: it must come out whole.
  feed(new Uint8Array(BOOT_REPORT_BYTES + (withReportId ? 1 : 0)));
  now += 1000;
  const before = lines.length;
  feed(samplesFor(input.reportId)[SAMPLE_TEXTS.indexOf(input.clean)] ?? new Uint8Array(0));
  expectThat(lines.length === before + 1 && lines.at(-1) === input.clean, 'the clean scan after the input did not come out whole');
}

export const hidKeyboardTarget: FuzzTarget<HidKeyboardInput> = {
  name: 'hid-keyboard',
  generate,
  check,
  show: (input) => JSON.stringify({ reportId: input.reportId, pieces: input.pieces, gaps: input.gaps, clean: input.clean, hex: toHex(input.bytes) }),
};
