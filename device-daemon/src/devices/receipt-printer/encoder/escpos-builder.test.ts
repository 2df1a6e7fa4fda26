import { describe, expect, it } from 'vitest';
import { EscPosBuilder } from './escpos-builder';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ');

describe('EscPosBuilder', () => {
  it('writes the QR functions of GS ( k with pL pH counting the stored bytes plus 3', () => {
    // Epson: fn 65 model 2, fn 67 module size, fn 69 error correction (49 = M), fn 80 store, fn 81 print.
    const data = new TextEncoder().encode('https://a.cn/中');
    const bytes = new EscPosBuilder().qr(data, 6, 'M').build();
    expect(data.length).toBe(16);
    expect(hex(bytes)).toBe(
      [
        '1d 28 6b 04 00 31 41 32 00',
        '1d 28 6b 03 00 31 43 06',
        '1d 28 6b 03 00 31 45 31',
        '1d 28 6b 13 00 31 50 30 ' + hex(data),
        '1d 28 6b 03 00 31 51 30',
      ].join(' '),
    );
  });

  it('writes raster images, sizes, styles and cuts', () => {
    const bytes = new EscPosBuilder()
      .initialise()
      .chinese(true)
      .align('center')
      .bold(true)
      .size(2, 3)
      .raster({ width: 12, height: 2, bits: Uint8Array.of(0xff, 0xf0, 0x80, 0x10) })
      .feedLines(4)
      .cut(true)
      .build();
    expect(hex(bytes)).toBe('1b 40 1c 26 1b 61 01 1b 45 01 1d 21 12 1d 76 30 00 02 00 02 00 ff f0 80 10 1b 64 04 1d 56 42 00');
  });

  it('grows its buffer for large jobs', () => {
    const b = new EscPosBuilder();
    for (let i = 0; i < 10_000; i += 1) b.raw(0x41);
    expect(b.build().length).toBe(10_000);
  });
});
