// USB HID scanners in keyboard mode send boot-keyboard reports: a modifier byte, a reserved byte
// and up to six key usages; a key press is a report with the key, its release a report without. A
// scan is the characters typed up to Enter (or Tab). US layout, as scanners ship configured.
const SHIFT = 0x22; // left or right shift
const ENTER = 0x28;
const KEYPAD_ENTER = 0x58;
const TAB = 0x2b;

const PLAIN: Record<number, string> = {};
const SHIFTED: Record<number, string> = {};
for (let i = 0; i < 26; i += 1) {
  PLAIN[0x04 + i] = String.fromCharCode(0x61 + i);
  SHIFTED[0x04 + i] = String.fromCharCode(0x41 + i);
}
const ROW = '1234567890';
const ROW_SHIFTED = '!@#$%^&*()';
for (let i = 0; i < 10; i += 1) {
  PLAIN[0x1e + i] = ROW[i]!;
  SHIFTED[0x1e + i] = ROW_SHIFTED[i]!;
}
const PUNCTUATION: ReadonlyArray<[number, string, string]> = [
  [0x2c, ' ', ' '],
  [0x2d, '-', '_'],
  [0x2e, '=', '+'],
  [0x2f, '[', '{'],
  [0x30, ']', '}'],
  [0x31, '\\', '|'],
  [0x33, ';', ':'],
  [0x34, "'", '"'],
  [0x35, '`', '~'],
  [0x36, ',', '<'],
  [0x37, '.', '>'],
  [0x38, '/', '?'],
  [0x54, '/', '/'],
  [0x55, '*', '*'],
  [0x56, '-', '-'],
  [0x57, '+', '+'],
  [0x63, '.', '.'],
];
for (const [usage, plain, shifted] of PUNCTUATION) {
  PLAIN[usage] = plain;
  SHIFTED[usage] = shifted;
}
for (let i = 0; i < 9; i += 1) {
  PLAIN[0x59 + i] = String(i + 1);
  SHIFTED[0x59 + i] = String(i + 1);
}
PLAIN[0x62] = '0';
SHIFTED[0x62] = '0';

/** The usages (and shift) that type `text`, for the simulator. Characters the layout lacks are refused. */
export function keyUsages(text: string): Array<{ usage: number; shift: boolean }> | undefined {
  const keys: Array<{ usage: number; shift: boolean }> = [];
  for (const char of text) {
    const plain = Object.entries(PLAIN).find(([usage, c]) => c === char && Number(usage) < 0x54);
    const shifted = plain ? undefined : Object.entries(SHIFTED).find(([usage, c]) => c === char && Number(usage) < 0x54);
    const found = plain ?? shifted;
    if (!found) return undefined;
    keys.push({ usage: Number(found[0]), shift: plain === undefined });
  }
  return keys;
}

/** A boot keyboard's input report: modifiers, reserved, six key usages. */
export const BOOT_REPORT_BYTES = 8;

export interface KeyboardDecoderOptions {
  /** Longest scan kept; a longer one is dropped whole. */
  readonly maxLength: number;
  /** Characters further apart than this are not one scan: the partial line is dropped. */
  readonly maxGapMs: number;
}

export class KeyboardDecoder {
  #line = '';
  #overflow = false;
  #pressed = new Set<number>();
  #lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly options: KeyboardDecoderOptions = { maxLength: 4096, maxGapMs: 500 },
  ) {}

  /**
   * A chunk as the transport delivers it: whole boot reports, each after a one-byte report id when
   * the device numbers its reports. A trailing partial report is dropped, not carried over: node-hid
   * delivers whole reports, so a ragged tail is noise.
   */
  chunk(bytes: Uint8Array, at: number, withReportId: boolean): void {
    const skip = withReportId ? 1 : 0;
    const size = BOOT_REPORT_BYTES + skip;
    for (let i = 0; i + size <= bytes.length; i += size) this.report(bytes.subarray(i + skip, i + size), at);
  }

  /** One 8-byte boot report (without a report id), received at `at` ms. */
  report(bytes: Uint8Array, at: number): void {
    if (bytes.length < BOOT_REPORT_BYTES) return;
    if (at - this.#lastAt > this.options.maxGapMs && this.#line !== '') this.#reset();
    this.#lastAt = at;
    const shift = (bytes[0]! & SHIFT) !== 0;
    const now = new Set<number>();
    for (let i = 2; i < BOOT_REPORT_BYTES; i += 1) if (bytes[i]! > 0x03) now.add(bytes[i]!);
    for (const usage of now) {
      // Only a key that was not down in the last report is a new keystroke.
      if (this.#pressed.has(usage)) continue;
      this.#key(usage, shift);
    }
    this.#pressed = now;
  }

  #key(usage: number, shift: boolean): void {
    if (usage === ENTER || usage === KEYPAD_ENTER || usage === TAB) {
      const line = this.#line;
      const overflow = this.#overflow;
      this.#reset();
      if (line !== '' && !overflow) this.onLine(line);
      return;
    }
    const char = (shift ? SHIFTED : PLAIN)[usage];
    if (char === undefined) return;
    if (this.#line.length >= this.options.maxLength) this.#overflow = true;
    else this.#line += char;
  }

  #reset(): void {
    this.#line = '';
    this.#overflow = false;
  }
}
