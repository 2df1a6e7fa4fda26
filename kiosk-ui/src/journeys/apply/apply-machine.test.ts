import { describe, expect, it } from 'vitest';
import type { CardIdentity } from '../../session/session-machine';
import type { ApplyItem } from './apply-item';
import { applyTransition, catalogueQuery, initialApply, MAX_PAGES_PER_MATERIAL, refusal, submitPayload, type ApplyEvent, type ApplyState, type SubmitResult } from './apply-machine';

const card: CardIdentity = { readId: 'read-1', nameMasked: '林**', idNumberMasked: '3301**********1230', expired: false };
const bi = (zh: string, en = zh) => ({ zh, en });

/** Like 330000-SB-0001: two essential documents and a bank card that may follow (容缺受理). */
const item: ApplyItem = {
  code: '330000-SB-0001',
  name: bi('城乡居民基本养老保险参保登记', 'Pension enrolment'),
  category: 'socialInsurance',
  department: bi('人力资源和社会保障局'),
  journey: 'apply',
  guide: {
    conditions: [bi('年满16周岁')],
    materials: [
      { code: 'M01', name: bi('居民身份证'), essential: true, form: 'original', copies: 1 },
      { code: 'M02', name: bi('居民户口簿'), essential: true, form: 'original', copies: 1 },
      { code: 'M08', name: bi('本人银行卡或存折'), essential: false, form: 'copy', copies: 1 },
    ],
    fees: { free: true, description: bi('不收费') },
    timeLimit: { legalDays: 5, promisedDays: 5 },
    tolerance: { allowed: true, supplementDays: 5 },
    basis: [bi('社会保险法')],
    visits: 0,
  },
  form: [
    { key: 'name', label: bi('姓名'), type: 'text', required: true, prefill: 'name' },
    { key: 'idNumber', label: bi('公民身份号码'), type: 'text', required: true, prefill: 'idNumber' },
    { key: 'phone', label: bi('联系电话'), type: 'phone', required: true },
    { key: 'grade', label: bi('缴费档次'), type: 'select', required: true, options: [{ value: '100', label: bi('100元/年') }, { value: '500', label: bi('500元/年') }] },
  ],
};

const summary = { code: item.code, name: item.name, department: item.department, category: item.category };
const search = { category: undefined, keyword: undefined };
const picture = (n: number) => ({ pictureId: `pic-${n}`, url: `/camera/documentCamera/picture/pic-${n}?token=t` });
const result = (state: 'delivered' | 'queued'): SubmitResult => ({ trackingNumber: 'HZXH0042-20260105-000001', state, acceptance: 'complete', promisedBy: '2026-01-12', missing: [] });

function run(events: ApplyEvent[], from: ApplyState = initialApply): ApplyState {
  return events.reduce((state, event) => applyTransition(state, event), from);
}

const toForm: ApplyEvent[] = [{ type: 'listed', search, items: [summary], stale: false }, { type: 'choose', code: item.code }, { type: 'guideLoaded', item }, { type: 'apply' }, { type: 'verified', card }];
const fillForm: ApplyEvent[] = [{ type: 'input', key: 'phone', value: '13800138000' }, { type: 'next' }, { type: 'input', key: 'grade', value: '500' }, { type: 'next' }];
const capture = (n: number): ApplyEvent[] => [{ type: 'take' }, { type: 'taken', picture: picture(n) }, { type: 'keep' }];

