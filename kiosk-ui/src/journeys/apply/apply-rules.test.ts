import { describe, expect, it } from 'vitest';
import type { FormField } from './apply-item';
import { addWorkingDays, chinaDate, dateFromDigits, digitsOfDate, fieldProblem } from './apply-rules';

const field = (type: FormField['type'], extra: Partial<FormField> = {}): FormField => ({ key: 'f', label: { zh: '项', en: 'Field' }, type, required: true, ...extra });

describe('J5 form and deadline rules', () => {
  it('checks each kind of value', () => {
    expect(fieldProblem(field('phone'), '')).toBe('required');
    expect(fieldProblem(field('phone', { required: false }), ' ')).toBeUndefined();
    expect(fieldProblem(field('phone'), '23800138000')).toBe('phone');
    expect(fieldProblem(field('phone'), '13800138000')).toBeUndefined();
    expect(fieldProblem(field('number'), '12.5')).toBeUndefined();
    expect(fieldProblem(field('number'), '1.2.3')).toBe('number');
    expect(fieldProblem(field('date'), '2024-02-30')).toBe('date');
    expect(fieldProblem(field('date'), '2024-02-29')).toBeUndefined();
    expect(fieldProblem(field('select', { options: [{ value: 'a', label: { zh: '甲', en: 'A' } }] }), 'b')).toBe('option');
    expect(fieldProblem(field('text', { maxLength: 4 }), '12345')).toBe('tooLong');
  });

  it('types a date as eight digits and reads it back', () => {
    expect(dateFromDigits('2024013')).toBe('2024013');
    expect(dateFromDigits('20240131')).toBe('2024-01-31');
    expect(digitsOfDate('2024-01-31')).toBe('20240131');
  });

  it('counts working days in China time, skipping weekends, as the daemon does', () => {
    // Friday 2026-01-09 20:00 in China is 12:00 UTC; five working days later is Friday 2026-01-16.
    const friday = Date.parse('2026-01-09T12:00:00Z');
    expect(chinaDate(friday)).toBe('2026-01-09');
    expect(addWorkingDays(friday, 1)).toBe('2026-01-12');
    expect(addWorkingDays(friday, 5)).toBe('2026-01-16');
    // 23:30 UTC on Friday is already Saturday in China.
    expect(addWorkingDays(Date.parse('2026-01-09T23:30:00Z'), 1)).toBe('2026-01-12');
  });
});
