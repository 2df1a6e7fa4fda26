// J5 as a pure machine: find the service, read its guide, prove who you are (J1), fill the form,
// capture each material with the document camera (or, where the item allows, declare it missing:
// 容缺受理), sign the commitment when something is missing, confirm and submit; then the result
// with the acceptance slip. A refusal says what is wrong and leads back to the step that fixes it.
import type { CardIdentity } from '../../session/session-machine';
import type { ApplicationProblem, ApplyItem, Bilingual, Category, ItemSummary } from './apply-item';
import { editableFields, fieldProblem, tolerable, type FieldProblem } from './apply-rules';

/** Common keywords offered as buttons (no text entry needed); the daemon matches them in the Chinese name. */
export const KEYWORDS = { hukou: '户口', idCard: '身份证', pension: '养老', medical: '医疗', subsidy: '补贴', property: '不动产', birth: '出生', retire: '退休' } as const;
export type KeywordId = keyof typeof KEYWORDS;

export const MAX_PAGES_PER_MATERIAL = 5;
/** The daemon holds at most 16 pictures, retakes included: stay below so that none is pushed out. */
export const MAX_PAGES_TOTAL = 12;

export interface Picture {
  readonly pictureId: string;
  /** The daemon's one-time URL: the screen shows it once, on review. */
  readonly url: string;
}

export type MaterialEntry = { readonly kind: 'pages'; readonly pages: readonly Picture[] } | { readonly kind: 'missing' };

/** One filter at a time: a category or a keyword (or neither: every item). */
export interface Search {
  readonly category: Category | undefined;
  readonly keyword: KeywordId | undefined;
}

export type CatalogueList = { readonly status: 'loading' } | { readonly status: 'ready'; readonly items: readonly ItemSummary[]; readonly stale: boolean } | { readonly status: 'failed' };

export interface Draft {
  readonly search: Search;
  readonly item: ApplyItem;
  readonly card: CardIdentity;
  readonly form: Readonly<Record<string, string>>;
  readonly materials: Readonly<Record<string, MaterialEntry>>;
  readonly signaturePng: string | undefined;
}

export interface SubmitResult {
  readonly trackingNumber: string;
  readonly state: 'delivered' | 'queued';
  readonly acceptance: 'complete' | 'tolerated';
  readonly promisedBy: string;
  readonly missing: ReadonlyArray<{ readonly code: string; readonly name: Bilingual; readonly deadline: string }>;
}

export type SlipState = { readonly status: 'printing' } | { readonly status: 'printed' } | { readonly status: 'pending'; readonly reason: string } | { readonly status: 'failed' };

export type RefusalCode = ApplicationProblem | 'pictureGone' | 'notVerified' | 'noReference' | 'unknownItem' | 'uncertain' | 'other';
/** Where "fix it" leads; staff: nothing to fix here (the outcome is unknown, or the card is gone). */
export type FixStep = 'search' | 'identity' | 'form' | 'materials' | 'commitment' | 'confirm' | 'staff';
export type MaterialProblem = 'camera' | 'tooManyPages' | 'nothingCaptured';

export type ApplyState =
  | { readonly kind: 'search'; readonly search: Search; readonly list: CatalogueList }
  | { readonly kind: 'guide'; readonly search: Search; readonly code: string; readonly item: ApplyItem | undefined; readonly failed: boolean }
  | { readonly kind: 'identity'; readonly search: Search; readonly item: ApplyItem; readonly resume: Draft | undefined }
  | { readonly kind: 'form'; readonly draft: Draft; readonly field: number; readonly problem: FieldProblem | undefined }
  | { readonly kind: 'material'; readonly draft: Draft; readonly index: number; readonly taking: boolean; readonly problem: MaterialProblem | undefined }
  | { readonly kind: 'review'; readonly draft: Draft; readonly index: number; readonly picture: Picture }
  | { readonly kind: 'commitment'; readonly draft: Draft; readonly problem: 'unsigned' | undefined }
  | { readonly kind: 'confirm'; readonly draft: Draft; readonly submitting: boolean }
  | { readonly kind: 'done' | 'queued'; readonly draft: Draft; readonly result: SubmitResult; readonly slip: SlipState }
  | { readonly kind: 'refused'; readonly draft: Draft; readonly code: RefusalCode; readonly fix: FixStep };

