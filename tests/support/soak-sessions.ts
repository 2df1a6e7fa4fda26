// Simulated resident sessions for the soak (tests/soak.test.ts and device-daemon/bench/soak.bench.ts):
// each session is one journey, chosen by a seeded random, driven over the WebSocket as the UI
// drives it: Kiosk.Journey started, the journey's commands, Kiosk.Journey completed, a rating
// after a service. Like a kiosk, the sessions share one long-lived socket; a few reconnect first
// (half with ?token=, half with Kiosk.Authenticate). Every command must complete, with a code
// the journey expects; anything else is tallied as unexpected. A share of card journeys (none unless
// asked: a check takes seconds) adds the face check, the resident answering each challenge.
import { readFileSync } from 'node:fs';
import { diagnosticsSchema, type Diagnostics } from '../../device-daemon/src/ops/diagnostics';
import { evalFace, evalFacesPresent } from '../../device-daemon/src/testing/eval-faces';
import { seededRandom } from '../../device-daemon/src/testing/seeded-random';
import { WsTestClient } from '../../device-daemon/src/testing/ws-test-client';
import type { CompletionMessage } from '../../device-daemon/src/protocol';
import type { DaemonProcess } from './daemon-process';
import { HOLDER_CARD, siteFor, type Sandboxes } from './sandboxes';

export const JOURNEY_KINDS = ['card', 'bill', 'apply', 'track', 'rate', 'ticket', 'browse', 'status'] as const;
export type JourneyKind = (typeof JOURNEY_KINDS)[number];

/**
 * How often each journey is chosen. Card journeys wait on the reader's poll (300 ms at least) to
 * see the card come and go, and prints on the virtual printer, so both are a minority, as is the
 * application with its document-camera picture.
 */
export const JOURNEY_WEIGHTS: Readonly<Record<JourneyKind, number>> = { card: 0.06, bill: 0.22, apply: 0.06, track: 0.12, rate: 0.08, ticket: 0.05, browse: 0.23, status: 0.18 };

export interface SoakOptions {
  readonly seed: number;
  /** Share of sessions that open a fresh socket first. */
  readonly reconnectShare?: number;
  /** Share of bill payments followed by a printed receipt. */
  readonly receiptShare?: number;
  readonly commandTimeoutMs?: number;
  /** Share of bill payments made by a QR code on screen (native) rather than a payment code. */
  readonly nativeShare?: number;
  /** The gateway sandbox: a resident scans most native QR codes (the rest expire and close). */
  readonly gateway?: { scanAndPay(orderId: string): { readonly ok: boolean } };
  /** Share of card journeys that add a face check (the holder must be in the camera's scene). */
  readonly faceShare?: number;
}

export interface SoakTally {
  sessions: number;
  commands: number;
  completions: number;
  reconnects: number;
  prints: number;
  readonly byJourney: Record<JourneyKind, number>;
  /** "journey command: completionCode/errorCode" of every completion a journey did not expect, and missing completions. */
  readonly unexpected: string[];
  /** Messages that failed the protocol schema, over every socket the driver opened. */
  readonly malformed: unknown[];
  /** Send to completion, per command (ms). */
  readonly roundTripsMs: number[];
  /** Send to completion of Printer.PrintForm (ms). */
  readonly printMs: number[];
  /** Face.Verify checks made (apart from commands: each takes seconds of challenges), and how many verified. */
  faceChecks: number;
  faceVerified: number;
  readonly faceMs: number[];
}

const SUCCESS = ['success'];
const TICKET = (n: number): Record<string, unknown> => ({ template: 'queue-ticket', data: { number: `A${String(n % 1000).padStart(3, '0')}`, service: '户籍 Household registry', waiting: n % 7, issuedAt: '2026-11-22T10:20:00+08:00' } });
const ITEMS = ['330000-HJ-0001', '330000-YB-0001', '330000-SB-0006', '330000-HJ-0002', '330000-SB-0001'];
const CATEGORIES = ['civilAffairs', 'householdRegistry', 'medicalInsurance', 'socialInsurance', 'utilities'];
const BILLS = [
  { utility: 'water', account: '33010603' },
  { utility: 'gas', account: '330106101' },
  { utility: 'electricity', account: '3301060014' },
  { utility: 'electricity', account: '3301060012' },
];
const JOURNEY_CODE: Readonly<Record<JourneyKind, string>> = { card: 'J1', bill: 'J4', apply: 'J5', track: 'J6', rate: 'J7', ticket: 'J8', browse: 'J5', status: 'J8' };

