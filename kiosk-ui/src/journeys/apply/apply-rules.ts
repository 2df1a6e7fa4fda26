// The rules J5's screens check before anything reaches the daemon: which form fields the resident
// fills (the daemon fills the card's), what each value must look like, which materials may follow
// later (容缺受理) and by when. The daemon checks again on submit; these are for the resident to
// see a problem where it can be fixed.
import type { DeviceStatus } from '@protocol';
import type { ApplyItem, FormField, Material } from './apply-item';

/** Fields the resident fills; the ones taken from the card are filled by the daemon from the read. */
export function editableFields(item: ApplyItem): readonly FormField[] {
  return item.form.filter((f) => f.prefill === undefined);
}

export function cardFields(item: ApplyItem): readonly FormField[] {
  return item.form.filter((f) => f.prefill !== undefined);
}

export type FieldProblem = 'required' | 'phone' | 'number' | 'date' | 'option' | 'tooLong';

const MAX_VALUE = 500;

export function fieldProblem(field: FormField, raw: string | undefined): FieldProblem | undefined {
  const value = (raw ?? '').trim();
  if (value === '') return field.required ? 'required' : undefined;
  if (value.length > Math.min(field.maxLength ?? MAX_VALUE, MAX_VALUE)) return 'tooLong';
  switch (field.type) {
    case 'phone':
      return /^1\d{10}$/.test(value) ? undefined : 'phone';
    case 'number':
      return /^\d{1,12}(\.\d{1,2})?$/.test(value) ? undefined : 'number';
    case 'date':
      return validDate(value) ? undefined : 'date';
    case 'select':
      return (field.options ?? []).some((o) => o.value === value) ? undefined : 'option';
    case 'text':
      return undefined;
  }
}

function validDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && y <= 2100 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The keypad types digits; a date reads back as YYYY-MM-DD once all eight are there. */
export function dateFromDigits(digits: string): string {
  const d = digits.replace(/\D/g, '').slice(0, 8);
  return d.length === 8 ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : d;
}

export function digitsOfDate(value: string): string {
  return value.replace(/\D/g, '');
}

/** A material the item lets the resident supply later (容缺受理): only non-essential ones, and only where the item allows it. */
export function tolerable(item: ApplyItem, material: Material): boolean {
  return item.guide.tolerance.allowed && !material.essential;
}

// Working days in China time (UTC+8), as the daemon counts them (weekends skipped; holidays are the
// platform's to add, so the date shown here is never later than the platform's).
const CHINA_OFFSET_MS = 8 * 3_600_000;

export function chinaDate(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export function addWorkingDays(ms: number, days: number): string {
  const local = new Date(ms + CHINA_OFFSET_MS);
  let added = 0;
  while (added < days) {
    local.setUTCDate(local.getUTCDate() + 1);
    const weekday = local.getUTCDay();
    if (weekday !== 0 && weekday !== 6) added += 1;
  }
  return local.toISOString().slice(0, 10);
}

/** The day a missing material is due: the item's supplement days, never past the promise. */
export function supplementDeadline(item: ApplyItem, now: number): string {
  return addWorkingDays(now, Math.min(item.guide.tolerance.supplementDays, item.guide.timeLimit.promisedDays));
}

export function promisedBy(item: ApplyItem, now: number): string {
  return addWorkingDays(now, item.guide.timeLimit.promisedDays);
}

/** The document camera (高拍仪) among the terminal's devices, by its role. */
export function documentCameraName(devices: Readonly<Record<string, DeviceStatus>>): string | undefined {
  return Object.entries(devices).find(([, d]) => d.deviceClass === 'camera' && d.camera?.role === 'document')?.[0];
}
