// The UI's one connection to the daemon. It authenticates with the per-boot token, matches
// completions to requests, keeps the device statuses current from Common.StatusChangedEvent and the
// terminal's health from Kiosk.HealthChanged, and
// reconnects by itself. A 4401 close means the daemon restarted with a new token: the page reloads
// to fetch it (at most once a minute, so a real fault cannot turn into a reload loop).
import {
  CLOSE_CODES,
  daemonMessageSchema,
  kioskHealthSchema,
  statusChangedEventSchema,
  statusCompletionSchema,
  type CommandName,
  type CommandPayload,
  type CompletionCode,
  type DeviceStatus,
  type KioskHealth,
} from '@protocol';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface DaemonSnapshot {
  readonly connection: ConnectionState;
  readonly devices: Readonly<Record<string, DeviceStatus>>;
  /** Healthy until the daemon says otherwise: a journey is not closed on a guess. */
  readonly health: KioskHealth;
}

export interface Completion {
  readonly completionCode: CompletionCode;
  readonly errorDescription: string | undefined;
  /** payload.errorCode of a commandErrorCode completion (or of a failure that names its cause). */
  readonly errorCode: string | undefined;
  readonly payload: Record<string, unknown>;
}

export interface RequestOptions {
  readonly timeoutMs?: number;
  /** Events the command sends before its completion (Face.PromptEvent and the like). */
  readonly onEvent?: (name: string, payload: unknown) => void;
  /** Aborting sends Common.Cancel for this request; the completion (canceled) still settles it. */
  readonly signal?: AbortSignal;
}

export type UnsolicitedListener = (name: string, payload: unknown) => void;

interface Pending {
  readonly resolve: (completion: Completion) => void;
  readonly onEvent?: ((name: string, payload: unknown) => void) | undefined;
}