export class SoakDriver {
  readonly tally: SoakTally = {
    sessions: 0,
    commands: 0,
    completions: 0,
    reconnects: 0,
    prints: 0,
    byJourney: { card: 0, bill: 0, apply: 0, track: 0, rate: 0, ticket: 0, browse: 0, status: 0 },
    unexpected: [],
    malformed: [],
    roundTripsMs: [],
    printMs: [],
    faceChecks: 0,
    faceVerified: 0,
    faceMs: [],
  };
  readonly #random: () => number;
  readonly #reconnectShare: number;
  readonly #receiptShare: number;
  readonly #timeoutMs: number;
  readonly #nativeShare: number;
  readonly #gateway: SoakOptions['gateway'];
  readonly #faceShare: number;
  #client: WsTestClient | undefined;
  #codes = 0;
  #tracking: string[] = [];

  constructor(
    private readonly daemon: DaemonProcess,
    options: SoakOptions,
  ) {
    this.#random = seededRandom(options.seed);
    this.#reconnectShare = options.reconnectShare ?? 0.05;
    this.#receiptShare = options.receiptShare ?? 0.2;
    this.#timeoutMs = options.commandTimeoutMs ?? 30_000;
    this.#gateway = options.gateway;
    this.#nativeShare = options.gateway ? (options.nativeShare ?? 0.25) : 0;
    this.#faceShare = options.faceShare ?? 0;
  }