export type ApplyEvent =
  | { readonly type: 'category'; readonly category: Category | undefined }
  | { readonly type: 'keyword'; readonly keyword: KeywordId | undefined }
  | { readonly type: 'listed'; readonly search: Search; readonly items: readonly ItemSummary[]; readonly stale: boolean }
  | { readonly type: 'listFailed'; readonly search: Search }
  | { readonly type: 'retry' }
  | { readonly type: 'choose'; readonly code: string }
  | { readonly type: 'guideLoaded'; readonly item: ApplyItem }
  | { readonly type: 'guideFailed' }
  | { readonly type: 'apply' }
  | { readonly type: 'verified'; readonly card: CardIdentity }
  | { readonly type: 'input'; readonly key: string; readonly value: string }
  | { readonly type: 'next' }
  | { readonly type: 'back' }
  | { readonly type: 'take' }
  | { readonly type: 'taken'; readonly picture: Picture }
  | { readonly type: 'captureFailed' }
  | { readonly type: 'retake' }
  | { readonly type: 'keep' }
  | { readonly type: 'markMissing' }
  | { readonly type: 'unmarkMissing' }
  | { readonly type: 'clearPages' }
  | { readonly type: 'signed'; readonly png: string }
  | { readonly type: 'clearSignature' }
  | { readonly type: 'agree' }
  | { readonly type: 'submit' }
  | { readonly type: 'submitted'; readonly result: SubmitResult }
  | { readonly type: 'refused'; readonly code: string; readonly problem: ApplicationProblem | undefined }
  | { readonly type: 'slip'; readonly slip: SlipState }
  | { readonly type: 'fix' };

const ALL: Search = { category: undefined, keyword: undefined };
export const initialApply: ApplyState = { kind: 'search', search: ALL, list: { status: 'loading' } };

function sameSearch(a: Search, b: Search): boolean {
  return a.category === b.category && a.keyword === b.keyword;
}

/** What Platform.Catalogue is asked for the search shown. */
export function catalogueQuery(search: Search): { journey: 'apply'; category?: Category; query?: string } {
  return { journey: 'apply', ...(search.category ? { category: search.category } : {}), ...(search.keyword ? { query: KEYWORDS[search.keyword] } : {}) };
}

export function pagesOf(entry: MaterialEntry | undefined): readonly Picture[] {
  return entry?.kind === 'pages' ? entry.pages : [];
}

export function totalPages(draft: Draft): number {
  return Object.values(draft.materials).reduce((n, e) => n + pagesOf(e).length, 0);
}

/** The materials declared missing, in the guide's order. */
export function missingMaterials(draft: Draft): ApplyItem['guide']['materials'] {
  return draft.item.guide.materials.filter((m) => draft.materials[m.code]?.kind === 'missing');
}

function materialDone(draft: Draft, code: string): boolean {
  const entry = draft.materials[code];
  return entry?.kind === 'missing' || pagesOf(entry).length > 0;
}

/** Platform.Submit's payload for the draft (the daemon fills the card's fields from the read). */
export function submitPayload(draft: Draft): {
  readId: string;
  itemCode: string;
  form: Record<string, string>;
  materials: { code: string; pictureIds: string[] }[];
  missing: string[];
  commitment?: { signaturePng: string; agreed: true };
} {
  const form: Record<string, string> = {};
  for (const field of editableFields(draft.item)) {
    const value = (draft.form[field.key] ?? '').trim();
    if (value !== '') form[field.key] = value;
  }
  const materials = draft.item.guide.materials.flatMap((m) => {
    const pages = pagesOf(draft.materials[m.code]);
    return pages.length > 0 ? [{ code: m.code, pictureIds: pages.map((p) => p.pictureId) }] : [];
  });
  const missing = missingMaterials(draft).map((m) => m.code);
  const signed = missing.length > 0 && draft.signaturePng ? { commitment: { signaturePng: draft.signaturePng, agreed: true as const } } : {};
  return { readId: draft.card.readId, itemCode: draft.item.code, form, materials, missing, ...signed };
}

/** The daemon's refusal as the resident's problem and the step that fixes it. */
export function refusal(code: string, problem: ApplicationProblem | undefined): { code: RefusalCode; fix: FixStep } {
  if (code === 'applicationIncomplete') {
    if (problem === undefined) return { code: 'other', fix: 'confirm' };
    if (problem === 'missingField') return { code: problem, fix: 'form' };
    if (problem === 'notApplicable') return { code: problem, fix: 'search' };
    if (problem === 'commitmentMissing') return { code: problem, fix: 'commitment' };
    return { code: problem, fix: 'materials' };
  }
  if (code === 'pictureGone') return { code, fix: 'materials' };
  if (code === 'notVerified') return { code, fix: 'identity' };
  if (code === 'noReference') return { code, fix: 'staff' };
  if (code === 'unknownItem') return { code, fix: 'search' };
  // No answer: the application may have been stored. Sending it again could file it twice.
  if (code === 'timeOut' || code === 'canceled' || code === 'deviceNotReady') return { code: 'uncertain', fix: 'staff' };
  return { code: 'other', fix: 'confirm' };
}

