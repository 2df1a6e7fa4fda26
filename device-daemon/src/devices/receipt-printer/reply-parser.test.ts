import { describe, expect, it } from 'vitest';
import { PrinterReplyParser } from './reply-parser';

describe('PrinterReplyParser', () => {
  it('sorts DLE EOT replies, GS r replies and noise', () => {
    const parser = new PrinterReplyParser(false);
    expect(parser.feed(Uint8Array.of(0x12, 0x00, 0x1e, 0xff))).toEqual([
      { kind: 'dleEot', byte: 0x12 },
      { kind: 'processed', byte: 0x00 },
      { kind: 'dleEot', byte: 0x1e },
      { kind: 'noise', byte: 0xff },
    ]);
  });

  it('without ASB, a 0xx1xx00 byte is noise and does not swallow what follows', () => {
    const parser = new PrinterReplyParser(false);
    expect(parser.feed(Uint8Array.of(0x10, 0x00))).toEqual([
      { kind: 'noise', byte: 0x10 },
      { kind: 'processed', byte: 0x00 },
    ]);
  });

  it('with ASB, assembles the 4-byte block across reads', () => {
    const parser = new PrinterReplyParser(true);
    expect(parser.feed(Uint8Array.of(0x38, 0x00))).toEqual([]);
    expect(parser.feed(Uint8Array.of(0x0c, 0x00, 0x12))).toEqual([
      { kind: 'asb', bytes: [0x38, 0x00, 0x0c, 0x00] },
      { kind: 'dleEot', byte: 0x12 },
    ]);
  });

  it('with ASB, drops a header whose continuation is wrong and re-reads the byte', () => {
    const parser = new PrinterReplyParser(true);
    expect(parser.feed(Uint8Array.of(0x10, 0x12))).toEqual([
      { kind: 'noise', byte: 0x10 },
      { kind: 'dleEot', byte: 0x12 },
    ]);
  });

  it('with ASB, a header dropped after some continuation bytes gives those bytes back as GS r replies', () => {
    // Found by the fuzz run: the bytes held after the header were lost, so a processed marker could
    // go missing.
    const parser = new PrinterReplyParser(true);
    expect(parser.feed(Uint8Array.of(0x10, 0x00, 0x0c, 0x80))).toEqual([
      { kind: 'noise', byte: 0x10 },
      { kind: 'processed', byte: 0x00 },
      { kind: 'processed', byte: 0x0c },
      { kind: 'noise', byte: 0x80 },
    ]);
  });
});
