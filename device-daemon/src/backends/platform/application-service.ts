// Applications from the kiosk: checked against the item's guide (容缺受理 included) before anything
// is stored, given a tracking number, and written to the outbox with their supervision events in
// one transaction. The resident gets the tracking number at once: confirmed by the platform when it
// answers within a moment, otherwise queued and sent as soon as it can be.
import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../../core/result';
import type { PictureStore } from '../../devices/camera/picture-store';
import { nextCounter } from '../../store/counters';
import type { KioskDatabase } from '../../store/database';
import type { OutboxSender } from '../outbox/outbox-sender';
import type { OutboxStore } from '../outbox/outbox-store';
import { checkApplication, type ApplicationProblem } from './application-rules';
import type { CatalogueService } from './catalogue-service';
import type { CatalogueItem, Submission, SupervisionEvent } from './platform-api';
import { residentOf, type ResidentLookup } from './resident';
import { dateOnly } from './working-days';

export interface SubmitRequest {
  readonly readId: string;
  readonly itemCode: string;
  readonly form: Readonly<Record<string, string>>;
  readonly materials: ReadonlyArray<{ readonly code: string; readonly pictureIds: readonly string[] }>;
  readonly missing: readonly string[];
  readonly commitment?: { readonly signaturePng: string } | undefined;
}

export interface SubmitResult {
  readonly trackingNumber: string;
  readonly state: 'delivered' | 'queued';
  readonly acceptance: 'complete' | 'tolerated';
  readonly promisedBy: string;
  readonly missing: Array<{ code: string; name: { zh: string; en: string }; deadline: string }>;
  readonly caseId?: string;
  readonly commitmentText?: string;
}

export type SubmitError =
  | { readonly code: 'noReference' | 'notVerified' | 'unknownItem' | 'pictureGone'; readonly message: string }
  | { readonly code: 'applicationIncomplete'; readonly message: string; readonly problem: ApplicationProblem };

export interface ApplicationServiceOptions {
  readonly db: KioskDatabase;
  readonly outbox: OutboxStore;
  readonly sender: OutboxSender;
  readonly catalogue: CatalogueService;
  readonly residents: ResidentLookup;
  readonly pictures: PictureStore;
  readonly terminal: { readonly id: string; readonly region: string };
  /** How long to wait for the platform's confirmation before answering "queued". */
  readonly confirmWaitMs: number;
  readonly now?: () => number;
}

/** The commitment (容缺受理承诺书) as the resident reads and signs it. */
export function commitmentText(item: CatalogueItem, missing: ReadonlyArray<{ code: string; deadline: string }>): string {
  const names = new Map(item.guide.materials.map((m) => [m.code, m.name.zh]));
  const list = missing.map((m, i) => `${i + 1}. ${names.get(m.code) ?? m.code}（${m.deadline}前）`).join('；');
  return `本人申请办理“${item.name.zh}”，承诺在规定期限内补交以下材料：${list}。逾期未补交的，同意按有关规定处理，并对所提交材料的真实性负责。`;
}

export class ApplicationService {
  readonly #now: () => number;

  constructor(private readonly options: ApplicationServiceOptions) {
    this.#now = options.now ?? ((): number => Date.now());
  }

