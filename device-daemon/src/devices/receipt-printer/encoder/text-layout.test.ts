import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../testing/seeded-random';
import { displayWidth, labelValue, truncate, wrap } from './text-layout';

describe('text layout on 48 columns', () => {
  it('counts a two-byte character as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('缴费abc')).toBe(7);
    expect(displayWidth('￥12.50')).toBe(7);
  });

  it('wraps at spaces in Latin text and anywhere in Chinese', () => {
    expect(wrap('Supply the materials by the deadline', 16)).toEqual(['Supply the', 'materials by the', 'deadline']);
    expect(wrap('请在截止日期前补交上述材料', 10)).toEqual(['请在截止日', '期前补交上', '述材料']);
    expect(wrap('ab中', 3)).toEqual(['ab', '中']);
  });

  it('cuts with a mark that fits inside the line', () => {
    // … is a two-byte character: two columns.
    expect(truncate('ABCDEFGHIJ', 6)).toBe('ABCD…');
    expect(truncate('ABCDEF', 6)).toBe('ABCDEF');
    expect(truncate('一二三四五', 6, '>')).toBe('一二>');
  });

  it('puts label and value on one line when they fit, and wraps the label when not', () => {
    expect(labelValue('金额 Amount', '￥128.50', 30)).toEqual(['金额 Amount' + ' '.repeat(30 - 11 - 8) + '￥128.50']);
    expect(labelValue('A rather long label', 'VALUE-1234', 24)).toEqual(['A rather long label', ' '.repeat(14) + 'VALUE-1234']);
  });

  it('never lets a line overflow, whatever the text', () => {
    const random = seededRandom(48);
    const alphabet = ['a', 'B', ' ', '1', '-', '缴', '费', '￥', '，', 'W'];
    for (let i = 0; i < 2_000; i += 1) {
      const columns = 4 + Math.floor(random() * 60);
      const text = Array.from({ length: Math.floor(random() * 200) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      for (const line of wrap(text, columns)) expect(displayWidth(line)).toBeLessThanOrEqual(columns);
      expect(displayWidth(truncate(text, columns))).toBeLessThanOrEqual(columns);
      for (const line of labelValue(text.slice(0, 30), text.slice(30, 50), columns)) expect(displayWidth(line)).toBeLessThanOrEqual(columns);
    }
  });
});
