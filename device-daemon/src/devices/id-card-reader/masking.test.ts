import { describe, expect, it } from 'vitest';
import { maskCard, maskLatinName, maskName, maskNumber } from './masking';

describe('masking', () => {
  it('keeps the surname, the first three and last four of the number, and the birth year', () => {
    expect(maskName('张伟明')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('李');
    expect(maskLatinName('SMITH, JOHN ROBERT')).toBe('S****, J*** R*****');
    expect(maskNumber('330106198504091230')).toBe('330***********1230');
    expect(maskNumber('USA310085030101')).toBe('USA********0101');
    expect(maskNumber('123')).toBe('***');
  });

  it('masks a whole record, leaving no full name, number or birth date', () => {
    const masked = maskCard(
      { type: 'foreignPermanent2017', name: '', englishName: 'SMITH, JOHN', sex: '男', sexCode: '1', birthDate: '1985-03-01', idNumber: 'USA310085030101', validFrom: '2017-09-01', validTo: '2027-09-01' },
      false,
    );
    expect(masked).toEqual({ type: 'foreignPermanent2017', name: 'S****, J***', englishName: 'S****, J***', sex: '男', idNumber: 'USA********0101', birthYear: '1985', validFrom: '2017-09-01', validTo: '2027-09-01', expired: false });
    expect(JSON.stringify(masked)).not.toMatch(/SMITH|JOHN|1985-03-01|310085/);
  });
});