  /** A tracking number unique to this terminal: its id, the date, a counter kept in the database. */
  #trackingNumber(at: Date): string {
    const prefix = this.options.terminal.id.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16) || 'KIOSK';
    const seq = nextCounter(this.options.db, 'trackingNumber');
    return `${prefix}-${dateOnly(at).replaceAll('-', '')}-${String(seq).padStart(6, '0')}`;
  }

  async submit(request: SubmitRequest): Promise<Result<SubmitResult, SubmitError>> {
    const resident = residentOf(this.options.residents, request.readId);
    if (!resident.ok) return resident;
    const item = this.options.catalogue.item(request.itemCode);
    if (!item) return err({ code: 'unknownItem', message: `item ${request.itemCode} is not in this township's list` });
    const at = new Date(this.#now());
    // The card fills what the form takes from it; what the resident typed wins elsewhere.
    const form: Record<string, string> = { ...request.form };
    for (const field of item.form) {
      const fromCard = field.prefill === 'name' ? resident.value.name : field.prefill === 'idNumber' ? resident.value.idNumber : field.prefill === 'sex' ? resident.value.sex : field.prefill === 'birth' ? resident.value.birthDate : field.prefill === 'address' ? resident.value.address : undefined;
      if (fromCard !== undefined && !(form[field.key] ?? '').trim()) form[field.key] = fromCard;
    }
    const given = request.materials.map((m) => m.code);
    const checked = checkApplication(item, { form, given, missing: request.missing.map((code) => ({ code })), committed: request.commitment !== undefined }, at);
    if (!checked.ok) return err({ code: 'applicationIncomplete', message: `${checked.error.problem}: ${checked.error.detail}`, problem: checked.error.problem });
    const ids = request.materials.flatMap((m) => m.pictureIds);
    if (new Set(ids).size !== ids.length) return err({ code: 'pictureGone', message: 'the same picture is given twice' });
    const pictures = this.options.pictures.claim(ids);
    if (!pictures) return err({ code: 'pictureGone', message: 'a captured picture has expired or was already used: take it again' });
    let next = 0;
    const materials = request.materials.map((m) => ({ code: m.code, pages: m.pictureIds.map(() => pictures[next++]?.toString('base64') ?? '') }));
    for (const p of pictures) p.fill(0);
    const text = checked.value.acceptance === 'tolerated' ? commitmentText(item, checked.value.missing) : undefined;
    const phone = form['phone'];
    const submissionAt = at.toISOString();
    const { outbox, db } = this.options;
    const { trackingNumber, messageId } = db.transaction(() => {
      const trackingNumber = this.#trackingNumber(at);
      const submission: Submission = {
        trackingNumber,
        itemCode: item.code,
        applicant: { name: resident.value.name, idNumber: resident.value.idNumber, ...(phone && /^1\d{10}$/.test(phone) ? { phone } : {}) },
        form,
        materials,
        missing: checked.value.missing.map((m) => ({ code: m.code, deadline: m.deadline })),
        ...(text && request.commitment ? { commitment: { text, signaturePng: request.commitment.signaturePng, signedAt: submissionAt } } : {}),
        terminal: { id: this.options.terminal.id, region: this.options.terminal.region },
        submittedAt: submissionAt,
      };
      const message = outbox.enqueue('submission', trackingNumber, submission);
      const event = (action: SupervisionEvent['action']): SupervisionEvent => ({ eventId: randomUUID(), transactionId: trackingNumber, action, itemCode: item.code, terminalId: this.options.terminal.id, at: submissionAt });
      outbox.enqueue('supervision', trackingNumber, event('applicationSubmitted'));
      if (checked.value.acceptance === 'tolerated') outbox.enqueue('supervision', trackingNumber, event('materialsTolerated'));
      db.prepare('INSERT INTO submissions (tracking_number, item_code, acceptance, outbox_id, created_at) VALUES (?, ?, ?, ?, ?)').run(trackingNumber, item.code, checked.value.acceptance, message.id, submissionAt);
      return { trackingNumber, messageId: message.id };
    })();
    for (const m of materials) m.pages.fill('');
    const confirmed = await this.#awaitFirstAttempt(messageId);
    const names = new Map(item.guide.materials.map((m) => [m.code, m.name]));
    const result = confirmed?.kind === 'delivered' ? outbox.get(messageId)?.result : undefined;
    const caseId = typeof result === 'object' && result !== null && 'caseId' in result && typeof result.caseId === 'string' ? result.caseId : undefined;
    return ok({
      trackingNumber,
      state: confirmed?.kind === 'delivered' ? 'delivered' : 'queued',
      acceptance: checked.value.acceptance,
      promisedBy: checked.value.promisedBy,
      missing: checked.value.missing.map((m) => ({ code: m.code, name: names.get(m.code) ?? { zh: m.code, en: m.code }, deadline: m.deadline })),
      ...(caseId ? { caseId } : {}),
      ...(text ? { commitmentText: text } : {}),
    });
  }

  /** The submission's state in the outbox: queued, delivered (with the platform's case id), or rejected. */
  status(trackingNumber: string): { trackingNumber: string; state: 'queued' | 'delivered' | 'rejected'; caseId?: string; reason?: string } | undefined {
    const row = this.options.db.prepare<[string], { outbox_id: string }>('SELECT outbox_id FROM submissions WHERE tracking_number = ?').get(trackingNumber);
    const message = row ? this.options.outbox.get(row.outbox_id) : undefined;
    if (!message) return undefined;
    const result = message.result;
    const caseId = typeof result === 'object' && result !== null && 'caseId' in result && typeof result.caseId === 'string' ? result.caseId : undefined;
    if (message.state === 'pending') return { trackingNumber, state: 'queued' };
    if (message.state === 'rejected') return { trackingNumber, state: 'rejected', reason: message.lastError ?? 'rejected' };
    return { trackingNumber, state: 'delivered', ...(caseId ? { caseId } : {}) };
  }

  /** The outcome of the first send of a message, if it comes within the wait. */
  #awaitFirstAttempt(messageId: string): Promise<{ kind: string } | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(undefined);
      }, this.options.confirmWaitMs);
      const stop = this.options.sender.onEvent((event) => {
        if (event.message.id !== messageId) return;
        clearTimeout(timer);
        stop();
        resolve(event.outcome);
      });
      this.options.sender.kick();
    });
  }
}
