// The government platform's sandbox: the same HTTP API a real platform offers the kiosk, over real
// HTTP on loopback. It serves the catalogue and township lists from config/catalogue.json, accepts
// applications (checking 容缺受理 rules as a platform would), reports progress, issues certificate
// PDFs, and receives ratings and supervision events, idempotently. Tests can stop it, restart it,
// and make it fail.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { err, ok, type Result } from '../../../core/result';
import { gb11643Valid } from '../../../devices/id-card-reader/id-number';
import { errorReply, startJsonServer, type JsonReply, type JsonRequest, type JsonServer, type Route } from '../../http/json-server';
import { SandboxStore } from '../../sandbox-store';
import {
  catalogueItemSchema,
  identityPhotoSchema,
  personQuerySchema,
  ratingSchema,
  submissionSchema,
  supervisionEventSchema,
  type CatalogueItem,
  type Progress,
  type SubmissionReply,
} from '../platform-api';
import { checkApplication } from '../application-rules';
import { dateOnly } from '../working-days';
import { renderCertificatePdf } from './certificate-pdf';
import { renderCertificatePreview } from './certificate-preview';
import { findCjkFont, type FontFace } from './cjk-font';
import { heldCertificates, type Person } from './person-records';

export const sandboxCatalogueFileSchema = z.object({
  version: z.string(),
  items: z.array(catalogueItemSchema).min(1),
  regions: z.array(z.object({ region: z.string().regex(/^\d{6}(\d{3})?$/), name: z.object({ zh: z.string(), en: z.string() }), items: z.array(z.string()) })).min(1),
});
export type SandboxCatalogue = z.infer<typeof sandboxCatalogueFileSchema>;

