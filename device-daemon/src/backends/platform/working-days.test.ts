import { describe, expect, it } from 'vitest';
import { addWorkingDays, dateOnly } from './working-days';

describe('working days', () => {
  it('counts in China time and skips weekends', () => {
    // Friday 2026-11-20 23:30 in Beijing is Friday 15:30 UTC.
    const friday = new Date('2026-11-20T15:30:00Z');
    expect(dateOnly(friday)).toBe('2026-11-20');
    expect(dateOnly(addWorkingDays(friday, 0))).toBe('2026-11-20');
    expect(dateOnly(addWorkingDays(friday, 1))).toBe('2026-11-23');
    expect(dateOnly(addWorkingDays(friday, 5))).toBe('2026-11-27');
    // 17:00 UTC on Friday is already Saturday in Beijing.
    expect(dateOnly(new Date('2026-11-20T17:00:00Z'))).toBe('2026-11-21');
    expect(dateOnly(addWorkingDays(new Date('2026-11-20T17:00:00Z'), 1))).toBe('2026-11-23');
  });
});
