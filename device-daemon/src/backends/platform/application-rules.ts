// The rules an application must meet, as the platform applies them: required form fields, every
// essential material given, non-essential ones either given or declared missing (容缺受理) with a
// deadline no later than the promised date and a signed commitment. The kiosk checks before it
// queues anything; the sandbox checks the same way on receipt.
import { err, ok, type Result } from '../../core/result';
import type { CatalogueItem } from './platform-api';
import { addWorkingDays, dateOnly } from './working-days';

export type ApplicationProblem =
  | 'notApplicable'
  | 'missingField'
  | 'unknownMaterial'
  | 'missingEssential'
  | 'undeclaredMissing'
  | 'toleranceNotAllowed'
  | 'commitmentMissing'
  | 'deadlineTooLate';

export interface ApplicationCheck {
  readonly acceptance: 'complete' | 'tolerated';
  readonly promisedBy: string;
  readonly missing: ReadonlyArray<{ readonly code: string; readonly deadline: string }>;
}

export interface ApplicationFacts {
  readonly form: Readonly<Record<string, string>>;
  readonly given: readonly string[];
  /** Declared missing, with deadlines; the kiosk leaves deadlines out and gets them computed. */
  readonly missing: ReadonlyArray<{ readonly code: string; readonly deadline?: string | undefined }>;
  readonly committed: boolean;
}

/** The deadline a missing material gets: the item's supplement days, never past the promise. */
export function supplementDeadline(item: CatalogueItem, at: Date): string {
  const days = Math.min(item.guide.tolerance.supplementDays, item.guide.timeLimit.promisedDays);
  return dateOnly(addWorkingDays(at, days));
}

export function checkApplication(item: CatalogueItem, facts: ApplicationFacts, at: Date): Result<ApplicationCheck, { problem: ApplicationProblem; detail: string }> {
  const fail = (problem: ApplicationProblem, detail: string): Result<never, { problem: ApplicationProblem; detail: string }> => err({ problem, detail });
  if (item.journey !== 'apply') return fail('notApplicable', `${item.code} is not applied for at a kiosk`);
  for (const field of item.form) if (field.required && !(facts.form[field.key] ?? '').trim()) return fail('missingField', field.key);
  const byCode = new Map(item.guide.materials.map((m) => [m.code, m]));
  const unknown = [...facts.given, ...facts.missing.map((m) => m.code)].filter((code) => !byCode.has(code));
  if (unknown.length > 0) return fail('unknownMaterial', unknown.join(', '));
  const given = new Set(facts.given);
  const absent = item.guide.materials.filter((m) => !given.has(m.code));
  const essential = absent.filter((m) => m.essential);
  if (essential.length > 0) return fail('missingEssential', essential.map((m) => m.code).join(', '));
  const declared = new Map(facts.missing.map((m) => [m.code, m.deadline]));
  const undeclared = absent.filter((m) => !declared.has(m.code));
  if (undeclared.length > 0) return fail('undeclaredMissing', undeclared.map((m) => m.code).join(', '));
  const promisedBy = dateOnly(addWorkingDays(at, item.guide.timeLimit.promisedDays));
  if (absent.length === 0) return ok({ acceptance: 'complete', promisedBy, missing: [] });
  if (!item.guide.tolerance.allowed) return fail('toleranceNotAllowed', item.code);
  if (!facts.committed) return fail('commitmentMissing', 'missing materials need the signed commitment');
  const fallback = supplementDeadline(item, at);
  const missing = absent.map((m) => ({ code: m.code, deadline: declared.get(m.code) ?? fallback }));
  const late = missing.find((m) => m.deadline > promisedBy);
  if (late) return fail('deadlineTooLate', `${late.code}: ${late.deadline} is past the promised date ${promisedBy}`);
  return ok({ acceptance: 'tolerated', promisedBy, missing });
}