export async function loadSandboxCatalogue(path: string): Promise<Result<SandboxCatalogue, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    return err(`catalogue ${path} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const catalogue = sandboxCatalogueFileSchema.safeParse(parsed);
  if (!catalogue.success) return err(`catalogue ${path}: ${catalogue.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const codes = new Set(catalogue.data.items.map((i) => i.code));
  for (const region of catalogue.data.regions) {
    const unknown = region.items.filter((c) => !codes.has(c));
    if (unknown.length > 0) return err(`catalogue ${path}: region ${region.region} lists unknown items ${unknown.join(', ')}`);
  }
  return ok(catalogue.data);
}

export interface PlatformSandboxOptions {
  readonly host?: string;
  readonly port?: number;
  readonly catalogue: SandboxCatalogue;
  /** App id -> shared secret of the kiosks allowed in. */
  readonly apps: Readonly<Record<string, string>>;
  /** The file the sandbox keeps its state in (`:memory:` for tests). */
  readonly dataFile?: string;
  /** Reference photos by ID number (image files), for the face check's platform reference. */
  readonly identityPhotos?: Readonly<Record<string, string>>;
  readonly verifyBase?: string;
  readonly now?: () => number;
}

const storedApplication = z.object({ digest: z.string(), reply: z.unknown(), itemCode: z.string(), acceptedAt: z.string(), tolerated: z.boolean(), promisedBy: z.string(), pages: z.number() });
const storedRating = ratingSchema;
const storedEvent = supervisionEventSchema;
const ratedTransaction = z.object({ ratingId: z.string() });

export class PlatformSandbox {
  readonly store: SandboxStore;
  #server: JsonServer | undefined;
  #port: number;
  #failNext: Array<{ status: number; drop: boolean }> = [];
  #font: FontFace | undefined;
  readonly #now: () => number;
  readonly #items: Map<string, CatalogueItem>;

  constructor(private readonly options: PlatformSandboxOptions) {
    this.store = new SandboxStore(options.dataFile ?? ':memory:');
    this.#port = options.port ?? 0;
    this.#now = options.now ?? ((): number => Date.now());
    this.#items = new Map(options.catalogue.items.map((i) => [i.code, i]));
  }

  get url(): string {
    // Known once started, and kept while stopped: a restart comes back on the same port.
    if (this.#server) return this.#server.url;
    if (this.#port === 0) throw new Error('sandbox has not been started');
    return `http://${this.options.host ?? '127.0.0.1'}:${this.#port}`;
  }

  get running(): boolean {
    return this.#server !== undefined;
  }

  /** Requests under way (fake-time tests wait for none before moving the clock). */
  get busy(): boolean {
    return (this.#server?.inFlight ?? 0) > 0;
  }

  async start(): Promise<Result<string, string>> {
    if (this.#server) return ok(this.#server.url);
    const started = await startJsonServer({
      host: this.options.host ?? '127.0.0.1',
      port: this.#port,
      routes: this.#routes(),
      secretOf: (app) => this.options.apps[app],
      now: this.#now,
      before: () => {
        const fault = this.#failNext.shift();
        if (!fault) return undefined;
        return fault.drop ? 'drop' : errorReply(fault.status, 'unavailable', 'sandbox told to fail');
      },
    });
    if (!started.ok) return started;
    this.#server = started.value;
    // Restarted later on the same port, as a platform coming back would be.
    this.#port = started.value.port;
    return ok(started.value.url);
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await server?.close();
  }

  /** The next `count` requests fail: with a status, or by dropping the connection. */
  failNext(count: number, how: { status?: number; drop?: boolean } = {}): void {
    for (let i = 0; i < count; i += 1) this.#failNext.push({ status: how.status ?? 503, drop: how.drop ?? false });
  }

  applications(): Array<{ trackingNumber: string; itemCode: string; tolerated: boolean }> {
    return this.store.list('applications', storedApplication).map(({ key, value }) => ({ trackingNumber: key, itemCode: value.itemCode, tolerated: value.tolerated }));
  }

  ratings(): Array<z.infer<typeof ratingSchema>> {
    return this.store.list('ratings', storedRating).map((r) => r.value);
  }

  supervisionEvents(): Array<z.infer<typeof supervisionEventSchema>> {
    return this.store.list('supervision', storedEvent).map((r) => r.value);
  }

  async close(): Promise<void> {
    await this.stop();
    this.store.close();
  }

  #routes(): Route[] {
    return [
      { method: 'GET', pattern: /^\/v1\/catalogue$/, handle: (r) => this.#catalogue(r) },
      { method: 'POST', pattern: /^\/v1\/applications$/, handle: (r) => this.#submit(r) },
      { method: 'GET', pattern: /^\/v1\/applications\/([A-Z0-9-]{8,40})$/, handle: (r) => this.#progress(r.params[0] ?? '') },
      { method: 'POST', pattern: /^\/v1\/certificates\/query$/, handle: (r) => this.#certificates(r) },
      { method: 'POST', pattern: /^\/v1\/certificates\/([A-Za-z0-9_-]{16,64})\/pdf$/, handle: (r) => this.#certificatePdf(r) },
      { method: 'POST', pattern: /^\/v1\/certificates\/([A-Za-z0-9_-]{16,64})\/preview$/, handle: (r) => this.#certificatePreview(r) },
      { method: 'POST', pattern: /^\/v1\/ratings$/, handle: (r) => this.#rating(r) },
      { method: 'POST', pattern: /^\/v1\/supervision-events$/, handle: (r) => this.#supervision(r) },
      { method: 'POST', pattern: /^\/v1\/identity-photo$/, handle: (r) => this.#identityPhoto(r) },
    ];
  }

  #catalogue(request: JsonRequest): JsonReply {
    const region = request.query.get('region') ?? '';
    const list = this.options.catalogue.regions.find((r) => r.region === region) ?? this.options.catalogue.regions.find((r) => r.region === region.slice(0, 6));
    if (!list) return errorReply(404, 'unknownRegion', `no service list for region ${region}`);
    const items = list.items.flatMap((code) => {
      const item = this.#items.get(code);
      return item ? [item] : [];
    });
    const version = createHash('sha256').update(`${this.options.catalogue.version}:${list.region}:${list.items.join(',')}`).digest('hex').slice(0, 16);
    return { status: 200, json: { version, region: list.region, regionName: list.name, items } };
  }

  #submit(request: JsonRequest): JsonReply {
    const parsed = submissionSchema.safeParse(request.body);
    if (!parsed.success) return errorReply(400, 'invalidSubmission', parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const s = parsed.data;
    const digest = createHash('sha256').update(JSON.stringify(s)).digest('hex');
    return this.store.transaction(() => {
      const earlier = this.store.get('applications', s.trackingNumber, storedApplication);
      if (earlier) {
        // The same submission again (a retry): the first answer, again. Different content: refused.
        return earlier.digest === digest ? { status: 200, json: earlier.reply } : errorReply(409, 'trackingNumberTaken', `tracking number ${s.trackingNumber} was used for another application`);
      }
      const item = this.#items.get(s.itemCode);
      if (!item) return errorReply(400, 'notApplicable', `no item ${s.itemCode}`);
      if (!gb11643Valid(s.applicant.idNumber)) return errorReply(400, 'invalidApplicant', 'the applicant ID number fails its check digit');
      const accepted = new Date(this.#now());
      const checked = checkApplication(item, { form: s.form, given: s.materials.map((m) => m.code), missing: s.missing, committed: s.commitment !== undefined }, accepted);
      if (!checked.ok) return errorReply(400, checked.error.problem, checked.error.detail);
      const { promisedBy } = checked.value;
      const tolerated = checked.value.acceptance === 'tolerated';
      const names = new Map(item.guide.materials.map((m) => [m.code, m.name]));
      const caseNumber = this.store.list('applications', storedApplication).length + 1;
      const reply: SubmissionReply = {
        trackingNumber: s.trackingNumber,
        caseId: `ZW${dateOnly(accepted).replaceAll('-', '')}${String(caseNumber).padStart(6, '0')}`,
        acceptance: checked.value.acceptance,
        acceptedAt: accepted.toISOString(),
        promisedBy,
        missing: checked.value.missing.map((m) => ({ code: m.code, name: names.get(m.code) ?? { zh: m.code, en: m.code }, deadline: m.deadline })),
      };
      this.store.put('applications', s.trackingNumber, { digest, reply, itemCode: item.code, acceptedAt: accepted.toISOString(), tolerated, promisedBy, pages: s.materials.reduce((n, m) => n + m.pages.length, 0) });
      return { status: 201, json: reply };
    });
  }

  #progress(trackingNumber: string): JsonReply {
    const application = this.store.get('applications', trackingNumber, storedApplication);
    if (!application) return errorReply(404, 'unknownTrackingNumber', 'no application with that tracking number');
    const item = this.#items.get(application.itemCode);
    if (!item) return errorReply(404, 'unknownItem', 'the item is gone from the catalogue');
    const accepted = Date.parse(application.acceptedAt);
    const at = (ms: number): string => new Date(accepted + ms).toISOString();
    const timeline: Progress['timeline'] = [
      { at: at(0), status: 'received', note: '自助终端提交 Submitted at a self-service kiosk' },
      { at: at(1_000), status: 'accepted', note: application.tolerated ? '容缺受理 Accepted with materials to follow' : '受理 Accepted' },
    ];
    if (application.tolerated) timeline.push({ at: at(2_000), status: 'awaitingMaterials', note: '待补正材料 Awaiting materials' });
    const elapsed = this.#now() - accepted;
    if (!application.tolerated && elapsed >= 10 * 60_000) timeline.push({ at: at(10 * 60_000), status: 'inReview', note: '审查中 In review' });
    if (!application.tolerated && this.#now() >= Date.parse(`${application.promisedBy}T09:00:00+08:00`)) timeline.push({ at: new Date(Date.parse(`${application.promisedBy}T09:00:00+08:00`)).toISOString(), status: 'completed', note: '办结 Completed' });
    const progress: Progress = { trackingNumber, itemCode: item.code, itemName: item.name, status: timeline.at(-1)?.status ?? 'received', timeline };
    return { status: 200, json: progress };
  }

  #person(body: unknown): Result<Person, JsonReply> {
    const person = personQuerySchema.safeParse(body);
    if (!person.success) return err(errorReply(400, 'invalidPerson', 'name and idNumber are required'));
    if (!gb11643Valid(person.data.idNumber)) return err(errorReply(400, 'invalidPerson', 'the ID number fails its check digit'));
    return ok(person.data);
  }

  #certificates(request: JsonRequest): JsonReply {
    const person = this.#person(request.body);
    if (!person.ok) return person.error;
    const now = new Date(this.#now());
    const secret = this.options.apps[request.appId] ?? '';
    return {
      status: 200,
      json: {
        certificates: heldCertificates(secret, person.value, now).map((c) => ({ id: c.id, kind: c.kind, title: c.title, issuer: c.issuer, issuedAt: now.toISOString(), pages: 1 })),
      },
    };
  }

  async #certificatePdf(request: JsonRequest): Promise<JsonReply> {
    // The person comes in the body, so that the ID number is never in a URL or an access log.
    const person = this.#person(request.body);
    if (!person.ok) return person.error;
    const now = new Date(this.#now());
    const held = heldCertificates(this.options.apps[request.appId] ?? '', person.value, now).find((c) => c.id === request.params[0]);
    if (!held) return errorReply(404, 'unknownCertificate', 'no such certificate for this person');
    if (!this.#font) {
      const font = findCjkFont();
      if (!font.ok) return errorReply(500, 'noFont', font.error);
      this.#font = font.value;
    }
    const { pdf } = await renderCertificatePdf(held.content(now, this.options.verifyBase ?? 'https://zwfw.example.gov.cn/verify'), this.#font);
    return { status: 200, bytes: pdf, type: 'application/pdf' };
  }

  async #certificatePreview(request: JsonRequest): Promise<JsonReply> {
    const person = this.#person(request.body);
    if (!person.ok) return person.error;
    const now = new Date(this.#now());
    const held = heldCertificates(this.options.apps[request.appId] ?? '', person.value, now).find((c) => c.id === request.params[0]);
    if (!held) return errorReply(404, 'unknownCertificate', 'no such certificate for this person');
    const png = await renderCertificatePreview(held.content(now, this.options.verifyBase ?? 'https://zwfw.example.gov.cn/verify'));
    return { status: 200, bytes: png, type: 'image/png' };
  }

  #rating(request: JsonRequest): JsonReply {
    const rating = ratingSchema.safeParse(request.body);
    if (!rating.success) return errorReply(400, 'invalidRating', rating.error.issues.slice(0, 2).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (rating.data.level <= 2 && rating.data.reasons.length === 0) return errorReply(400, 'reasonsRequired', 'the two lowest levels need a reason');
    return this.store.transaction(() => {
      const earlier = this.store.get('ratings', rating.data.ratingId, storedRating);
      if (earlier) return { status: 200, json: { ratingId: rating.data.ratingId, received: true } };
      // 好差评: one rating per transaction; the same rating again is fine, another one is refused.
      const rated = this.store.get('ratingOfTransaction', rating.data.transactionId, ratedTransaction);
      if (rated) return errorReply(409, 'alreadyRated', 'this transaction has been rated');
      this.store.put('ratings', rating.data.ratingId, rating.data);
      this.store.put('ratingOfTransaction', rating.data.transactionId, { ratingId: rating.data.ratingId });
      return { status: 201, json: { ratingId: rating.data.ratingId, received: true } };
    });
  }

  #supervision(request: JsonRequest): JsonReply {
    const event = supervisionEventSchema.safeParse(request.body);
    if (!event.success) return errorReply(400, 'invalidEvent', event.error.issues.slice(0, 2).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return this.store.transaction(() => {
      const earlier = this.store.get('supervision', event.data.eventId, storedEvent);
      if (!earlier) this.store.put('supervision', event.data.eventId, event.data);
      return { status: earlier ? 200 : 201, json: { eventId: event.data.eventId, received: true } };
    });
  }

  async #identityPhoto(request: JsonRequest): Promise<JsonReply> {
    const person = this.#person(request.body);
    if (!person.ok) return person.error;
    const file = this.options.identityPhotos?.[person.value.idNumber];
    if (!file) return errorReply(404, 'noPhoto', 'the platform holds no photo for this person');
    try {
      const { default: sharp } = await import('sharp');
      const jpeg = await sharp(await readFile(file)).jpeg({ quality: 90 }).toBuffer();
      const reply = identityPhotoSchema.parse({ photo: jpeg.toString('base64') });
      return { status: 200, json: reply };
    } catch {
      return errorReply(500, 'photoUnreadable', 'the stored photo cannot be read');
    }
  }
}