function startForm(draft: Draft): ApplyState {
  return editableFields(draft.item).length > 0 ? { kind: 'form', draft, field: 0, problem: undefined } : startMaterials(draft);
}

function startMaterials(draft: Draft): ApplyState {
  return draft.item.guide.materials.length > 0 ? material(draft, 0) : afterMaterials(draft);
}

function material(draft: Draft, index: number, problem?: MaterialProblem): ApplyState {
  return { kind: 'material', draft, index, taking: false, problem };
}

function afterMaterials(draft: Draft): ApplyState {
  if (missingMaterials(draft).length > 0) return { kind: 'commitment', draft: { ...draft, signaturePng: undefined }, problem: undefined };
  return { kind: 'confirm', draft: { ...draft, signaturePng: undefined }, submitting: false };
}

/** Back from the confirmation: to the commitment (signed afresh: the pad starts blank), the last material, the last field or the guide. */
function beforeConfirm(draft: Draft): ApplyState {
  if (missingMaterials(draft).length > 0) return { kind: 'commitment', draft: { ...draft, signaturePng: undefined }, problem: undefined };
  return beforeCommitment(draft);
}

function beforeCommitment(draft: Draft): ApplyState {
  const count = draft.item.guide.materials.length;
  return count > 0 ? material(draft, count - 1) : beforeMaterials(draft);
}

function beforeMaterials(draft: Draft): ApplyState {
  const fields = editableFields(draft.item).length;
  return fields > 0 ? { kind: 'form', draft, field: fields - 1, problem: undefined } : { kind: 'guide', search: draft.search, code: draft.item.code, item: draft.item, failed: false };
}

function withEntry(draft: Draft, code: string, entry: MaterialEntry): Draft {
  return { ...draft, materials: { ...draft.materials, [code]: entry } };
}

function fixAt(draft: Draft, fix: FixStep): ApplyState | undefined {
  switch (fix) {
    case 'search':
      return { kind: 'search', search: draft.search, list: { status: 'loading' } };
    case 'identity':
      return { kind: 'identity', search: draft.search, item: draft.item, resume: draft };
    case 'form':
      return startForm(draft);
    case 'materials': {
      const first = draft.item.guide.materials.findIndex((m) => !materialDone(draft, m.code));
      return draft.item.guide.materials.length > 0 ? material(draft, Math.max(first, 0)) : afterMaterials(draft);
    }
    case 'commitment':
      return missingMaterials(draft).length > 0 ? { kind: 'commitment', draft: { ...draft, signaturePng: undefined }, problem: undefined } : afterMaterials(draft);
    case 'confirm':
      return { kind: 'confirm', draft, submitting: false };
    case 'staff':
      return undefined;
  }
}

/** A picture that is gone is gone for every material: each captured one must be taken again. */
function withoutPages(draft: Draft): Draft {
  const materials: Record<string, MaterialEntry> = {};
  for (const [code, entry] of Object.entries(draft.materials)) if (entry.kind === 'missing') materials[code] = entry;
  return { ...draft, materials };
}

function materialTransition(state: Extract<ApplyState, { kind: 'material' }>, event: ApplyEvent): ApplyState {
  const { draft, index } = state;
  const current = draft.item.guide.materials[index];
  if (!current) return state;
  const entry = draft.materials[current.code];
  switch (event.type) {
    case 'take':
      if (state.taking) return state;
      if (pagesOf(entry).length >= MAX_PAGES_PER_MATERIAL || totalPages(draft) >= MAX_PAGES_TOTAL) return { ...state, problem: 'tooManyPages' };
      return { ...state, draft: entry?.kind === 'missing' ? withEntry(draft, current.code, { kind: 'pages', pages: [] }) : draft, taking: true, problem: undefined };
    case 'taken':
      return state.taking ? { kind: 'review', draft, index, picture: event.picture } : state;
    case 'captureFailed':
      return state.taking ? { ...state, taking: false, problem: 'camera' } : state;
    case 'markMissing':
      if (state.taking || !tolerable(draft.item, current) || pagesOf(entry).length > 0) return state;
      return material(withEntry(draft, current.code, { kind: 'missing' }), index);
    case 'unmarkMissing':
    case 'clearPages':
      return state.taking ? state : material(withEntry(draft, current.code, { kind: 'pages', pages: [] }), index);
    case 'next':
      if (state.taking) return state;
      if (!materialDone(draft, current.code)) return { ...state, problem: 'nothingCaptured' };
      return index + 1 < draft.item.guide.materials.length ? material(draft, index + 1) : afterMaterials(draft);
    case 'back':
      if (state.taking) return state;
      return index > 0 ? material(draft, index - 1) : beforeMaterials(draft);
    default:
      return state;
  }
}

