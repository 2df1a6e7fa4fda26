// The backends over real HTTP in one process, for tests: both sandboxes on loopback, a temporary
// database, the composed clients and services, and a listener for the gateway's notifications.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeBackends, type Backends } from '../backends/backends';
import { GatewaySandbox, utilityAccountsFileSchema } from '../backends/payments/sandbox/gateway-sandbox';
import { loadSandboxCatalogue, PlatformSandbox } from '../backends/platform/sandbox/platform-sandbox';
import { configSchema, type KioskConfig } from '../config/schema';
import { PictureStore } from '../devices/camera/picture-store';
import { ViewStore } from '../server/view-store';
import type { DocumentPrinter } from '../devices/document-printer/document-printer';
import type { SessionSource } from '../backends/platform/resident';
import { createLogger } from '../log/logger';
import { findProjectRoot } from '../paths';
import { openDatabase, type KioskDatabase } from '../store/database';

export const ROOT = findProjectRoot(import.meta.dirname);
export const PLATFORM_SECRET = 'platform-secret-for-tests-0123';
export const GATEWAY_SECRET = 'gateway-secret-for-tests-01234';

export interface HarnessOptions {
  readonly payments?: Partial<KioskConfig['backends']['payments']>;
  readonly platform?: Partial<KioskConfig['backends']['platform']>;
  readonly outbox?: Partial<KioskConfig['outbox']>;
  readonly readers?: ReadonlyMap<string, SessionSource>;
  readonly verified?: (readId: string) => boolean;
  readonly pictures?: PictureStore;
  readonly documentPrinters?: ReadonlyMap<string, DocumentPrinter>;
  readonly dataDir?: string;
  readonly now?: () => number;
}

export interface Harness {
  readonly db: KioskDatabase;
  readonly dataDir: string;
  readonly backends: Backends;
  readonly gateway: GatewaySandbox;
  readonly platform: PlatformSandbox;
  readonly config: KioskConfig;
  readonly notifyUrl: string;
  /** Stops the services and the notification listener (the sandboxes stay, for a restart). */
  stopKiosk(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Counts HTTP requests the process has made and not yet fully read, so that fake time is only
 * moved while nothing is on the wire: timers and real I/O then interleave the same way every run.
 */
export function countRequests(): { readonly inFlight: () => number; restore(): void } {
  const realFetch = globalThis.fetch;
  let inFlight = 0;
  globalThis.fetch = async (input, init) => {
    inFlight += 1;
    try {
      const response = await realFetch(input, init);
      const body = await response.arrayBuffer();
      return new Response(response.status === 204 ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } finally {
      inFlight -= 1;
    }
  };
  return {
    inFlight: () => inFlight,
    restore() {
      globalThis.fetch = realFetch;
    },
  };
}

/**
 * Moves fake time in steps until the condition holds, but only while no request is under way
 * (requests held back on purpose by a sandbox excepted): between steps, real I/O runs to rest.
 */
export async function untilWithFakeTime(condition: () => boolean, quiet: () => boolean, advance: (ms: number) => Promise<void>, stepMs = 250, maxMs = 300_000): Promise<void> {
  let waited = 0;
  for (let spins = 0; spins < 200_000; spins += 1) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!quiet()) continue;
    if (waited >= maxMs) break;
    await advance(stepMs);
    waited += stepMs;
  }
  throw new Error(`condition not met within ${maxMs} ms of fake time`);
}

export async function startSandboxes(now?: () => number): Promise<{ gateway: GatewaySandbox; platform: PlatformSandbox }> {
  const catalogue = await loadSandboxCatalogue(join(ROOT, 'config', 'catalogue.json'));
  if (!catalogue.ok) throw new Error(catalogue.error);
  const accounts = utilityAccountsFileSchema.parse(JSON.parse(readFileSync(join(ROOT, 'config', 'utility-accounts.json'), 'utf8')));
  const platform = new PlatformSandbox({ catalogue: catalogue.value, apps: { 'kiosk-test': PLATFORM_SECRET }, ...(now ? { now } : {}) });
  const gateway = new GatewaySandbox({ merchants: { 'merchant-test': GATEWAY_SECRET }, accounts, nativeDefault: { kind: 'success', afterMs: 0, notifyDelayMs: 0 }, ...(now ? { now } : {}) });
  const p = await platform.start();
  const g = await gateway.start();
  if (!p.ok || !g.ok) throw new Error('sandboxes did not start');
  return { gateway, platform };
}

export async function startKioskBackends(sandboxes: { gateway: GatewaySandbox; platform: PlatformSandbox }, options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kiosk-backends-'));
  const opened = openDatabase(dataDir);
  if (!opened.ok) throw new Error(opened.error);
  const db = opened.value;
  const config = configSchema.parse({
    terminal: { id: 'HZ-XH-0042', site: '测试站点 Test site', region: '330106001' },
    ui: {},
    ops: {},
    data: { dir: dataDir },
    log: { level: 'silent' },
    commands: {},
    devices: {},
    face: { enabled: false },
    backends: {
      platform: { url: sandboxes.platform.url, appId: 'kiosk-test', secret: PLATFORM_SECRET, timeoutMs: 1_000, confirmWaitMs: 2_000, ...options.platform },
      payments: { url: sandboxes.gateway.url, merchantId: 'merchant-test', secret: GATEWAY_SECRET, timeoutMs: 1_000, pollIntervalMs: 500, micropayTimeoutMs: 30_000, nativeExpiryMs: 60_000, ...options.payments },
    },
    outbox: { retry: { initialMs: 1_000, maxMs: 8_000, factor: 2, jitter: 0 }, timeoutMs: 2_000, ...options.outbox },
  });
  let notifyUrl = '';
  const holder: { backends?: Backends } = {};
  const server: Server = createServer((request, response) => {
    const backends = holder.backends;
    if (!backends) return void response.writeHead(503).end();
    void backends.publicRoute(request, response).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address === 'object' && address) notifyUrl = `http://127.0.0.1:${address.port}`;
  const composed = composeBackends({
    config,
    db,
    log: createLogger({ level: 'silent' }),
    platformUrl: sandboxes.platform.url,
    gatewayUrl: sandboxes.gateway.url,
    readers: options.readers ?? new Map(),
    verified: options.verified,
    pictures: options.pictures ?? new PictureStore(),
    views: new ViewStore(),
    documentPrinters: options.documentPrinters ?? new Map(),
    opsUrl: () => notifyUrl,
  });
  if (!composed.ok) throw new Error(composed.error);
  holder.backends = composed.value;
  composed.value.start();
  let stopped = false;
  const stopKiosk = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await composed.value.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    db.close();
  };
  return {
    db,
    dataDir,
    backends: composed.value,
    gateway: sandboxes.gateway,
    platform: sandboxes.platform,
    config,
    notifyUrl,
    stopKiosk,
    async close() {
      await stopKiosk();
      await sandboxes.gateway.close();
      await sandboxes.platform.close();
    },
  };
}
