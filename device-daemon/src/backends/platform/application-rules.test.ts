import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../paths';
import { checkApplication, supplementDeadline } from './application-rules';
import { catalogueItemSchema, type CatalogueItem } from './platform-api';

const items = (JSON.parse(readFileSync(join(findProjectRoot(import.meta.dirname), 'config', 'catalogue.json'), 'utf8')) as { items: unknown[] }).items.map((i) => catalogueItemSchema.parse(i));
const item = (code: string): CatalogueItem => {
  const found = items.find((i) => i.code === code);
  if (!found) throw new Error(code);
  return found;
};
// Friday 20 November 2026, 10:00 in Beijing.
const AT = new Date('2026-11-20T02:00:00Z');
const form = { name: '林志远', idNumber: '330106198504091230', phone: '13800138000', address: '杭州市西湖区文三路', newAddress: '西湖区转塘街道示例路1号', reason: 'purchase' };

describe('application rules', () => {
  it('accepts a complete application with the promised date in working days', () => {
    expect(checkApplication(item('330000-HJ-0001'), { form, given: ['M01', 'M02', 'M03', 'M04', 'M10'], missing: [], committed: false }, AT)).toEqual({ ok: true, value: { acceptance: 'complete', promisedBy: '2026-12-04', missing: [] } });
  });

  it('tolerates declared non-essential gaps with a commitment, the deadline within the promise', () => {
    const result = checkApplication(item('330000-HJ-0001'), { form, given: ['M01', 'M02', 'M03'], missing: [{ code: 'M04' }, { code: 'M10', deadline: '2026-11-25' }], committed: true }, AT);
    expect(result).toEqual({ ok: true, value: { acceptance: 'tolerated', promisedBy: '2026-12-04', missing: [{ code: 'M04', deadline: '2026-11-27' }, { code: 'M10', deadline: '2026-11-25' }] } });
    expect(supplementDeadline(item('330000-HJ-0001'), AT)).toBe('2026-11-27');
  });

  it('names what is wrong: essentials, undeclared gaps, no tolerance, no commitment, late deadlines, unknown materials, fields, journeys', () => {
    const problem = (code: string, facts: Parameters<typeof checkApplication>[1]): string | undefined => {
      const r = checkApplication(item(code), facts, AT);
      return r.ok ? undefined : r.error.problem;
    };
    expect(problem('330000-HJ-0001', { form, given: ['M01', 'M03'], missing: [{ code: 'M02' }], committed: true })).toBe('missingEssential');
    expect(problem('330000-HJ-0001', { form, given: ['M01', 'M02', 'M03'], missing: [], committed: true })).toBe('undeclaredMissing');
    expect(problem('330000-HJ-0002', { form: { ...form, reason: 'expired' }, given: ['M01', 'M02'], missing: [{ code: 'M09' }], committed: true })).toBe('toleranceNotAllowed');
    expect(problem('330000-HJ-0001', { form, given: ['M01', 'M02', 'M03'], missing: [{ code: 'M04' }, { code: 'M10' }], committed: false })).toBe('commitmentMissing');
    expect(problem('330000-HJ-0001', { form, given: ['M01', 'M02', 'M03'], missing: [{ code: 'M04', deadline: '2026-12-31' }, { code: 'M10' }], committed: true })).toBe('deadlineTooLate');
    expect(problem('330000-HJ-0001', { form, given: ['M01', 'M02', 'M03', 'M99'], missing: [{ code: 'M04' }, { code: 'M10' }], committed: true })).toBe('unknownMaterial');
    expect(problem('330000-HJ-0001', { form: { ...form, phone: ' ' }, given: ['M01', 'M02', 'M03', 'M04', 'M10'], missing: [], committed: false })).toBe('missingField');
    expect(problem('330000-GY-0001', { form, given: [], missing: [], committed: false })).toBe('notApplicable');
  });
});
