// The parts of a catalogue item J5 works with, parsed from Platform.Guide's completion (which the
// protocol leaves as a record: the daemon's platform API owns the full schema, and the UI may only
// import the protocol). Anything the screens rely on is checked here; the rest is ignored.
import { PLATFORM_CATEGORIES } from '@protocol';
import * as z from 'zod/mini';

const bilingual = z.object({ zh: z.string(), en: z.string() });
export type Bilingual = z.infer<typeof bilingual>;
export type Category = (typeof PLATFORM_CATEGORIES)[number];

const materialSchema = z.object({
  code: z.string().check(z.maxLength(8)),
  name: bilingual,
  essential: z.boolean(),
  form: z.enum(['original', 'copy', 'electronic']),
  copies: z.int(),
  note: z.optional(bilingual),
});
export type Material = z.infer<typeof materialSchema>;

export const FIELD_TYPES = ['text', 'number', 'date', 'phone', 'select'] as const;
export const PREFILLS = ['name', 'idNumber', 'sex', 'birth', 'address'] as const;

const fieldSchema = z.object({
  key: z.string().check(z.regex(/^[a-z][A-Za-z0-9]{0,31}$/)),
  label: bilingual,
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  prefill: z.optional(z.enum(PREFILLS)),
  options: z.optional(z.array(z.object({ value: z.string(), label: bilingual }))),
  maxLength: z.optional(z.int()),
});
export type FormField = z.infer<typeof fieldSchema>;

export const applyItemSchema = z.object({
  code: z.string().check(z.regex(/^\d{6}-[A-Z]{2}-\d{4}$/)),
  name: bilingual,
  category: z.enum(PLATFORM_CATEGORIES),
  department: bilingual,
  journey: z.string(),
  guide: z.object({
    conditions: z.array(bilingual),
    materials: z.array(materialSchema).check(z.maxLength(30)),
    fees: z.object({ free: z.boolean(), description: bilingual }),
    timeLimit: z.object({ legalDays: z.int(), promisedDays: z.int() }),
    tolerance: z.object({ allowed: z.boolean(), supplementDays: z.int() }),
    basis: z.array(bilingual),
    visits: z.int(),
  }),
  form: z.array(fieldSchema),
});
export type ApplyItem = z.infer<typeof applyItemSchema>;

/** A list entry from Platform.Catalogue. */
export interface ItemSummary {
  readonly code: string;
  readonly name: Bilingual;
  readonly department: Bilingual;
  readonly category: Category;
}

/** Why the daemon refused an application as incomplete (Platform.Submit's details). */
export const APPLICATION_PROBLEMS = ['notApplicable', 'missingField', 'unknownMaterial', 'missingEssential', 'undeclaredMissing', 'toleranceNotAllowed', 'commitmentMissing', 'deadlineTooLate'] as const;
export type ApplicationProblem = (typeof APPLICATION_PROBLEMS)[number];
export const incompleteDetailsSchema = z.object({ problem: z.enum(APPLICATION_PROBLEMS) });

/** A bilingual text in the session's language. */
export function inLanguage(text: Bilingual, language: string): string {
  return language === 'zh-CN' ? text.zh : text.en;
}
