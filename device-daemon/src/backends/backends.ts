// Everything that talks to the platform and the gateway, assembled: the HTTP clients, the outbox
// and its sender, the catalogue, applications, certificates, ratings and payments, their WebSocket
// commands, and the two ops routes (the gateway's notifications, daily reconciliation).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KioskConfig } from '../config/schema';
import { deadline } from '../core/deadline';
import { Listeners, type Unsubscribe } from '../core/listeners';
import type { Result } from '../core/result';
import { err, ok } from '../core/result';
import type { PictureStore } from '../devices/camera/picture-store';
import type { DocumentPrinter } from '../devices/document-printer/document-printer';
import type { Logger } from '../log/logger';
import type { CommandRegistry } from '../server/command-registry';
import type { ViewStore } from '../server/view-store';
import type { KioskDatabase } from '../store/database';
import { JsonClient, type HttpErrorKind } from './http/json-client';
import { NonceWindow } from './http/signature';
import { OutboxSender } from './outbox/outbox-sender';
import { OutboxStore } from './outbox/outbox-store';
import { PiiCipher } from './outbox/pii-cipher';
import { GatewayClient } from './payments/gateway-client';
import { readNotification } from './payments/gateway-notification';
import { paymentCommands } from './payments/payment-commands';
import { PaymentService, type OrderView } from './payments/payment-service';
import { PaymentStore } from './payments/payment-store';
import { postingHandler } from './payments/payments-outbox';
import { reconcileDay } from './payments/reconciliation';
import { ApplicationService } from './platform/application-service';
import { CatalogueService } from './platform/catalogue-service';
import { CertificateService } from './platform/certificate-service';
import { PlatformClient } from './platform/platform-client';
import { platformCommands } from './platform/platform-commands';
import { platformHandlers } from './platform/platform-outbox';
import { RatingService } from './platform/rating-service';
import { residentOf, type SessionSource } from './platform/resident';

export const NOTIFY_PATH = '/v1/payments/notify';

export interface BackendsOptions {
  readonly config: KioskConfig;
  readonly db: KioskDatabase;
  readonly log: Logger;
  readonly platformUrl: string;
  readonly gatewayUrl: string;
  readonly readers: ReadonlyMap<string, SessionSource>;
  /** Whether a card read's holder passed a face check; absent when no face check is required. */
  readonly verified: ((readId: string) => boolean) | undefined;
  readonly pictures: PictureStore;
  readonly views: ViewStore;
  readonly documentPrinters: ReadonlyMap<string, DocumentPrinter>;
  /** The ops listener's URL once it listens, for the gateway's notifications. */
  readonly opsUrl: () => string | undefined;
}

/** One HTTP request to a backend and how it ended (for the operator's metrics). */
export interface BackendRequest {
  readonly backend: 'platform' | 'gateway';
  readonly outcome: 'ok' | HttpErrorKind;
  readonly seconds: number;
}

