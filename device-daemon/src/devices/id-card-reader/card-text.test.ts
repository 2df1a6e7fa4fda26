import { describe, expect, it } from 'vitest';
import { decodeTextBlock } from './card-text';

// Blocks written here field by field from the published layouts (offset, bytes), independently of
// the simulator's encoder: UCS-2 little-endian, padded with U+0020.
function block(fields: readonly [number, number, string][], typeChar: number | undefined): Uint8Array {
  const b = new Uint8Array(256);
  for (let i = 0; i < 256; i += 2) b[i] = 0x20;
  for (const [offset, length, text] of fields) {
    expect(text.length * 2).toBeLessThanOrEqual(length);
    for (let i = 0; i < text.length; i += 1) {
      b[offset + 2 * i] = text.charCodeAt(i) & 0xff;
      b[offset + 2 * i + 1] = text.charCodeAt(i) >> 8;
    }
  }
  if (typeChar !== undefined) {
    b[248] = typeChar;
    b[249] = 0;
  }
  return b;
}

describe('decodeTextBlock', () => {
  it('decodes a resident card, with 长期 validity', () => {
    // 长期 is 7F 95 1F 67 followed by six spaces, as on real cards.
    const b = block(
      [
        [0, 30, '赵 小 燕'],
        [30, 2, '2'],
        [32, 4, '01'],
        [36, 16, '19700101'],
        [52, 70, '江苏省南京市鼓楼区示例路9号'],
        [122, 36, '320106197001010028'],
        [158, 30, '南京市公安局鼓楼分局'],
        [188, 16, '20100101'],
        [204, 16, '长期'],
      ],
      undefined,
    );
    expect([b[204], b[205], b[206], b[207], b[208], b[209]]).toEqual([0x7f, 0x95, 0x1f, 0x67, 0x20, 0x00]);
    expect(decodeTextBlock(b)).toEqual({
      ok: true,
      value: {
        type: 'resident',
        name: '赵 小 燕',
        sexCode: '2',
        nationCode: '01',
        birth: '19700101',
        address: '江苏省南京市鼓楼区示例路9号',
        idNumber: '320106197001010028',
        authority: '南京市公安局鼓楼分局',
        validFrom: '20100101',
        validTo: '长期',
      },
    });
  });

  it('decodes a Hong Kong/Macau/Taiwan residence permit (J)', () => {
    const b = block(
      [
        [0, 30, '林志明'],
        [30, 2, '1'],
        [36, 16, '19880808'],
        [52, 70, '福建省厦门市思明区示例街1号'],
        [122, 36, '830000198808080011'],
        [158, 30, '厦门市公安局'],
        [188, 16, '20200101'],
        [204, 16, '20250101'],
        [220, 18, '00012345'],
        [238, 4, '02'],
      ],
      0x4a,
    );
    const decoded = decodeTextBlock(b);
    expect(decoded.ok && decoded.value).toMatchObject({ type: 'hmtPermit', name: '林志明', idNumber: '830000198808080011', passNumber: '00012345', issueCount: '02' });
    expect(decoded.ok && decoded.value.nationCode).toBeUndefined();
  });

  it('decodes a 2017 permanent residence card (I), keeping spaces inside the English name', () => {
    const b = block(
      [
        [0, 120, 'OKAFOR, CHIDI  EMEKA'],
        [120, 2, '1'],
        [122, 30, 'NGA110085051501'],
        [152, 6, 'NGA'],
        [158, 30, '奥卡福'],
        [188, 16, '20180101'],
        [204, 16, '20280101'],
        [220, 16, '19850515'],
        [236, 4, '17'],
        [240, 8, '1100'],
      ],
      0x49,
    );
    expect(decodeTextBlock(b)).toEqual({
      ok: true,
      value: {
        type: 'foreignPermanent2017',
        englishName: 'OKAFOR, CHIDI  EMEKA',
        sexCode: '1',
        idNumber: 'NGA110085051501',
        nationality: 'NGA',
        name: '奥卡福',
        validFrom: '20180101',
        validTo: '20280101',
        birth: '19850515',
        cardVersion: '17',
        authorityCode: '1100',
      },
    });
  });

  it('decodes a 2023 permanent residence card (Y), joining the English name across its two fields', () => {
    const english = 'NGUYEN THI, HUONG LAN MARIE-CLAIRE ANNE';
    const b = block(
      [
        [0, 30, '阮香兰'],
        [30, 2, '2'],
        [32, 4, '01'],
        [36, 16, '19900202'],
        [52, 70, english.slice(0, 35)],
        [122, 36, '931704199002020026'],
        [188, 16, '20240101'],
        [204, 16, '20340101'],
        [220, 22, english.slice(35)],
        [242, 6, 'VNM'],
        [250, 6, '000'],
      ],
      0x59,
    );
    const decoded = decodeTextBlock(b);
    expect(decoded.ok && decoded.value).toMatchObject({
      type: 'foreignPermanent2023',
      name: '阮香兰',
      englishName: english,
      renewalCount: '01',
      idNumber: '931704199002020026',
      nationality: 'VNM',
      previousNumberLink: '000',
    });
  });

  it('trims trailing padding only, spaces and NULs alike', () => {
    const b = block([[0, 30, '  王五']], undefined);
    b[10] = 0;
    b[11] = 0;
    const decoded = decodeTextBlock(b);
    expect(decoded.ok && decoded.value.name).toBe('  王五');
  });

  it('refuses an unknown type letter, bad UTF-16, control characters and a wrong size', () => {
    expect(decodeTextBlock(block([], 0x58))).toEqual({ ok: false, error: { code: 'unknownCardType', message: "type character 'X' at byte 248 is not a known card layout" } });
    const wide = block([], undefined);
    wide[249] = 0x4e;
    expect(decodeTextBlock(wide)).toMatchObject({ ok: false, error: { code: 'unknownCardType' } });
    const lone = block([[0, 30, '王五']], undefined);
    lone[4] = 0x00;
    lone[5] = 0xdc;
    expect(decodeTextBlock(lone)).toEqual({ ok: false, error: { code: 'invalidCardData', message: 'name is not valid UTF-16' } });
    const control = block([[52, 70, 'a\u0007b']], undefined);
    expect(decodeTextBlock(control)).toEqual({ ok: false, error: { code: 'invalidCardData', message: 'address holds control characters' } });
    const nulInside = block([[0, 30, 'ab']], undefined);
    nulInside[6] = 0x43;
    nulInside[2] = 0;
    nulInside[3] = 0;
    expect(decodeTextBlock(nulInside)).toEqual({ ok: false, error: { code: 'invalidCardData', message: 'name holds a NUL inside its text' } });
    expect(decodeTextBlock(new Uint8Array(255))).toMatchObject({ ok: false, error: { code: 'invalidCardData' } });
  });
});
