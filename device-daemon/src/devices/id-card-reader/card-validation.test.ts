import { describe, expect, it } from 'vitest';
import type { CardText } from './card-text';
import { realDate, todayInChina, validateCard } from './card-validation';
import { gb11643CheckChar, gb11643Valid } from './id-number';

const WLT = Uint8Array.from({ length: 1024 }, (_, i) => [0x57, 0x4c, 0x66][i] ?? 0);
const TODAY = '2026-11-22';

const resident: CardText = {
  type: 'resident',
  name: '张三',
  sexCode: '1',
  nationCode: '01',
  birth: '19850409',
  address: '某地',
  idNumber: '310112198504095227',
  authority: '某局',
  validFrom: '20150101',
  validTo: '20350101',
};

describe('GB 11643 check digit', () => {
  it('accepts published valid numbers and refuses a published invalid one', () => {
    for (const n of ['230127197908177456', '310112198504095227', '34052419800101001X']) expect(gb11643Valid(n), n).toBe(true);
    expect(gb11643Valid('340524198001010013')).toBe(false);
    expect(gb11643CheckChar('34052419800101001')).toBe('X');
    expect(gb11643Valid('31011219850409522')).toBe(false);
  });
});

describe('validateCard', () => {
  it('passes a sound resident card', () => {
    const v = validateCard({ ...resident, sexCode: '2' }, WLT, TODAY);
    expect(v.problems).toEqual([]);
    expect(v.expired).toBe(false);
    expect(v.record).toMatchObject({ birthDate: '1985-04-09', validFrom: '2015-01-01', validTo: '2035-01-01', sex: '女', nation: '汉' });
    expect(Object.values(v.checks).every((c) => c === 'pass')).toBe(true);
  });

  it('reports an expired card as expired, not as a problem', () => {
    const v = validateCard({ ...resident, sexCode: '2', validTo: '20261121' }, WLT, TODAY);
    expect([v.expired, v.checks.notExpired, v.problems]).toEqual([true, 'fail', []]);
    const lastDay = validateCard({ ...resident, sexCode: '2', validTo: '20261122' }, WLT, TODAY);
    expect(lastDay.expired).toBe(false);
    const longTerm = validateCard({ ...resident, sexCode: '2', validTo: '长期' }, WLT, TODAY);
    expect([longTerm.expired, longTerm.record.validTo]).toEqual([false, '长期']);
  });

  it('finds a wrong check digit, a birth date that is not the number\'s, and sex against parity', () => {
    expect(validateCard({ ...resident, sexCode: '2', idNumber: '310112198504095228' }, WLT, TODAY).problems).toContain('idNumberCheckDigit failed');
    expect(validateCard({ ...resident, sexCode: '2', birth: '19850410' }, WLT, TODAY).problems).toEqual(['birthDateMatchesNumber failed']);
    expect(validateCard(resident, WLT, TODAY).problems).toEqual(['sexMatchesNumber failed']);
    expect(validateCard({ ...resident, sexCode: '7' }, WLT, TODAY).problems).toEqual(['sex code "7" is not 0, 1, 2 or 9']);
    expect(validateCard({ ...resident, sexCode: '9' }, WLT, TODAY).checks.sexMatchesNumber).toBe('notApplicable');
  });

  it('refuses dates that do not exist or run backwards', () => {
    expect(realDate('20230229')).toBeUndefined();
    expect(realDate('20240229')).toBe('2024-02-29');
    expect(validateCard({ ...resident, sexCode: '2', validFrom: '20150231' }, WLT, TODAY).problems).toEqual(['datesValid failed']);
    expect(validateCard({ ...resident, sexCode: '2', validTo: '20100101' }, WLT, TODAY).problems).toEqual(['datesValid failed']);
  });

  it('checks each layout by its own number rules', () => {
    const hmt: CardText = { ...resident, type: 'hmtPermit', sexCode: '1', birth: '19900721', idNumber: '810000199007210070', nationCode: undefined };
    expect(validateCard(hmt, WLT, TODAY).problems).toEqual([]);
    expect(validateCard({ ...hmt, idNumber: '330106199007210071' }, WLT, TODAY).checks.idNumberFormat).toBe('fail');
    const y: CardText = { ...resident, type: 'foreignPermanent2023', sexCode: '2', birth: '19881205', idNumber: '931724198812050025', nationality: 'ESP' };
    expect(validateCard(y, WLT, TODAY).problems).toEqual([]);
    expect(validateCard({ ...y, idNumber: '331724198812050023' }, WLT, TODAY).checks.idNumberFormat).toBe('fail');
    const i: CardText = { type: 'foreignPermanent2017', name: '', englishName: 'X', sexCode: '1', birth: '19850301', idNumber: 'USA310085030101', nationality: 'USA', validFrom: '20170901', validTo: '20270901' };
    const v = validateCard(i, WLT, TODAY);
    expect([v.problems, v.checks.idNumberCheckDigit, v.checks.birthDateMatchesNumber]).toEqual([[], 'notApplicable', 'notApplicable']);
    expect(validateCard({ ...i, nationality: 'CAN' }, WLT, TODAY).problems).toEqual(['idNumberFormat failed']);
  });

  it('notes unknown nation codes and a photo without the WLT header without refusing the card', () => {
    const v = validateCard({ ...resident, sexCode: '2', nationCode: '60' }, new Uint8Array(1024), TODAY);
    expect([v.checks.nationCodeKnown, v.checks.photoHeader, v.problems, v.record.nation]).toEqual(['fail', 'fail', [], '未知(60)']);
  });
});

describe('todayInChina', () => {
  it('is the date in China, not in UTC', () => {
    expect(todayInChina(new Date('2026-11-21T16:30:00Z'))).toBe('2026-11-22');
    expect(todayInChina(new Date('2026-11-21T15:30:00Z'))).toBe('2026-11-21');
  });
});
