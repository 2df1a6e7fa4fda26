// The ID card reader driver: GA 467 SAM commands over any byte transport. It watches for cards
// (no faster than every 300 ms), announces them, reads them through the device queue, and keeps
// the last read (record and photo, in memory only) until the card is taken away.
import { randomUUID } from 'node:crypto';
import type { BackoffPolicy } from '../../core/backoff';
import { deadline } from '../../core/deadline';
import { FifoQueue } from '../../core/fifo-queue';
import { Listeners, type Unsubscribe } from '../../core/listeners';
import { err, ok, type Result } from '../../core/result';
import type { Logger } from '../../log/logger';
import type { CardChecks, CompletionCode, DeviceCapabilities, DeviceInformation, DeviceStatus, ErrorEvent, IdCardErrorCode } from '../../protocol';
import type { TransportError, TransportFactory } from '../../transports/transport';
import type { Device, DeviceNotification, HealthLevel, HealthReport } from '../device';
import { DeviceLink } from '../device-link';
import { StatusStore } from '../status-store';
import type { CardRecord } from './card-record';
import { decodeTextBlock } from './card-text';
import { todayInChina, validateCard } from './card-validation';
import type { DecodedPhoto, PhotoDecoder, PhotoError } from './photo-decoder';
import { SamClient, type SamCallError, type SamReply } from './sam-client';
import { SAM_COMMANDS, type SamCommand } from './sam-commands';
import { formatSamId, parseNewAddress, parseReadData } from './sam-response';
import { samOutcome, SAM_NO_CONTENT } from './sam-status';

export const MIN_POLL_INTERVAL_MS = 300;

export interface IdCardReaderOptions {
  readonly name: string;
  readonly simulated: boolean;
  readonly createTransport: TransportFactory;
  readonly openTimeoutMs: number;
  readonly backoff: BackoffPolicy;
  readonly pollIntervalMs: number;
  readonly photoDecoder: PhotoDecoder;
  readonly photoTimeoutMs: number;
  readonly fingerprint: boolean;
  readonly information: Omit<DeviceInformation, 'simulated' | 'serialNumber'>;
  readonly now: () => Date;
  readonly log: Logger;
}

export interface CardSession {
  readonly readId: string;
  readonly record: CardRecord;
  readonly checks: CardChecks;
  readonly expired: boolean;
  readonly photo: DecodedPhoto | undefined;
  readonly photoError: PhotoError | undefined;
  readonly fingerprint: Uint8Array | undefined;
  readonly readAt: Date;
}

export interface ReadFailure {
  readonly completionCode: Exclude<CompletionCode, 'success'>;
  readonly errorCode: IdCardErrorCode;
  readonly description: string;
}

const readFailure = (completionCode: ReadFailure['completionCode'], errorCode: IdCardErrorCode, description: string): ReadFailure => ({ completionCode, errorCode, description });

function fromCall(error: SamCallError): ReadFailure {
  switch (error.code) {
    case 'notConnected':
      return readFailure('deviceNotReady', 'notConnected', error.message);
    case 'noResponse':
      return readFailure('hardwareError', 'noResponse', error.message);
    case 'checksumError':
    case 'ioError':
      return readFailure('hardwareError', 'checksumError', error.message);
    case 'malformedReply':
      return readFailure('hardwareError', 'lengthError', error.message);
    case 'timeout':
      return readFailure('timeOut', 'noResponse', error.message);
    case 'canceled':
      return readFailure('canceled', 'noResponse', error.message);
  }
}

type Phase = 'unknown' | 'empty' | 'present' | 'read';

export class IdCardReader implements Device {
  readonly deviceClass = 'idCardReader' as const;
  readonly queue: FifoQueue;
  readonly #client: SamClient;
  readonly #link: DeviceLink;
  readonly #store: StatusStore;
  readonly #notifications = new Listeners<DeviceNotification>('id card reader notification');
  #phase: Phase = 'unknown';
  #session: CardSession | undefined;
  #samId = '';
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #faultKey: string | undefined;
  #lastHealth: HealthReport | undefined;
  #closed = false;

