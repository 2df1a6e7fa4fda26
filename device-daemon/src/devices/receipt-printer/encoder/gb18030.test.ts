import { describe, expect, it } from 'vitest';
import { encodeGb18030, gb18030Code, printable, substitute } from './gb18030';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('GB18030 for the printer font', () => {
  it('sends ASCII as one byte and Chinese as the two-byte GB codes', () => {
    // 中 is D6 D0 and 文 CE C4 in GB2312/GBK/GB18030 alike.
    expect(hex(encodeGb18030('A中文1').bytes)).toBe('41d6d0cec431');
    expect(gb18030Code('缴'.codePointAt(0) ?? 0)).toBe(0xbdc9);
  });

  it('swaps characters without a two-byte code for look-alikes that have one', () => {
    // ¥ would be the four-byte 81 30 84 36, which GBK fonts print as junk; ￥ is A3 A4.
    expect(substitute('¥12•3™')).toBe('￥12·3(TM)');
    expect(hex(encodeGb18030('¥').bytes)).toBe('a3a4');
    expect(gb18030Code(0xa5)).toBeUndefined();
  });

  it('reports what it cannot send instead of sending garbage', () => {
    // U+20000, a CJK Extension B character found in rare names: four bytes in GB18030.
    const encoded = encodeGb18030('王𠀀明');
    expect(encoded.unencodable).toEqual(['𠀀']);
    expect(hex(encoded.bytes)).toBe('cdf5c3f7');
    expect(printable('王𠀀明')).toBe(false);
    expect(printable('王￥明¥')).toBe(true);
  });
});
