// One UI WebSocket connection: authentication, the XFS4IoT envelope rules, cancel and timeouts.
// Every accepted command gets exactly one completion; refused input gets an acknowledge status and
// the connection with its other commands carries on.
import type { RawData, WebSocket } from 'ws';
import * as z from 'zod/mini';
import { AbortReason, deadline, reasonOf } from '../core/deadline';
import { bug } from '../core/listeners';
import type { Logger } from '../log/logger';
import {
  authenticatePayloadSchema,
  cancelPayloadSchema,
  CLOSE_CODES,
  commandMessageSchema,
  commands,
  MAX_MESSAGE_BYTES,
  type AckStatus,
  type CommandName,
  type CommandPayload,
  type CompletionCode,
} from '../protocol';
import type { CommandHandler, CommandRegistry, Failure, Outcome } from './command-registry';
import { RecentIds } from './recent-ids';

export interface CompletionRecord {
  readonly connectionId: number;
  readonly requestId: number;
  readonly command: string;
  readonly device: string | undefined;
  readonly completionCode: CompletionCode;
  readonly errorCode: string | undefined;
  readonly durationMs: number;
}

export interface RefusalRecord {
  readonly connectionId: number;
  readonly reason: AckStatus | 'unsupportedCommand' | 'invalidData' | 'unauthorized';
  readonly command: string | undefined;
  readonly detail: string;
}

export interface SessionObserver {
  onCompletion(record: CompletionRecord): void;
  onRefusal(record: RefusalRecord): void;
  /**
   * A handler threw. An expected fault that reached here as a throw (the disk full under a write)
   * comes back as the failure to complete with; anything else is a bug.
   */
  onThrow?(error: unknown, command: string): Failure | undefined;
  onReady(session: ClientSession): void;
  onClosed(session: ClientSession): void;
}

export interface SessionOptions {
  readonly connectionId: number;
  readonly socket: WebSocket;
  readonly registry: CommandRegistry;
  /** True when the token came with the upgrade request (?token=). */
  readonly preAuthenticated: boolean;
  readonly checkToken: (token: string) => boolean;
  readonly authTimeoutMs: number;
  readonly maxInFlight: number;
  readonly defaultTimeoutMs: number;
  readonly log: Logger;
  readonly observer: SessionObserver;
}

interface InFlight {
  readonly name: string;
  readonly requestId: number;
  readonly device: string | undefined;
  readonly controller: AbortController;
  readonly startedAt: number;
  completed: boolean;
}

/** A client that stops reading is cut off before its backlog eats the daemon's memory. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

const RECENT_IDS = 4096;

const abortCompletion = (reason: AbortReason): 'timeOut' | 'canceled' => (reason.kind === 'timeout' ? 'timeOut' : 'canceled');

type Parsed<T> = { readonly ok: true; readonly payload: T } | { readonly ok: false; readonly issues: readonly z.core.$ZodIssue[] };

function parsePayload<N extends CommandName>(name: N, raw: unknown): Parsed<CommandPayload<N>> {
  const schema: z.ZodMiniType = commands[name].payload;
  const parsed = schema.safeParse(raw);
  // Validated by the schema the catalogue pairs with `name`; TypeScript cannot follow that
  // pairing through the generic index, so the type is restated.
  return parsed.success ? { ok: true, payload: parsed.data as CommandPayload<N> } : { ok: false, issues: parsed.error.issues };
}

/** Paths of the failing fields only: the values may be personal data and are never echoed. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(message)'}: ${i.code.replaceAll('_', ' ')}`)
    .join('; ');
}

/** The name and request id of a message that failed validation, if they can be read. */
function salvageHeader(value: unknown): { name: string | undefined; requestId: number | null } {
  const header = typeof value === 'object' && value !== null && 'header' in value ? value.header : undefined;
  if (typeof header !== 'object' || header === null) return { name: undefined, requestId: null };
  const name = 'name' in header && typeof header.name === 'string' && header.name.length <= 100 ? header.name : undefined;
  const id = 'requestId' in header ? header.requestId : undefined;
  const requestId = typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= 2_147_483_647 ? id : null;
  return { name, requestId };
}