  constructor(private readonly options: IdCardReaderOptions) {
    if (options.pollIntervalMs < MIN_POLL_INTERVAL_MS) throw new Error(`poll interval below ${MIN_POLL_INTERVAL_MS} ms`);
    this.queue = new FifoQueue(options.name);
    this.#client = new SamClient(options.log);
    this.#store = new StatusStore(options.name, {
      deviceClass: 'idCardReader',
      common: { device: 'starting', devicePosition: 'inPosition' },
      idCardReader: { media: 'unknown', sam: 'unknown' },
    });
    this.#store.subscribe((event) => this.#notifications.emit({ kind: 'statusChanged', event }));
    this.#link = new DeviceLink({ createTransport: options.createTransport, openTimeoutMs: options.openTimeoutMs, backoff: options.backoff, log: options.log });
  }

  get name(): string {
    return this.options.name;
  }

  get simulated(): boolean {
    return this.options.simulated;
  }

  open(): void {
    this.#link.onConnected((transport) => {
      this.#client.attach(transport);
      void this.#initialise();
    });
    this.#link.onFailure((error) => this.#onLinkFailure(error));
    this.#link.start();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#wipeSession();
    await this.#link.stop();
  }

  status(): DeviceStatus {
    return this.#store.get();
  }

  capabilities(): DeviceCapabilities {
    return {
      deviceClass: 'idCardReader',
      common: {
        serviceVersion: '1.0',
        deviceInformation: [{ ...this.options.information, serialNumber: this.#samId, simulated: this.options.simulated }],
        healthLevels: ['internal', 'external', 'interactive'],
      },
      interfaces: [
        { name: 'Common', commands: ['Common.Status', 'Common.Capabilities', 'Common.Cancel'], events: ['Common.StatusChangedEvent', 'Common.ErrorEvent'] },
        { name: 'IdCard', commands: ['IdCard.Read'], events: ['IdCard.CardInserted', 'IdCard.CardRemoved'] },
      ],
      idCardReader: {
        cardTypes: ['resident', 'hmtPermit', 'foreignPermanent2017', 'foreignPermanent2023'],
        fingerprint: this.options.fingerprint,
        photoDecoder: this.options.photoDecoder.kind,
        pollIntervalMs: this.options.pollIntervalMs,
      },
    };
  }

  subscribe(listener: (notification: DeviceNotification) => void): Unsubscribe {
    return this.#notifications.subscribe(listener);
  }

  lastHealth(): HealthReport | undefined {
    return this.#lastHealth;
  }

  /** The card read last, while it is still on the reader. */
  session(readId: string): CardSession | undefined {
    return this.#session?.readId === readId ? this.#session : undefined;
  }

  /**
   * internal: the cached view. external: a SAM status round trip. interactive: waits for a card to
   * be presented and reads it (the technician holds a test card to the reader).
   */
  async checkHealth(level: HealthLevel, signal: AbortSignal): Promise<HealthReport> {
    const at = new Date().toISOString();
    let report: HealthReport;
    const s = this.#store.get();
    if (level === 'internal') {
      const healthy = s.common.device === 'online' && s.idCardReader?.sam === 'ok';
      report = { level, ok: healthy, at, text: `Internal CheckHealth: ${healthy ? 'OK' : 'Failed'}; state ${s.common.device}; SAM ${s.idCardReader?.sam}; card ${s.idCardReader?.media}` };
    } else if (level === 'external') {
      const reply = await this.queue.run((jobSignal) => this.#call(SAM_COMMANDS.samStatus, jobSignal), signal);
      const healthy = reply.ok && reply.value.ok && samOutcome(reply.value.value.sw3, SAM_COMMANDS.samStatus.ok).kind === 'success';
      report = { level, ok: healthy, at, text: `External CheckHealth: ${healthy ? `SAM answered OK (${this.#samId})` : 'SAM did not answer OK'}` };
    } else {
      const read = await this.queue.run((jobSignal) => this.read(jobSignal, false), signal);
      let text: string;
      if (!read.ok) text = read.error.message;
      else if (!read.value.ok) text = read.value.error.description;
      else text = `read a ${read.value.value.record.type} card`;
      report = { level, ok: read.ok && read.value.ok, at, text: `Interactive CheckHealth: ${text}` };
    }
    this.#lastHealth = report;
    return report;
  }

  #call(command: SamCommand, signal: AbortSignal): Promise<Result<SamReply, SamCallError>> {
    return this.#client.call(command, signal);
  }

  async #initialise(): Promise<void> {
    const guard = deadline(undefined, 5_000, 'reader initialisation');
    try {
      const status = await this.#call(SAM_COMMANDS.samStatus, guard.signal);
      if (!status.ok) return this.#onSilence(status.error);
      if (!this.#checkSam(status.value.sw3, SAM_COMMANDS.samStatus)) return;
      const id = await this.#call(SAM_COMMANDS.samId, guard.signal);
      if (id.ok && id.value.sw3 === 0x90) {
        const formatted = formatSamId(id.value.data);
        if (formatted.ok) this.#samId = formatted.value;
      }
      // Online comes with the first poll, so that readiness means the card state is known too.
      this.#store.update({ idCardReader: { sam: 'ok' } });
      this.#faultKey = undefined;
    } finally {
      guard.dispose();
      // Look for a card at once, so the status says whether one is there from the start.
      this.#schedulePoll(0);
    }
  }

  /** SAM-level failures (self-test, authorisation) make the whole reader unusable. */
  #checkSam(sw3: number, command: SamCommand): boolean {
    const outcome = samOutcome(sw3, command.ok);
    if (outcome.kind === 'failure' && (outcome.errorCode === 'samSelfTestFailed' || outcome.errorCode === 'samNotAuthorised')) {
      this.#store.update({ common: { device: 'hardwareError' }, idCardReader: { sam: 'inoperable' } });
      this.#raiseFault({ eventId: 'hardware', action: 'maintenance', vendorDescription: outcome.description });
      return false;
    }
    return true;
  }

  #onSilence(error: SamCallError): void {
    if (error.code === 'notConnected' || error.code === 'canceled') return;
    this.#store.update({ common: { device: 'offline' } });
    this.#raiseFault({ eventId: 'hardware', action: 'suspend', vendorDescription: `card reader does not answer properly (${error.code})` });
  }

  #onLinkFailure(error: TransportError): void {
    if (this.#closed) return;
    this.#store.update({ common: { device: 'noDevice' }, idCardReader: { media: 'unknown' } });
    this.#raiseFault({ eventId: 'hardware', action: 'suspend', vendorDescription: error.code === 'driverUnavailable' ? `card reader driver unavailable: ${error.message}` : 'card reader is not connected; reconnecting' });
    if (this.#phase === 'read' || this.#phase === 'present') this.#cardGone();
    this.#phase = 'unknown';
  }

  #raiseFault(fault: Omit<ErrorEvent, 'device'>): void {
    const key = `${fault.eventId}/${fault.action}/${fault.vendorDescription}`;
    if (key === this.#faultKey) return;
    this.#faultKey = key;
    this.options.log.warn({ eventId: fault.eventId, action: fault.action, description: fault.vendorDescription }, 'device fault');
    this.#notifications.emit({ kind: 'error', event: { device: this.name, ...fault } });
  }

  #emit(name: 'IdCard.CardInserted' | 'IdCard.CardRemoved', payload: Record<string, unknown>): void {
    this.#notifications.emit({ kind: 'event', name, payload: { device: this.name, ...payload } });
  }

  #schedulePoll(delayMs = this.options.pollIntervalMs): void {
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    if (this.#closed) return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = undefined;
      if (!this.#link.transport) return;
      // A read in progress or waiting needs no poll, and must not be interleaved with one.
      const idle = !this.queue.busy && this.queue.waiting === 0;
      const poll = idle ? this.queue.run((signal) => this.#pollOnce(signal), new AbortController().signal) : Promise.resolve();
      void poll.then(() => this.#schedulePoll());
    }, delayMs);
  }

  async #pollOnce(parent: AbortSignal): Promise<void> {
    const guard = deadline(parent, 5_000, 'card poll');
    try {
      if (this.#phase === 'read') {
        // A read card is not found again until it leaves the field; 30 03 tells whether it is there.
        const present = await this.#call(SAM_COMMANDS.readNewAddress, guard.signal);
        if (!present.ok) return this.#onSilence(present.error);
        if (!this.#checkSam(present.value.sw3, SAM_COMMANDS.readNewAddress)) return;
        this.#healthy();
        if (samOutcome(present.value.sw3, SAM_COMMANDS.readNewAddress.ok).kind !== 'success') this.#cardGone();
        return;
      }
      const found = await this.#call(SAM_COMMANDS.findCard, guard.signal);
      if (!found.ok) return this.#onSilence(found.error);
      if (!this.#checkSam(found.value.sw3, SAM_COMMANDS.findCard)) return;
      this.#healthy();
      if (samOutcome(found.value.sw3, SAM_COMMANDS.findCard.ok).kind === 'success') {
        if (this.#phase !== 'present') {
          this.#phase = 'present';
          this.#store.update({ idCardReader: { media: 'present' } });
          this.#emit('IdCard.CardInserted', {});
        }
      } else if (this.#phase === 'present') {
        this.#cardGone();
      } else {
        this.#phase = 'empty';
        this.#store.update({ idCardReader: { media: 'notPresent' } });
      }
    } finally {
      guard.dispose();
    }
  }

  #healthy(): void {
    if (this.#store.state !== 'online') {
      this.#store.update({ common: { device: 'online' }, idCardReader: { sam: 'ok' } });
      this.#faultKey = undefined;
    }
  }

  #cardGone(): void {
    const readId = this.#session?.readId;
    this.#wipeSession();
    this.#phase = 'empty';
    this.#store.update({ idCardReader: { media: 'notPresent' } });
    this.#emit('IdCard.CardRemoved', readId ? { readId } : {});
  }

  #wipeSession(): void {
    const session = this.#session;
    this.#session = undefined;
    session?.photo?.rgb.fill(0);
    session?.fingerprint?.fill(0);
  }

  /** Reads the card on the reader. Run inside the queue. */
  async read(signal: AbortSignal, fingerprint: boolean): Promise<Result<CardSession, ReadFailure>> {
    if (this.#phase === 'read' && this.#session) {
      // Still the same card? A read card answers 30 03; then the earlier read stands.
      const present = await this.#call(SAM_COMMANDS.readNewAddress, signal);
      if (!present.ok) return err(fromCall(present.error));
      if (samOutcome(present.value.sw3, SAM_COMMANDS.readNewAddress.ok).kind === 'success') return ok(this.#session);
      this.#cardGone();
    }
    const step = async (command: SamCommand): Promise<Result<SamReply, ReadFailure>> => {
      const reply = await this.#call(command, signal);
      if (!reply.ok) return err(fromCall(reply.error));
      const outcome = samOutcome(reply.value.sw3, command.ok);
      if (outcome.kind === 'failure') return err(readFailure(outcome.completionCode, outcome.errorCode, outcome.description));
      return ok(reply.value);
    };
    const found = await step(SAM_COMMANDS.findCard);
    if (!found.ok) return found;
    const selected = await step(SAM_COMMANDS.selectCard);
    if (!selected.ok) return selected;
    const withFingerprint = fingerprint && this.options.fingerprint;
    const read = await step(withFingerprint ? SAM_COMMANDS.readWithFingerprint : SAM_COMMANDS.readText);
    if (!read.ok) {
      if (read.error.errorCode === 'readFailed') this.#phase = 'unknown';
      return read;
    }
    // The SAM has read the card: it will not find it again until it leaves the field, whatever
    // comes of the data, so presence is watched with 30 03 from here on.
    this.#wipeSession();
    if (this.#phase !== 'present' && this.#phase !== 'read') this.#emit('IdCard.CardInserted', {});
    this.#phase = 'read';
    this.#store.update({ idCardReader: { media: 'present' } });
    const blocks = parseReadData(read.value.data, withFingerprint);
    if (!blocks.ok) return err(readFailure('commandErrorCode', 'invalidCardData', blocks.error));
    const text = decodeTextBlock(blocks.value.text);
    if (!text.ok) return err(readFailure('commandErrorCode', text.error.code, text.error.message));
    const validated = validateCard(text.value, blocks.value.photo, todayInChina(this.options.now()));
    if (validated.problems.length > 0) return err(readFailure('commandErrorCode', 'invalidCardData', `card data failed its checks: ${validated.problems.join('; ')}`));

    const photoGuard = deadline(signal, this.options.photoTimeoutMs, 'photo decoding');
    const photo = await this.options.photoDecoder.decode(blocks.value.photo, photoGuard.signal);
    photoGuard.dispose();
    if (!photo.ok) this.options.log.warn({ code: photo.error.code, reason: photo.error.message }, 'card photo not decoded; the card data is still usable');

    let record = validated.record;
    const extra = await this.#call(SAM_COMMANDS.readNewAddress, signal);
    if (extra.ok && extra.value.sw3 !== SAM_NO_CONTENT && samOutcome(extra.value.sw3, SAM_COMMANDS.readNewAddress.ok).kind === 'success') {
      const address = parseNewAddress(extra.value.data);
      if (address.ok && address.value) record = { ...record, newAddress: address.value };
    }

    const session: CardSession = {
      readId: randomUUID(),
      record,
      checks: validated.checks,
      expired: validated.expired,
      photo: photo.ok ? photo.value : undefined,
      photoError: photo.ok ? undefined : photo.error,
      fingerprint: blocks.value.fingerprint.length > 0 ? blocks.value.fingerprint : undefined,
      readAt: this.options.now(),
    };
    this.#session = session;
    return ok(session);
  }
}