  /** Runs `count` sessions; `every(done)` runs after each `interval` sessions (sampling). */
  async run(count: number, interval = 0, every?: (done: number) => Promise<void>): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      await this.session();
      if (every && interval > 0 && (i + 1) % interval === 0) await every(i + 1);
    }
  }

  /** One resident session: maybe a reconnect, then one journey. */
  async session(): Promise<void> {
    if (!this.#client || this.#random() < this.#reconnectShare) await this.#reconnect();
    const client = this.#client;
    if (!client) throw new Error('no socket');
    // The session's messages only: the long-lived socket's history would grow with the soak.
    client.messages.splice(0);
    const kind = this.#pick();
    this.tally.byJourney[kind] += 1;
    const journey = JOURNEY_CODE[kind];
    await this.#command(kind, 'Kiosk.Journey', { journey, event: 'started' });
    const transaction = await this.#journey(kind);
    await this.#command(kind, 'Kiosk.Journey', { journey, event: 'completed' });
    // J7 after a finished service, bound to its transaction.
    if (transaction !== undefined) await this.#command(kind, 'Platform.Rate', { transactionId: transaction, level: 4 + Math.floor(this.#random() * 2) });
    this.tally.sessions += 1;
  }

  /** Closes the socket and waits until the daemon side has seen it go. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    this.tally.malformed.push(...client.malformed);
    client.close();
    await client.closed;
  }

  #pick(): JourneyKind {
    let roll = this.#random();
    for (const kind of JOURNEY_KINDS) {
      roll -= JOURNEY_WEIGHTS[kind];
      if (roll < 0) return kind;
    }
    return 'status';
  }

  async #reconnect(): Promise<void> {
    if (this.#client) {
      await this.close();
      this.tally.reconnects += 1;
    }
    if (this.#random() < 0.5) {
      this.#client = await WsTestClient.connect(`${this.daemon.wsUrl}?token=${this.daemon.uiToken}`);
    } else {
      const client = await WsTestClient.connect(this.daemon.wsUrl);
      this.#client = client;
      await this.#command('status', 'Kiosk.Authenticate', { token: this.daemon.uiToken });
    }
  }

  /** Sends a command and waits for its completion; tallies its round trip and an unexpected code. */
  async #command(kind: JourneyKind, name: string, payload: Record<string, unknown>, expected: readonly string[] = SUCCESS): Promise<CompletionMessage | undefined> {
    const client = this.#client;
    if (!client) throw new Error('no socket');
    const started = performance.now();
    const id = client.command(name, payload);
    this.tally.commands += 1;
    let done: CompletionMessage;
    try {
      done = await client.completion(id, this.#timeoutMs);
    } catch {
      this.tally.unexpected.push(`${kind} ${name}: no completion within ${this.#timeoutMs} ms`);
      return undefined;
    }
    const ms = performance.now() - started;
    this.tally.completions += 1;
    this.tally.roundTripsMs.push(ms);
    if (name === 'Printer.PrintForm') {
      this.tally.prints += 1;
      this.tally.printMs.push(ms);
      // The resident takes the slip: the simulator's paper model would otherwise fill to its cap
      // (thousands of glyph objects in the daemon's heap) and read as the daemon's growth.
      await this.daemon.simulate('receiptPrinter', { action: 'tear' });
    }
    const code = done.header.completionCode === 'commandErrorCode' ? `commandErrorCode/${String(done.payload.errorCode)}` : done.header.completionCode;
    if (!expected.includes(code)) this.tally.unexpected.push(`${kind} ${name}: ${code}`);
    return done;
  }

  /** The journey's commands; returns the transaction a rating is bound to, if any. */
  async #journey(kind: JourneyKind): Promise<string | undefined> {
    const r = this.#random;
    switch (kind) {
      case 'status':
        await this.#command(kind, 'Common.Status', {});
        if (r() < 0.3) await this.#command(kind, 'Common.Capabilities', {});
        return undefined;
      case 'browse':
        await this.#command(kind, 'Platform.Catalogue', r() < 0.5 ? {} : { category: CATEGORIES[Math.floor(r() * CATEGORIES.length)] });
        await this.#command(kind, 'Platform.Guide', { code: ITEMS[Math.floor(r() * ITEMS.length)] });
        return undefined;
      case 'track': {
        const known = this.#tracking.length > 0 && r() < 0.8 ? this.#tracking[Math.floor(r() * this.#tracking.length)] : undefined;
        if (known) await this.#command(kind, 'Platform.Progress', { trackingNumber: known });
        else await this.#command(kind, 'Platform.Progress', { trackingNumber: 'HZXH0042-20990101-999999' }, ['commandErrorCode/unknownItem']);
        return undefined;
      }
      case 'rate':
        await this.#command(kind, 'Platform.Rate', { transactionId: `MENU-${this.tally.sessions}`, level: 1 + Math.floor(r() * 2), reasons: ['waitTooLong'] });
        return undefined;
      case 'ticket':
        await this.#command(kind, 'Printer.PrintForm', TICKET(this.tally.sessions));
        return undefined;
      case 'bill':
        return this.#bill();
      case 'card':
        // No draw without face checks, so runs without them keep the sequence they always had.
        await this.#withCard(async (readId) => {
          if (this.#faceShare > 0 && r() < this.#faceShare) await this.#faceCheck(readId);
        });
        return undefined;
      case 'apply':
        return this.#apply();
    }
  }

  async #bill(): Promise<string | undefined> {
    const r = this.#random;
    const bill = BILLS[Math.floor(r() * BILLS.length)] ?? BILLS[0]!;
    await this.#command('bill', 'Payment.LookupBill', r() < 0.8 ? bill : { barcode: 'W33010603202610' });
    if (r() < this.#nativeShare) return this.#native();
    // Payment codes are single use: each payment has its own.
    const code = `13${String(8_000_000_000_000_000 + ++this.#codes).padStart(16, '0')}`;
    const amount = 100 + Math.floor(r() * 900);
    const paid = await this.#command('bill', 'Payment.Create', { utility: 'electricity', account: '3301060012', amount, method: 'micropay', code });
    if (!paid || paid.header.completionCode !== 'success') return undefined;
    const orderId = String(paid.payload.orderId);
    if (paid.payload.state !== 'SUCCESS') this.tally.unexpected.push(`bill Payment.Create: state ${String(paid.payload.state)}`);
    if (r() < 0.5) await this.#command('bill', 'Payment.Query', { orderId });
    if (r() < this.#receiptShare) {
      await this.#command('bill', 'Printer.PrintForm', {
        template: 'payment-receipt',
        data: { utility: 'electricity', account: '3301060012', holderMasked: '王*', kind: 'arrears', amountFen: amount, method: 'wechat', orderId, receiptNumber: String(paid.payload.receiptNumber ?? orderId).slice(0, 32), status: 'success', paidAt: new Date().toISOString() },
      });
    }
    return orderId;
  }

  /** A QR code on screen; most residents scan it, the others walk away and it closes at its expiry. */
  async #native(): Promise<string | undefined> {
    const created = await this.#command('bill', 'Payment.Create', { utility: 'water', account: '33010601', amount: 2_000 + Math.floor(this.#random() * 900), method: 'native' });
    if (!created || created.header.completionCode !== 'success') return undefined;
    const orderId = String(created.payload.orderId);
    if (created.payload.state !== 'PAYING') this.tally.unexpected.push(`bill Payment.Create native: state ${String(created.payload.state)}`);
    if (this.#random() < 0.8 && this.#gateway && !this.#gateway.scanAndPay(orderId).ok) this.tally.unexpected.push('bill: the QR code could not be paid');
    await this.#command('bill', 'Payment.Query', { orderId });
    return orderId;
  }

  async #apply(): Promise<string | undefined> {
    const r = this.#random;
    let tracking: string | undefined;
    await this.#withCard(async (readId) => {
      await this.#command('apply', 'Platform.Guide', { code: '330000-YB-0001' });
      const picture = await this.#command('apply', 'Camera.TakePicture', {});
      if (!picture || picture.header.completionCode !== 'success') return;
      const submitted = await this.#command('apply', 'Platform.Submit', {
        readId,
        itemCode: '330000-YB-0001',
        form: { phone: '13800138000' },
        materials: [{ code: 'M01', pictureIds: [String(picture.payload.pictureId)] }],
        missing: ['M02'],
        commitment: { signaturePng: 'iVBORw0KGgo=', agreed: true },
      });
      if (!submitted || submitted.header.completionCode !== 'success') return;
      tracking = String(submitted.payload.trackingNumber);
      // Only delivered applications are known to the platform's progress query.
      if (submitted.payload.state === 'delivered' && this.#tracking.length < 200) this.#tracking.push(tracking);
      if (r() < 0.3) await this.#command('apply', 'Platform.SubmissionStatus', { trackingNumber: tracking });
    });
    return tracking;
  }

  /** Face.Verify against the card's photo; the resident performs each challenge half a second after it is asked. */
  async #faceCheck(readId: string): Promise<void> {
    const client = this.#client;
    if (!client) throw new Error('no socket');
    const started = performance.now();
    const id = client.command('Face.Verify', { reference: { kind: 'card', readId } });
    const performing: Promise<unknown>[] = [];
    const stop = client.events(id, (name, payload) => {
      if (name === 'Face.ChallengeEvent' && payload['state'] === 'started') performing.push(this.daemon.simulate('faceCamera', { action: 'perform', gesture: payload['challenge'], afterMs: 500 }));
    });
    let done: CompletionMessage;
    try {
      done = await client.completion(id, 60_000);
    } catch {
      this.tally.unexpected.push('card Face.Verify: no completion within 60000 ms');
      return;
    } finally {
      stop();
      await Promise.all(performing);
    }
    this.tally.faceChecks += 1;
    this.tally.faceMs.push(performance.now() - started);
    if (done.header.completionCode === 'success' && done.payload.verified === true) this.tally.faceVerified += 1;
    else this.tally.unexpected.push(`card Face.Verify: ${done.header.completionCode} ${JSON.stringify(done.payload)}`);
  }

  /** Card placed, read, used, removed: waits for the reader to see it come and go. */
  async #withCard(use: (readId: string) => Promise<void>): Promise<void> {
    const client = this.#client;
    if (!client) throw new Error('no socket');
    const kind: JourneyKind = 'card';
    await this.daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
    try {
      await client.unsolicited('IdCard.CardInserted', () => true, this.#timeoutMs);
    } catch {
      this.tally.unexpected.push(`${kind}: no IdCard.CardInserted`);
    }
    const read = await this.#command(kind, 'IdCard.Read', {});
    if (read && read.header.completionCode === 'success') await use(String(read.payload.readId));
    await this.daemon.simulate('idCardReader', { action: 'remove' });
    try {
      await client.unsolicited('IdCard.CardRemoved', () => true, this.#timeoutMs);
    } catch {
      this.tally.unexpected.push(`${kind}: no IdCard.CardRemoved`);
    }
  }
}

