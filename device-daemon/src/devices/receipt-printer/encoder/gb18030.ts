// GB18030 for the printer's resident Chinese font: ASCII as one byte, everything else as a two-byte
// pair. Four-byte GB18030 sequences exist (for ¥, •, rare name characters in CJK Extension B) but
// printers with GBK-only fonts print them as junk, so they are never sent: a character without a
// two-byte code is swapped for a look-alike that has one, or reported so the caller can print it
// as an image. The table is built once from the platform's GB18030 decoder.

let table: Map<number, number> | undefined;

function buildTable(): Map<number, number> {
  const decoder = new TextDecoder('gb18030');
  const map = new Map<number, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead += 1) {
    for (let trail = 0x40; trail <= 0xfe; trail += 1) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const text = decoder.decode(pair);
      const cp = text.codePointAt(0);
      if (cp !== undefined && text.length === 1 && cp !== 0xfffd && !map.has(cp)) map.set(cp, (lead << 8) | trail);
    }
  }
  return map;
}

/** Look-alikes with a two-byte code, for characters that have none. */
const SUBSTITUTES: ReadonlyMap<string, string> = new Map([
  ['¥', '￥'],
  ['•', '·'],
  ['‧', '·'],
  ['™', '(TM)'],
  ['©', '(C)'],
  ['®', '(R)'],
  ['\u00a0', ' '],
  ['\u2009', ' '],
  ['\u202f', ' '],
  ['\u3000', '  '],
  ['–', '-'],
  ['‐', '-'],
  ['−', '-'],
  ['€', 'EUR'],
  ['✓', '√'],
  ['✔', '√'],
  ['✗', '×'],
  ['✘', '×'],
]);

export function gb18030Code(cp: number): number | undefined {
  if (cp < 0x80) return cp;
  table ??= buildTable();
  return table.get(cp);
}

/** Whether every character prints from the font (one or two bytes), after substitution. */
export function printable(text: string): boolean {
  for (const ch of substitute(text)) if (gb18030Code(ch.codePointAt(0) ?? 0) === undefined) return false;
  return true;
}

const NEEDS_SUBSTITUTE = new RegExp(`[${[...SUBSTITUTES.keys()].join('')}]`, 'u');

export function substitute(text: string): string {
  if (!NEEDS_SUBSTITUTE.test(text)) return text;
  let out = '';
  for (const ch of text) out += SUBSTITUTES.get(ch) ?? ch;
  return out;
}

export interface Encoded {
  readonly bytes: Uint8Array;
  /** Characters that have no one- or two-byte code even after substitution; not in `bytes`. */
  readonly unencodable: readonly string[];
}

/** Encodes text (after substitution), skipping and reporting what cannot be sent. */
export function encodeGb18030(text: string): Encoded {
  const source = substitute(text);
  const bytes = new Uint8Array(source.length * 2);
  let unencodable: string[] | undefined;
  let n = 0;
  for (let i = 0; i < source.length; i += 1) {
    const unit = source.charCodeAt(i);
    if (unit < 0x80) {
      bytes[n++] = unit;
      continue;
    }
    // Surrogate pairs (CJK Extension B and beyond) have no two-byte code.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < source.length) {
      (unencodable ??= []).push(source.slice(i, i + 2));
      i += 1;
      continue;
    }
    const code = gb18030Code(unit);
    if (code === undefined) {
      (unencodable ??= []).push(source[i] ?? '');
      continue;
    }
    bytes[n++] = code >> 8;
    bytes[n++] = code & 0xff;
  }
  return { bytes: bytes.subarray(0, n), unencodable: unencodable ?? [] };
}