function completion(completionCode: CompletionCode, errorDescription: string | undefined, payload: Record<string, unknown>): Completion {
  const errorCode = typeof payload.errorCode === 'string' ? payload.errorCode : undefined;
  return { completionCode, errorDescription, errorCode, payload };
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 5_000;
const RELOAD_GUARD_KEY = 'kiosk-reloaded-at';

export interface DaemonClientOptions {
  readonly url: string;
  readonly token: string;
  /** Injected for tests; the browser's by default. */
  readonly reload?: () => void;
}

export class DaemonClient {
  #socket: WebSocket | undefined;
  #snapshot: DaemonSnapshot = { connection: 'connecting', devices: {}, health: { storage: 'ok' } };
  readonly #listeners = new Set<(snapshot: DaemonSnapshot) => void>();
  readonly #eventListeners = new Set<UnsolicitedListener>();
  readonly #pending = new Map<number, Pending>();
  #nextRequestId = 1;
  #retryMs = RECONNECT_MIN_MS;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(private readonly options: DaemonClientOptions) {}

  get snapshot(): DaemonSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: (snapshot: DaemonSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Unsolicited events (IdCard.CardRemoved, Payment.StateChanged, ...), as received. */
  onUnsolicited(listener: UnsolicitedListener): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#socket?.close();
  }

  /** Sends a command; resolves with its completion (or canceled if the connection drops first). */
  request<N extends CommandName>(name: N, payload: CommandPayload<N>, options: RequestOptions = {}): Promise<Completion> {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.#snapshot.connection !== 'connected') {
      return Promise.resolve(completion('deviceNotReady', 'not connected to the daemon', {}));
    }
    if (options.signal?.aborted) return Promise.resolve(completion('canceled', 'aborted before it was sent', {}));
    const requestId = this.#nextRequestId++;
    return new Promise((resolve) => {
      const onAbort = (): void => {
        if (this.#pending.has(requestId)) void this.request('Common.Cancel', { requestIds: [requestId] });
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(requestId, {
        resolve: (result) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
        onEvent: options.onEvent,
      });
      const header: Record<string, unknown> = { name, requestId, type: 'command' };
      if (options.timeoutMs !== undefined) header.timeout = options.timeoutMs;
      socket.send(JSON.stringify({ header, payload }));
    });
  }

  #set(next: Partial<DaemonSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...next };
    for (const listener of this.#listeners) listener(this.#snapshot);
  }

  #open(): void {
    const socket = new WebSocket(this.options.url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      const requestId = this.#nextRequestId++;
      this.#pending.set(requestId, {
        resolve: (completion) => {
          if (completion.completionCode === 'success') void this.#onAuthenticated();
        },
      });
      socket.send(JSON.stringify({ header: { name: 'Kiosk.Authenticate', requestId, type: 'command' }, payload: { token: this.options.token } }));
    });
    socket.addEventListener('message', (event) => this.#onMessage(event.data));
    socket.addEventListener('close', (event) => this.#onClose(event.code));
  }

  async #onAuthenticated(): Promise<void> {
    this.#retryMs = RECONNECT_MIN_MS;
    this.#set({ connection: 'connected' });
    const status = await this.request('Common.Status', {});
    const parsed = statusCompletionSchema.safeParse(status.payload);
    if (status.completionCode === 'success' && parsed.success) this.#set({ devices: parsed.data.devices });
    const health = await this.request('Kiosk.Health', {});
    const healthParsed = kioskHealthSchema.safeParse(health.payload);
    if (health.completionCode === 'success' && healthParsed.success) this.#set({ health: healthParsed.data });
  }

  #onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = daemonMessageSchema.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.header.type) {
      case 'completion': {
        const pending = this.#pending.get(message.header.requestId);
        this.#pending.delete(message.header.requestId);
        pending?.resolve(completion(message.header.completionCode, message.header.errorDescription, message.payload ?? {}));
        return;
      }
      case 'acknowledge': {
        // A refused command gets no completion: settle it here.
        const id = message.header.requestId;
        if (message.header.status && id !== null) {
          const pending = this.#pending.get(id);
          this.#pending.delete(id);
          pending?.resolve(completion('invalidCommand', message.header.errorDescription ?? message.header.status, {}));
        }
        return;
      }
      case 'unsolicited':
        if (message.header.name === 'Common.StatusChangedEvent') this.#applyStatusChange(message.payload);
        if (message.header.name === 'Kiosk.HealthChanged') {
          const health = kioskHealthSchema.safeParse(message.payload);
          if (health.success) this.#set({ health: health.data });
        }
        for (const listener of this.#eventListeners) listener(message.header.name, message.payload);
        return;
      case 'event':
        this.#pending.get(message.header.requestId)?.onEvent?.(message.header.name, message.payload);
        return;
    }
  }

  #applyStatusChange(payload: unknown): void {
    const parsed = statusChangedEventSchema.safeParse(payload);
    if (!parsed.success) return;
    const { device, common, printer, idCardReader, camera, barcodeReader, documentPrinter } = parsed.data;
    const current = this.#snapshot.devices[device];
    if (!current) return;
    // Each class block merges into the one the device already has (a partial never creates one).
    const next: DeviceStatus = {
      ...current,
      common: { ...current.common, ...common },
      ...(printer && current.printer ? { printer: { ...current.printer, ...printer } } : {}),
      ...(idCardReader && current.idCardReader ? { idCardReader: { ...current.idCardReader, ...idCardReader } } : {}),
      ...(camera && current.camera ? { camera: { ...current.camera, ...camera } } : {}),
      ...(barcodeReader && current.barcodeReader ? { barcodeReader: { ...current.barcodeReader, ...barcodeReader } } : {}),
      ...(documentPrinter && current.documentPrinter ? { documentPrinter: { ...current.documentPrinter, ...documentPrinter } } : {}),
    };
    this.#set({ devices: { ...this.#snapshot.devices, [device]: next } });
  }

  #onClose(code: number): void {
    this.#socket = undefined;
    for (const pending of this.#pending.values()) pending.resolve(completion('canceled', 'connection to the daemon was lost', {}));
    this.#pending.clear();
    this.#set({ connection: 'disconnected' });
    if (this.#stopped) return;
    if (code === CLOSE_CODES.unauthorized) {
      const reload = this.options.reload ?? (() => location.reload());
      if (this.#mayReload()) reload();
      else this.#retryTimer = setTimeout(reload, 60_000);
      return;
    }
    this.#retryTimer = setTimeout(() => this.#open(), this.#retryMs);
    this.#retryMs = Math.min(RECONNECT_MAX_MS, this.#retryMs * 2);
  }

  #mayReload(): boolean {
    try {
      const last = Number(sessionStorage.getItem(RELOAD_GUARD_KEY) ?? '0');
      if (Date.now() - last < 60_000) return false;
      sessionStorage.setItem(RELOAD_GUARD_KEY, String(Date.now()));
    } catch {
      // Without storage, reloading is still right; the guard is only a brake.
    }
    return true;
  }
}