export interface Backends {
  readonly outbox: OutboxStore;
  readonly sender: OutboxSender;
  readonly catalogue: CatalogueService;
  readonly applications: ApplicationService;
  readonly payments: PaymentService;
  readonly paymentStore: PaymentStore;
  readonly gateway: GatewayClient;
  readonly platform: PlatformClient;
  register(registry: CommandRegistry): void;
  /** The platform's identity photo of a card read's holder (the face check's other reference). */
  identityPhoto(readId: string, signal: AbortSignal): Promise<Result<Uint8Array, string>>;
  onPaymentChange(listener: (view: OrderView) => void): Unsubscribe;
  /** Every request to the platform or the gateway, with its outcome. */
  onRequest(listener: (request: BackendRequest) => void): Unsubscribe;
  /** POST /v1/payments/notify: authenticated by the gateway's signature, not the bearer token. */
  publicRoute(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** GET /v1/payments/reconcile?date=YYYY-MM-DD, /v1/catalogue, /v1/outbox: behind the ops bearer token. */
  authedRoute(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean>;
  start(): void;
  stop(): Promise<void>;
}

function compile(patterns: KioskConfig['backends']['payments']['accounts']): Result<Record<keyof typeof patterns, RegExp>, string> {
  try {
    return ok({ water: new RegExp(patterns.water), electricity: new RegExp(patterns.electricity), gas: new RegExp(patterns.gas), heating: new RegExp(patterns.heating) });
  } catch (cause) {
    return err(`backends.payments.accounts: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const jsonReply = (response: ServerResponse, status: number, value: unknown): void => {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value, null, 2) + '\n');
};

export function composeBackends(options: BackendsOptions): Result<Backends, string> {
  const { config, db, log } = options;
  const { platform: p, payments: g } = config.backends;
  const cipher = PiiCipher.fromBase64(config.outbox.key);
  if (!cipher.ok) return err(`outbox.key: ${cipher.error}`);
  const patterns = compile(g.accounts);
  if (!patterns.ok) return patterns;
  const requests = new Listeners<BackendRequest>('backend request');
  const observer =
    (backend: BackendRequest['backend']) =>
    (outcome: BackendRequest['outcome'], seconds: number): void =>
      requests.emit({ backend, outcome, seconds });
  const platformHttp = new JsonClient({ baseUrl: options.platformUrl, appId: p.appId, secret: p.secret, timeoutMs: p.timeoutMs, observe: observer('platform') });
  const pdfHttp = new JsonClient({ baseUrl: options.platformUrl, appId: p.appId, secret: p.secret, timeoutMs: p.timeoutMs, maxReplyBytes: 16 * 1024 * 1024, observe: observer('platform') });
  const platform = new PlatformClient(platformHttp, pdfHttp);
  const gateway = new GatewayClient(new JsonClient({ baseUrl: options.gatewayUrl, appId: g.merchantId, secret: g.secret, timeoutMs: g.timeoutMs, observe: observer('gateway') }));
  const outbox = new OutboxStore(db, cipher.value);
  const sender = new OutboxSender(outbox, { ...platformHandlers(platform), billPosting: postingHandler(gateway) }, { backoff: config.outbox.retry, timeoutMs: config.outbox.timeoutMs, log: log.child({ service: 'outbox' }) });
  const residents = { readers: options.readers, ...(options.verified ? { verified: options.verified } : {}) };
  const catalogue = new CatalogueService(db, platform, { region: config.terminal.region, syncIntervalMs: p.syncIntervalMs, timeoutMs: p.timeoutMs, log: log.child({ service: 'catalogue' }) });
  const applications = new ApplicationService({ db, outbox, sender, catalogue, residents, pictures: options.pictures, terminal: { id: config.terminal.id, region: config.terminal.region }, confirmWaitMs: p.confirmWaitMs });
  const certificates = new CertificateService(platform, residents, options.documentPrinters, outbox, sender, config.terminal.id, p.timeoutMs);
  const ratings = new RatingService(outbox, sender, config.terminal.id);
  const paymentStore = new PaymentStore(db);
  const payments = new PaymentService({
    db,
    store: paymentStore,
    outbox,
    sender,
    gateway,
    terminalId: config.terminal.id,
    pollIntervalMs: g.pollIntervalMs,
    micropayTimeoutMs: g.micropayTimeoutMs,
    nativeExpiryMs: g.nativeExpiryMs,
    notifyUrl: () => {
      const base = options.opsUrl();
      return base ? `${base}${NOTIFY_PATH}` : undefined;
    },
    accountPatterns: patterns.value,
    maxAmountFen: g.maxAmountFen,
    log: log.child({ service: 'payments' }),
  });
  const nonces = new NonceWindow();

  return ok({
    outbox,
    sender,
    catalogue,
    applications,
    payments,
    paymentStore,
    gateway,
    platform,
    register(registry) {
      for (const handler of platformCommands({ catalogue, applications, certificates, ratings, client: platform, timeoutMs: p.timeoutMs, views: options.views })) registry.register(handler);
      for (const handler of paymentCommands(payments, gateway)) registry.register(handler);
    },
    onPaymentChange: (listener) => payments.onChange(listener),
    onRequest: (listener) => requests.subscribe(listener),
    async identityPhoto(readId, signal) {
      const resident = residentOf({ readers: options.readers }, readId);
      if (!resident.ok) return err(resident.error.message);
      const guard = deadline(signal, p.timeoutMs, 'identity photo');
      const photo = await platform.identityPhoto({ name: resident.value.name, idNumber: resident.value.idNumber }, guard.signal);
      guard.dispose();
      return photo.ok ? ok(photo.value) : err(photo.error.message);
    },
    async publicRoute(request, response) {
      const url = new URL(request.url ?? '/', 'http://ops');
      if (url.pathname !== NOTIFY_PATH) return false;
      if (request.method !== 'POST') {
        jsonReply(response, 405, { error: 'method not allowed' });
        return true;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
        size += buffer.length;
        if (size > 16 * 1024) {
          jsonReply(response, 413, { error: 'too large' });
          return true;
        }
        chunks.push(buffer);
      }
      const body = Buffer.concat(chunks);
      const notification = readNotification(body, request.headers, { secret: g.secret, path: NOTIFY_PATH, nonces });
      if (!notification.ok) {
        const refusal = notification.error;
        if (refusal.kind === 'signature') {
          log.warn({ problem: refusal.problem }, 'payment notification with a bad signature refused');
          jsonReply(response, 401, { error: `signature ${refusal.problem}` });
        } else jsonReply(response, 400, { error: refusal.kind === 'notJson' ? 'not JSON' : 'not a notification' });
        return true;
      }
      // Only a hint: the order is queried before anything about it changes.
      const known = payments.notified(notification.value.orderId);
      jsonReply(response, known ? 200 : 404, { received: known });
      return true;
    },
    async authedRoute(request, response, url) {
      if (url.pathname === '/v1/payments/reconcile' && request.method === 'GET') {
        const date = url.searchParams.get('date') ?? '';
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
          jsonReply(response, 400, { error: 'date=YYYY-MM-DD' });
          return true;
        }
        const guard = deadline(undefined, g.timeoutMs * 2, 'reconciliation');
        const report = await reconcileDay(date, paymentStore, gateway, guard.signal);
        guard.dispose();
        if (!report.ok) jsonReply(response, 502, { error: report.error.message });
        else jsonReply(response, 200, report.value);
        return true;
      }
      if (url.pathname === '/v1/catalogue' && request.method === 'GET') {
        const state = catalogue.state();
        jsonReply(response, state.catalogue ? 200 : 503, { syncedAt: state.syncedAt ?? null, stale: state.stale, lastError: state.lastError ?? null, catalogue: state.catalogue ?? null });
        return true;
      }
      if (url.pathname === '/v1/outbox' && request.method === 'GET') {
        jsonReply(response, 200, { counts: outbox.counts(), payments: paymentStore.counts() });
        return true;
      }
      return false;
    },
    start() {
      sender.start();
      catalogue.start();
      payments.start();
    },
    async stop() {
      await payments.stop();
      await catalogue.stop();
      await sender.stop();
    },
  });
}