/**
 * The soak's site: the tests' site on the sandboxes (lean: no face camera, face check or scanner),
 * with the document camera's still at its preview size, so a picture is the newest frame rather
 * than ffmpeg reopened at 1920x1440 (seconds per picture).
 */
/** Whether the full soak site can hold face checks: the holder's card carries an evaluation face. */
export const SOAK_FACES = evalFacesPresent;
/** The scene the face camera shows for face checks: another picture of the card's holder. */
export const SOAK_FACE_SCENE = SOAK_FACES ? evalFace('raj_1.png') : '';

export function soakSite(sandboxes: Sandboxes, lean: boolean): Record<string, unknown> {
  const site = siteFor(sandboxes, { lean });
  const devices = site['devices'];
  const base = typeof devices === 'object' && devices !== null ? devices : {};
  const documentCamera = lean
    ? { preview: { width: 320, height: 240, fps: 5 }, still: { width: 320, height: 240 }, frameTimeoutMs: 3_000, reconnect: { initialMs: 50, maxMs: 200, jitter: 0 } }
    : { preview: { width: 640, height: 480, fps: 10 }, still: { width: 640, height: 480 }, frameTimeoutMs: 3_000, reconnect: { initialMs: 50, maxMs: 200, jitter: 0 } };
  // The A4 queue is not used here; its status poll (an lpstat child every 250 ms in the tests'
  // site) would keep process and pipe handles coming and going under every measurement.
  const a4Printer = { statusPollMs: 60_000 };
  if (lean || !SOAK_FACES) return { ...site, devices: { ...base, documentCamera, a4Printer } };
  const reader = 'idCardReader' in base && typeof base.idCardReader === 'object' && base.idCardReader !== null ? base.idCardReader : {};
  return {
    ...site,
    devices: { ...base, documentCamera, a4Printer, idCardReader: { ...reader, simulator: { cards: [{ ...HOLDER_CARD, photo: evalFace('raj_4.png') }] } } },
    face: { liveness: { challengeTimeoutMs: 4_000 }, positioningTimeoutMs: 6_000 },
  };
}

/** GET /v1/diagnostics (after a collection when `gc`), checked against its schema. */
export async function diagnostics(daemon: DaemonProcess, gc = true): Promise<Diagnostics> {
  const response = await daemon.ops(`/v1/diagnostics${gc ? '?gc=1' : ''}`);
  if (!response.ok) throw new Error(`diagnostics: ${response.status}`);
  return diagnosticsSchema.parse(await response.json());
}

/** The daemon's resident set from the kernel (kB in /proc, returned in bytes). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** Handles by type and listeners by set, without the ones the act of asking adds (the ops request). */
export function leakProfile(d: Diagnostics): { resources: Record<string, number>; listeners: Record<string, number> } {
  const listeners: Record<string, number> = {};
  for (const l of d.listeners) listeners[l.where] = l.listeners;
  return { resources: d.resources, listeners };
}