export class ClientSession {
  readonly connectionId: number;
  #state: 'authenticating' | 'ready' | 'closed';
  readonly #inFlight = new Map<number, InFlight>();
  readonly #recent = new RecentIds(RECENT_IDS);
  #authTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: SessionOptions) {
    this.connectionId = options.connectionId;
    this.#state = options.preAuthenticated ? 'ready' : 'authenticating';
    options.socket.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    options.socket.on('close', () => this.#onClose());
    options.socket.on('error', (error) => options.log.warn({ connectionId: this.connectionId, err: error }, 'websocket error'));
    if (this.#state === 'ready') {
      queueMicrotask(() => options.observer.onReady(this));
    } else {
      this.#authTimer = setTimeout(() => this.#refuseAuth('no token presented in time'), options.authTimeoutMs);
    }
  }

  get ready(): boolean {
    return this.#state === 'ready';
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Broadcast events: only to authenticated connections. */
  sendUnsolicited(name: string, payload: Record<string, unknown>): void {
    if (this.#state !== 'ready') return;
    this.#send({ header: { name, type: 'unsolicited' }, payload });
  }

  close(code: number, reason: string): void {
    if (this.#state === 'closed') return;
    this.options.socket.close(code, reason);
  }

  #send(message: unknown): void {
    const socket = this.options.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.options.log.warn({ connectionId: this.connectionId, buffered: socket.bufferedAmount }, 'client is not reading; closing');
      socket.terminate();
      return;
    }
    socket.send(JSON.stringify(message));
  }

  #acknowledge(name: string, requestId: number | null, status?: AckStatus, errorDescription?: string): void {
    const header: Record<string, unknown> = { name, requestId, type: 'acknowledge' };
    if (status) header.status = status;
    if (errorDescription) header.errorDescription = errorDescription;
    this.#send({ header, payload: null });
  }

