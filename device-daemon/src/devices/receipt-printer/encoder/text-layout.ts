// Column layout for 80 mm paper: 48 columns of Font A (12 dots) in 576 dots; a CJK character is
// 24 dots, two columns. Text that is too long wraps, or is cut with a mark; it never overflows.

/**
 * Width in columns, as the printer lays text out: a one-byte (ASCII) character takes one column of
 * Font A, a two-byte GB18030 character a full-width cell of two columns. Text is substituted
 * (encoder/gb18030) before it is measured.
 */
export function charWidth(ch: string): 1 | 2 {
  return (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    // A surrogate pair is one character: count it at its high half only.
    if (unit >= 0xdc00 && unit <= 0xdfff) continue;
    width += unit < 0x80 ? 1 : 2;
  }
  return width;
}

/** Breaks text into lines of at most `columns`, preferring breaks at spaces within Latin text. */
export function wrap(text: string, columns: number): string[] {
  if (!text.includes('\n') && displayWidth(text) <= columns) return [text.trimEnd()];
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let width = 0;
    let lastSpace = -1;
    for (const ch of paragraph) {
      const w = charWidth(ch);
      if (width + w > columns) {
        if (lastSpace > 0 && ch !== ' ') {
          const rest = line.slice(lastSpace + 1);
          lines.push(line.slice(0, lastSpace).trimEnd());
          line = rest;
          width = displayWidth(rest);
        } else {
          lines.push(line.trimEnd());
          line = '';
          width = 0;
        }
        lastSpace = -1;
        if (ch === ' ') continue;
      }
      if (ch === ' ') lastSpace = line.length;
      line += ch;
      width += w;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** Cuts text to `columns`, ending with the mark when something was cut. */
export function truncate(text: string, columns: number, mark = '…'): string {
  if (displayWidth(text) <= columns) return text;
  const room = columns - displayWidth(mark);
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (width + w > room) break;
    out += ch;
    width += w;
  }
  return out + mark;
}

/** A label on the left and a value on the right; the label wraps if both do not fit on one line. */
export function labelValue(label: string, value: string, columns: number): string[] {
  const valueWidth = displayWidth(value);
  if (valueWidth >= columns) return [...wrap(label, columns), ...wrap(value, columns)];
  const labelLines = wrap(label, columns);
  const last = labelLines[labelLines.length - 1] ?? '';
  const gap = columns - displayWidth(last) - valueWidth;
  if (gap >= 1) return [...labelLines.slice(0, -1), last + ' '.repeat(gap) + value];
  return [...labelLines, ' '.repeat(columns - valueWidth) + value];
}