export function applyTransition(state: ApplyState, event: ApplyEvent): ApplyState {
  switch (state.kind) {
    case 'search':
      switch (event.type) {
        case 'category':
          return { kind: 'search', search: { category: event.category, keyword: undefined }, list: { status: 'loading' } };
        case 'keyword':
          return { kind: 'search', search: { category: undefined, keyword: event.keyword }, list: { status: 'loading' } };
        // A list for another filter arrives late after a quick change: the newer request answers.
        case 'listed':
          return state.list.status === 'loading' && sameSearch(state.search, event.search) ? { ...state, list: { status: 'ready', items: event.items, stale: event.stale } } : state;
        case 'listFailed':
          return state.list.status === 'loading' && sameSearch(state.search, event.search) ? { ...state, list: { status: 'failed' } } : state;
        case 'retry':
          return state.list.status === 'failed' ? { ...state, list: { status: 'loading' } } : state;
        case 'choose':
          return state.list.status === 'ready' && state.list.items.some((i) => i.code === event.code) ? { kind: 'guide', search: state.search, code: event.code, item: undefined, failed: false } : state;
        default:
          return state;
      }
    case 'guide':
      switch (event.type) {
        case 'guideLoaded':
          return state.item === undefined && event.item.code === state.code ? { ...state, item: event.item, failed: false } : state;
        case 'guideFailed':
          return state.item === undefined ? { ...state, failed: true } : state;
        case 'retry':
          return state.failed ? { ...state, failed: false } : state;
        case 'apply':
          return state.item ? { kind: 'identity', search: state.search, item: state.item, resume: undefined } : state;
        case 'back':
          return { kind: 'search', search: state.search, list: { status: 'loading' } };
        default:
          return state;
      }
    case 'identity':
      if (event.type !== 'verified') return state;
      if (state.resume) return { kind: 'confirm', draft: { ...state.resume, card: event.card }, submitting: false };
      return startForm({ search: state.search, item: state.item, card: event.card, form: {}, materials: {}, signaturePng: undefined });
    case 'form': {
      const fields = editableFields(state.draft.item);
      const field = fields[state.field];
      if (!field) return state;
      switch (event.type) {
        case 'input':
          return event.key === field.key ? { ...state, draft: { ...state.draft, form: { ...state.draft.form, [field.key]: event.value } }, problem: undefined } : state;
        case 'next': {
          const problem = fieldProblem(field, state.draft.form[field.key]);
          if (problem) return { ...state, problem };
          return state.field + 1 < fields.length ? { kind: 'form', draft: state.draft, field: state.field + 1, problem: undefined } : startMaterials(state.draft);
        }
        case 'back':
          return state.field > 0 ? { kind: 'form', draft: state.draft, field: state.field - 1, problem: undefined } : { kind: 'guide', search: state.draft.search, code: state.draft.item.code, item: state.draft.item, failed: false };
        default:
          return state;
      }
    }
    case 'material':
      return materialTransition(state, event);
    case 'review': {
      const current = state.draft.item.guide.materials[state.index];
      if (!current) return state;
      if (event.type === 'keep') return material(withEntry(state.draft, current.code, { kind: 'pages', pages: [...pagesOf(state.draft.materials[current.code]), state.picture] }), state.index);
      // A retake drops this picture; the daemon wipes it within minutes.
      if (event.type === 'retake' || event.type === 'back') return material(state.draft, state.index);
      return state;
    }
    case 'commitment':
      switch (event.type) {
        case 'signed':
          return { ...state, draft: { ...state.draft, signaturePng: event.png }, problem: undefined };
        case 'clearSignature':
          return { ...state, draft: { ...state.draft, signaturePng: undefined } };
        case 'agree':
          return state.draft.signaturePng ? { kind: 'confirm', draft: state.draft, submitting: false } : { ...state, problem: 'unsigned' };
        case 'back':
          return beforeCommitment(state.draft);
        default:
          return state;
      }
    case 'confirm':
      switch (event.type) {
        case 'submit':
          return state.submitting ? state : { ...state, submitting: true };
        case 'back':
          return state.submitting ? state : beforeConfirm(state.draft);
        case 'submitted':
          return state.submitting ? { kind: event.result.state === 'delivered' ? 'done' : 'queued', draft: state.draft, result: event.result, slip: { status: 'printing' } } : state;
        case 'refused': {
          if (!state.submitting) return state;
          const r = refusal(event.code, event.problem);
          return { kind: 'refused', draft: r.code === 'pictureGone' ? withoutPages(state.draft) : state.draft, code: r.code, fix: r.fix };
        }
        default:
          return state;
      }
    case 'done':
    case 'queued':
      return event.type === 'slip' && state.slip.status === 'printing' ? { ...state, slip: event.slip } : state;
    case 'refused':
      return event.type === 'fix' ? (fixAt(state.draft, state.fix) ?? state) : state;
  }
}