  #refuse(status: AckStatus, name: string | undefined, requestId: number | null, detail: string): void {
    this.#acknowledge(name ?? 'Common.Acknowledge', requestId, status, detail);
    this.options.log.warn({ connectionId: this.connectionId, command: name, requestId, status, detail }, 'message refused');
    this.options.observer.onRefusal({ connectionId: this.connectionId, reason: status, command: name, detail });
  }

  #refuseAuth(detail: string): void {
    if (this.#state !== 'authenticating') return;
    this.options.log.warn({ connectionId: this.connectionId, detail }, 'websocket authentication refused');
    this.options.observer.onRefusal({ connectionId: this.connectionId, reason: 'unauthorized', command: undefined, detail });
    this.options.socket.close(CLOSE_CODES.unauthorized, 'unauthorized');
    this.#state = 'closed';
    if (this.#authTimer) clearTimeout(this.#authTimer);
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#state === 'closed') return;
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    if (this.#state === 'authenticating' && size > 4096) return this.#refuseAuth('first message is too large to be an authentication');
    if (size > MAX_MESSAGE_BYTES) return this.#refuse('invalidMessage', undefined, null, `message of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit`);
    if (isBinary) return this.#refuse('invalidMessage', undefined, null, 'binary messages are not part of the protocol');
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (this.#state === 'authenticating') return this.#refuseAuth('first message is not JSON');
      return this.#refuse('invalidMessage', undefined, null, 'malformed JSON');
    }
    const parsed = commandMessageSchema.safeParse(json);
    if (this.#state === 'authenticating') return this.#authenticate(parsed.success ? parsed.data : undefined);
    if (!parsed.success) {
      const { name, requestId } = salvageHeader(json);
      return this.#refuse('invalidMessage', name, requestId, describeIssues(parsed.error.issues));
    }
    const { header, payload } = parsed.data;
    if (this.#inFlight.has(header.requestId) || this.#recent.has(header.requestId)) {
      return this.#refuse('invalidRequestID', header.name, header.requestId, `requestId ${header.requestId} was already used on this connection`);
    }
    if (this.#inFlight.size >= this.options.maxInFlight) {
      return this.#refuse('tooManyRequests', header.name, header.requestId, `more than ${this.options.maxInFlight} commands in flight`);
    }
    this.#acknowledge(header.name, header.requestId);
    this.options.log.debug({ connectionId: this.connectionId, requestId: header.requestId, command: header.name, timeout: header.timeout }, 'command accepted');
    this.#dispatch(header.name, header.requestId, header.timeout, payload ?? {});
  }

  #authenticate(message: z.infer<typeof commandMessageSchema> | undefined): void {
    if (!message || message.header.name !== 'Kiosk.Authenticate') return this.#refuseAuth('first message is not Kiosk.Authenticate');
    const payload = authenticatePayloadSchema.safeParse(message.payload ?? {});
    if (!payload.success || !this.options.checkToken(payload.data.token)) return this.#refuseAuth('wrong token');
    if (this.#authTimer) clearTimeout(this.#authTimer);
    this.#state = 'ready';
    this.#acknowledge(message.header.name, message.header.requestId);
    this.#recent.add(message.header.requestId);
    this.#send({ header: { name: message.header.name, requestId: message.header.requestId, type: 'completion', completionCode: 'success' }, payload: {} });
    this.options.observer.onReady(this);
  }

  #dispatch(name: string, requestId: number, timeout: number | undefined, payload: Record<string, unknown>): void {
    if (name === 'Common.Cancel') return this.#cancel(requestId, payload);
    if (name === 'Kiosk.Authenticate') {
      // Already authenticated (token on the upgrade): nothing more to check.
      this.#recent.add(requestId);
      return this.#sendCompletion(name, requestId, { completionCode: 'success', payload: {} }, undefined, performance.now());
    }
    const handler = this.options.registry.get(name);
    if (!handler) {
      this.#recent.add(requestId);
      this.options.observer.onRefusal({ connectionId: this.connectionId, reason: 'unsupportedCommand', command: name, detail: 'no such command' });
      return this.#sendCompletion(name, requestId, { completionCode: 'unsupportedCommand', errorDescription: `${name} is not a command of this daemon` }, undefined, performance.now());
    }
    this.#run(handler, requestId, timeout, payload);
  }

  #run<N extends CommandName>(handler: CommandHandler<N>, requestId: number, timeout: number | undefined, raw: Record<string, unknown>): void {
    const startedAt = performance.now();
    const checked = parsePayload(handler.name, raw);
    if (!checked.ok) {
      this.#recent.add(requestId);
      const detail = describeIssues(checked.issues);
      this.options.observer.onRefusal({ connectionId: this.connectionId, reason: 'invalidData', command: handler.name, detail });
      return this.#sendCompletion(handler.name, requestId, { completionCode: 'invalidData', errorDescription: detail }, undefined, startedAt);
    }
    const handlerPayload = checked.payload;
    const device = handler.device?.(handlerPayload);
    const controller = new AbortController();
    // No timeout in the header: the daemon's bound. 0: no command timeout (device calls still have theirs).
    const timeoutMs = timeout === undefined ? this.options.defaultTimeoutMs : timeout;
    const guard = deadline(controller.signal, timeoutMs, handler.name);
    const entry: InFlight = { name: handler.name, requestId, device, controller, startedAt, completed: false };
    this.#inFlight.set(requestId, entry);
    guard.signal.addEventListener('abort', () => {
      const reason = reasonOf(guard.signal);
      this.#complete(entry, { completionCode: abortCompletion(reason), errorDescription: reason.message });
    });
    let settled: Promise<Outcome<N>>;
    try {
      settled = handler.handle({
        payload: handlerPayload,
        signal: guard.signal,
        connectionId: this.connectionId,
        requestId,
        emitEvent: (eventName, eventPayload) => {
          if (!entry.completed) this.#send({ header: { name: eventName, requestId, type: 'event' }, payload: eventPayload });
        },
      });
    } catch (error) {
      settled = Promise.reject(error);
    }
    settled
      .then(
        (outcome) => this.#complete(entry, outcome),
        (error: unknown) => {
          const expected = this.options.observer.onThrow?.(error, handler.name);
          if (expected === undefined) bug(error, `handler ${handler.name}`);
          this.#complete(entry, expected ?? { completionCode: 'internalError', errorDescription: 'the daemon failed to run this command' });
        },
      )
      .finally(() => guard.dispose());
  }

  #complete(entry: InFlight, outcome: Outcome<CommandName>): void {
    if (entry.completed) return;
    entry.completed = true;
    this.#inFlight.delete(entry.requestId);
    this.#recent.add(entry.requestId);
    this.#sendCompletion(entry.name, entry.requestId, outcome, entry.device, entry.startedAt);
  }

  #sendCompletion(name: string, requestId: number, outcome: Outcome<CommandName>, device: string | undefined, startedAt: number): void {
    const header: Record<string, unknown> = { name, requestId, type: 'completion', completionCode: outcome.completionCode };
    let payload: Record<string, unknown> = {};
    let errorCode: string | undefined;
    if (outcome.completionCode === 'success') {
      payload = outcome.payload;
    } else {
      header.errorDescription = outcome.errorDescription;
      if (outcome.errorCode !== undefined) {
        errorCode = outcome.errorCode;
        payload = { ...outcome.details, errorCode };
      } else if (outcome.details) {
        payload = { ...outcome.details };
      }
    }
    if (this.#state === 'ready') this.#send({ header, payload });
    this.options.observer.onCompletion({
      connectionId: this.connectionId,
      requestId,
      command: name,
      device,
      completionCode: outcome.completionCode,
      errorCode,
      durationMs: performance.now() - startedAt,
    });
  }

  /** Common.Cancel completes first; the commands it cancelled complete "canceled" after it. */
  #cancel(requestId: number, raw: Record<string, unknown>): void {
    const startedAt = performance.now();
    this.#recent.add(requestId);
    const parsed = cancelPayloadSchema.safeParse(raw);
    if (!parsed.success) {
      return this.#sendCompletion('Common.Cancel', requestId, { completionCode: 'invalidData', errorDescription: describeIssues(parsed.error.issues) }, undefined, startedAt);
    }
    const wanted = parsed.data.requestIds;
    const targets = (wanted ?? [...this.#inFlight.keys()]).flatMap((id) => {
      const entry = this.#inFlight.get(id);
      return entry && !entry.completed ? [entry] : [];
    });
    if (wanted !== undefined && targets.length === 0) {
      return this.#sendCompletion(
        'Common.Cancel',
        requestId,
        { completionCode: 'commandErrorCode', errorCode: 'noMatchingRequestIDs', errorDescription: 'none of those commands is in flight on this connection' },
        undefined,
        startedAt,
      );
    }
    this.#sendCompletion('Common.Cancel', requestId, { completionCode: 'success', payload: {} }, undefined, startedAt);
    for (const target of targets) target.controller.abort(new AbortReason('canceled', `canceled by Common.Cancel ${requestId}`));
  }

  #onClose(): void {
    if (this.#authTimer) clearTimeout(this.#authTimer);
    const wasOpen = this.#state !== 'closed';
    this.#state = 'closed';
    // A client that goes away cancels everything it started.
    for (const entry of [...this.#inFlight.values()]) entry.controller.abort(new AbortReason('shutdown', 'client disconnected'));
    if (wasOpen) this.options.observer.onClosed(this);
  }
}