describe('J5 apply machine', () => {
  it('finds the service by category or keyword, one filter at a time, and ignores a late list', () => {
    const byCategory = run([{ type: 'category', category: 'socialInsurance' }]);
    expect(byCategory).toMatchObject({ kind: 'search', search: { category: 'socialInsurance' }, list: { status: 'loading' } });
    expect(catalogueQuery({ category: 'socialInsurance', keyword: undefined })).toEqual({ journey: 'apply', category: 'socialInsurance' });
    const byKeyword = run([{ type: 'keyword', keyword: 'pension' }], byCategory);
    expect(byKeyword).toMatchObject({ search: { category: undefined, keyword: 'pension' } });
    expect(catalogueQuery({ category: undefined, keyword: 'pension' })).toEqual({ journey: 'apply', query: '养老' });
    // The answer for the category arrives after the keyword was chosen: not shown.
    expect(run([{ type: 'listed', search: { category: 'socialInsurance', keyword: undefined }, items: [], stale: false }], byKeyword)).toBe(byKeyword);
    expect(run([{ type: 'listed', search: { category: undefined, keyword: 'pension' }, items: [summary], stale: false }], byKeyword)).toMatchObject({ list: { status: 'ready', items: [summary] } });
  });

  it('reads the guide, then the identity check, then the form that the card does not fill', () => {
    const guide = run(toForm.slice(0, 3));
    expect(guide).toMatchObject({ kind: 'guide', item: { code: item.code } });
    expect(run([{ type: 'back' }], guide)).toMatchObject({ kind: 'search', list: { status: 'loading' } });
    expect(run(toForm.slice(0, 4))).toMatchObject({ kind: 'identity' });
    expect(run(toForm)).toMatchObject({ kind: 'form', field: 0, draft: { card } });
  });

  it('checks each field before moving on', () => {
    const form = run(toForm);
    expect(run([{ type: 'next' }], form)).toMatchObject({ kind: 'form', field: 0, problem: 'required' });
    expect(run([{ type: 'input', key: 'phone', value: '1380013' }, { type: 'next' }], form)).toMatchObject({ field: 0, problem: 'phone' });
    expect(run([{ type: 'input', key: 'phone', value: '13800138000' }, { type: 'next' }, { type: 'next' }], form)).toMatchObject({ field: 1, problem: 'required' });
    expect(run(fillForm, form)).toMatchObject({ kind: 'material', index: 0, taking: false });
  });

  it('captures each document: take, look, retake or keep, several pages', () => {
    const first = run([...toForm, ...fillForm]);
    const taking = run([{ type: 'take' }], first);
    expect(taking).toMatchObject({ kind: 'material', taking: true });
    expect(run([{ type: 'take' }], taking)).toBe(taking);
    const review = run([{ type: 'taken', picture: picture(1) }], taking);
    expect(review).toMatchObject({ kind: 'review', picture: picture(1) });
    const retaken = run([{ type: 'retake' }], review);
    expect(retaken).toMatchObject({ kind: 'material', index: 0, taking: false, draft: { materials: {} } });
    const twoPages = run([...capture(2), ...capture(3)], retaken);
    expect(twoPages).toMatchObject({ kind: 'material', index: 0, draft: { materials: { M01: { kind: 'pages', pages: [picture(2), picture(3)] } } } });
    expect(run([{ type: 'clearPages' }], twoPages)).toMatchObject({ draft: { materials: { M01: { kind: 'pages', pages: [] } } } });
    expect(run([{ type: 'take' }, { type: 'captureFailed' }], twoPages)).toMatchObject({ kind: 'material', taking: false, problem: 'camera' });
  });

  it('limits the pages of one document', () => {
    let state = run([...toForm, ...fillForm]);
    for (let i = 0; i < MAX_PAGES_PER_MATERIAL; i += 1) state = run(capture(i), state);
    expect(run([{ type: 'take' }], state)).toMatchObject({ taking: false, problem: 'tooManyPages' });
  });

  it('goes straight to the confirmation when every document is captured: no commitment', () => {
    const confirm = run([...toForm, ...fillForm, ...capture(1), { type: 'next' }, ...capture(2), { type: 'next' }, ...capture(3), { type: 'next' }]);
    expect(confirm).toMatchObject({ kind: 'confirm', submitting: false });
    if (confirm.kind !== 'confirm') return;
    expect(submitPayload(confirm.draft)).toEqual({
      readId: 'read-1',
      itemCode: item.code,
      form: { phone: '13800138000', grade: '500' },
      materials: [
        { code: 'M01', pictureIds: ['pic-1'] },
        { code: 'M02', pictureIds: ['pic-2'] },
        { code: 'M08', pictureIds: ['pic-3'] },
      ],
      missing: [],
    });
    const submitting = run([{ type: 'submit' }], confirm);
    expect(run([{ type: 'back' }], submitting)).toBe(submitting);
    expect(run([{ type: 'submitted', result: result('delivered') }], submitting)).toMatchObject({ kind: 'done', slip: { status: 'printing' } });
    const queued = run([{ type: 'submitted', result: result('queued') }], submitting);
    expect(queued).toMatchObject({ kind: 'queued' });
    expect(run([{ type: 'slip', slip: { status: 'pending', reason: 'paperOut' } }], queued)).toMatchObject({ kind: 'queued', slip: { status: 'pending', reason: 'paperOut' } });
  });

  it('lets only a tolerated document be missing, and then asks for the signed commitment', () => {
    const atM01 = run([...toForm, ...fillForm]);
    expect(run([{ type: 'markMissing' }], atM01)).toBe(atM01);
    expect(run([{ type: 'next' }], atM01)).toMatchObject({ kind: 'material', index: 0, problem: 'nothingCaptured' });
    const atM08 = run([...capture(1), { type: 'next' }, ...capture(2), { type: 'next' }], atM01);
    expect(atM08).toMatchObject({ kind: 'material', index: 2 });
    const marked = run([{ type: 'markMissing' }], atM08);
    expect(marked).toMatchObject({ kind: 'material', index: 2, draft: { materials: { M08: { kind: 'missing' } } } });
    expect(run([{ type: 'unmarkMissing' }], marked)).toMatchObject({ draft: { materials: { M08: { kind: 'pages', pages: [] } } } });
    const commitment = run([{ type: 'next' }], marked);
    expect(commitment).toMatchObject({ kind: 'commitment', problem: undefined });
    expect(run([{ type: 'agree' }], commitment)).toMatchObject({ kind: 'commitment', problem: 'unsigned' });
    const confirm = run([{ type: 'signed', png: 'iVBORw0KGgo=' }, { type: 'agree' }], commitment);
    expect(confirm).toMatchObject({ kind: 'confirm' });
    if (confirm.kind !== 'confirm') return;
    expect(submitPayload(confirm.draft)).toMatchObject({ materials: [{ code: 'M01' }, { code: 'M02' }], missing: ['M08'], commitment: { signaturePng: 'iVBORw0KGgo=', agreed: true } });
    // Back to the commitment: the pad starts blank, so does the signature.
    expect(run([{ type: 'back' }], confirm)).toMatchObject({ kind: 'commitment', draft: { signaturePng: undefined } });
  });

  it('refuses tolerance where the item does not allow it', () => {
    const strict: ApplyItem = { ...item, guide: { ...item.guide, tolerance: { allowed: false, supplementDays: 5 } } };
    const atM08 = run([{ type: 'guideLoaded', item: strict }, { type: 'apply' }, { type: 'verified', card }, ...fillForm, ...capture(1), { type: 'next' }, ...capture(2), { type: 'next' }], { kind: 'guide', search, code: strict.code, item: undefined, failed: false });
    expect(atM08).toMatchObject({ kind: 'material', index: 2 });
    expect(run([{ type: 'markMissing' }], atM08)).toBe(atM08);
  });

  it('turns each refusal into a message and the way back to the step that fixes it', () => {
    expect(refusal('applicationIncomplete', 'missingField')).toEqual({ code: 'missingField', fix: 'form' });
    expect(refusal('applicationIncomplete', 'missingEssential')).toEqual({ code: 'missingEssential', fix: 'materials' });
    expect(refusal('applicationIncomplete', 'commitmentMissing')).toEqual({ code: 'commitmentMissing', fix: 'commitment' });
    expect(refusal('notVerified', undefined)).toEqual({ code: 'notVerified', fix: 'identity' });
    expect(refusal('unknownItem', undefined)).toEqual({ code: 'unknownItem', fix: 'search' });
    expect(refusal('timeOut', undefined)).toEqual({ code: 'uncertain', fix: 'staff' });
    expect(refusal('reasonsRequired', undefined)).toEqual({ code: 'other', fix: 'confirm' });

    const submitting = run([...toForm, ...fillForm, ...capture(1), { type: 'next' }, ...capture(2), { type: 'next' }, { type: 'markMissing' }, { type: 'next' }, { type: 'signed', png: 'iVBORw0KGgo=' }, { type: 'agree' }, { type: 'submit' }]);
    expect(submitting).toMatchObject({ kind: 'confirm', submitting: true });
    // A picture expired: every captured page is taken again, the missing one stays declared.
    const gone = run([{ type: 'refused', code: 'pictureGone', problem: undefined }], submitting);
    expect(gone).toMatchObject({ kind: 'refused', code: 'pictureGone', fix: 'materials', draft: { materials: { M08: { kind: 'missing' } } } });
    if (gone.kind === 'refused') expect(gone.draft.materials['M01']).toBeUndefined();
    expect(run([{ type: 'fix' }], gone)).toMatchObject({ kind: 'material', index: 0 });
    const field = run([{ type: 'refused', code: 'applicationIncomplete', problem: 'missingField' }, { type: 'fix' }], submitting);
    expect(field).toMatchObject({ kind: 'form', field: 0, draft: { form: { phone: '13800138000' } } });
    const sign = run([{ type: 'refused', code: 'applicationIncomplete', problem: 'commitmentMissing' }, { type: 'fix' }], submitting);
    expect(sign).toMatchObject({ kind: 'commitment', draft: { signaturePng: undefined } });
    const again = run([{ type: 'refused', code: 'notVerified', problem: undefined }, { type: 'fix' }], submitting);
    expect(again).toMatchObject({ kind: 'identity', resume: { item: { code: item.code } } });
    expect(run([{ type: 'verified', card }], again)).toMatchObject({ kind: 'confirm', submitting: false, draft: { materials: { M01: { kind: 'pages' } } } });
    const unknown = run([{ type: 'refused', code: 'timeOut', problem: undefined }], submitting);
    expect(run([{ type: 'fix' }], unknown)).toBe(unknown);
  });

  it('walks back through the steps without losing what was entered', () => {
    const m02 = run([...toForm, ...fillForm, ...capture(1), { type: 'next' }]);
    const m01 = run([{ type: 'back' }], m02);
    expect(m01).toMatchObject({ kind: 'material', index: 0, draft: { materials: { M01: { kind: 'pages' } } } });
    expect(run([{ type: 'back' }], m01)).toMatchObject({ kind: 'form', field: 1, draft: { form: { grade: '500' } } });
  });
});
