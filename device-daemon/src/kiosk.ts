// The running kiosk: opens the database, builds the devices and backends main.ts chooses, wires
// the commands, the UI listener (WebSocket, camera streams), the ops listener, metrics and the audit
// log together, and takes it all down again in order.
import { isAbsolute, join, resolve } from 'node:path';
import type { KioskConfig } from './config/schema';
import { err, ok } from './core/result';
import { scannerCommands } from './devices/barcode/scanner-commands';
import { cameraCommands } from './devices/camera/camera-commands';
import { PictureStore } from './devices/camera/picture-store';
import { type FaceLocator } from './devices/camera/scene/face-scene';
import { faceCommands } from './face/face-commands';
import { locateFace } from './face/face-locator';
import { FaceService } from './face/face-service';
import { setUpPassiveCheck, verificationOptions } from './face/face-setup';
import { registerMediaMetrics } from './ops/media-metrics';
import { statusReport } from './ops/status-report';
import { cameraRoutes } from './server/camera-routes';
import { commandObserver } from './server/command-audit';
import { writeSecret } from './server/local-secret';
import { composeBackends, type Backends } from './backends/backends';
import { idCardCommands } from './devices/id-card-reader/id-card-commands';
import type { Result } from './core/result';
import { PAPER_80MM } from './devices/receipt-printer/encoder/receipt-document';
import { PrintJobStore } from './devices/receipt-printer/print-job-store';
import { PrintJobService } from './devices/receipt-printer/print-jobs';
import { printerCommands, type PrinterServices } from './devices/receipt-printer/printer-commands';
import type { Logger } from './log/logger';
import { createMetrics, type BuildInfo } from './ops/metrics';
import { startOpsServer } from './ops/ops-server';
import { CommandRegistry } from './server/command-registry';
import { commonCommands } from './server/common-commands';
import { newToken, sha256Hex, tokenChecker } from './server/secrets';
import { startUiServer } from './server/ui-server';
import { AuditLog, type AuditEntry } from './store/audit-log';
import { openDatabase } from './store/database';
import { StorageHealth } from './store/storage-health';
import { watchStorage } from './store/storage-recheck';
import { registerStorageMetrics } from './ops/storage-metrics';
import { chooseBackends, composeDevices, type Composition } from './main';
import { registerBackendMetrics } from './ops/backend-metrics';
import { kioskCommands } from './server/kiosk-commands';
import { mediaRoutes } from './server/media-routes';
import { ViewStore } from './server/view-store';
import { photoCommands } from './photo/photo-commands';
import { PhotoService } from './photo/photo-service';
import { registerPhotoMetrics } from './ops/photo-metrics';
import { registerJourneyMetrics } from './ops/journey-metrics';
import { registerLifecycleMetrics } from './ops/lifecycle-metrics';
import { recordDaemonStart } from './store/daemon-runs';
import { Speech } from './voice/speech';
import { chooseNotifier } from './main';
import { ServiceWatchdog } from './ops/service-watchdog';
import type { SystemdNotifier } from './ops/systemd-notify';
import { TechnicianAuth } from './server/technician-auth';
import { sqliteLockoutStore } from './server/technician-lockout-store';
import { selfTestRoute } from './selftest/selftest-route';
import { diagnosticsRoute, exposedGc } from './ops/diagnostics';
import { SelfTestService } from './selftest/selftest-service';
import { SelfTestStore } from './selftest/selftest-store';
import { selfTestTargets } from './selftest/selftest-targets';
import { technicianCommands } from './selftest/technician-commands';

export interface KioskOptions {
  readonly config: KioskConfig;
  readonly log: Logger;
  readonly projectRoot: string;
  readonly build: BuildInfo;
  /** sd_notify; from $NOTIFY_SOCKET when absent. */
  readonly notifier?: SystemdNotifier;
}

/** How often a failing disk is looked at again while nothing else writes. */
const STORAGE_RECHECK_MS = 15_000;

export interface RunningKiosk {
  readonly uiPort: number;
  readonly opsPort: number;
  readonly dataDir: string;
  readonly composition: Composition;
  stop(): Promise<void>;
}

export async function startKiosk(options: KioskOptions): Promise<Result<RunningKiosk, string>> {
  const { config, log, projectRoot } = options;
  const dataDir = isAbsolute(config.data.dir) ? config.data.dir : resolve(config.data.dir);
  const opened = openDatabase(dataDir);
  if (!opened.ok) return opened;
  const db = opened.value;
  const audit = new AuditLog(db);
  // Below 1 MiB free a full disk is not counted as back: SQLite's WAL needs room for a few pages.
  const storage = new StorageHealth({ dataDir, minFreeBytes: 1 << 20 });
  storage.subscribe((event) => {
    if (event.kind !== 'changed') return;
    if (event.state.kind === 'ok') log.info({ free: storage.freeBytes() }, 'storage writable again');
    else log.error({ fault: event.state.fault, where: event.state.where, free: storage.freeBytes() }, 'storage failing: payments, submissions and prints refused until it is back');
  });

  // The face service is made first so that simulated scenes can find their fixture faces' eyes.
  let face: FaceService | undefined;
  const locate: FaceLocator = async (image) => (face?.analyzer ? locateFace(face.analyzer, image) : err('the face models are not loaded'));
  const composition = composeDevices(config, log, { projectRoot, dataDir }, locate);
  const { devices, printers, readers, simulators, cameras, scanners, documentPrinters } = composition;
  if (config.face.enabled) {
    face = new FaceService({
      modelsDir: config.face.modelsDir ?? join(projectRoot, 'models'),
      threads: config.face.threads,
      verification: verificationOptions(config.face),
      cameras,
      camera: config.face.camera,
      readers,
      log: log.child({ service: 'face' }),
    });
  }

  const jobStore = new PrintJobStore(db);
  const printerServices = new Map<string, PrinterServices>();
  for (const [name, { printer, config: printerConfig }] of printers) {
    const jobs = new PrintJobService(printer, jobStore, log.child({ device: name }), printerConfig.jobs);
    printerServices.set(name, {
      printer,
      jobs,
      context: () => ({
        terminalId: config.terminal.id,
        site: config.terminal.site,
        hotline: config.terminal.hotline,
        profile: { ...PAPER_80MM, qrMaxBytes: printerConfig.qrMaxBytes },
        now: new Date(),
      }),
    });
  }

  const registry = new CommandRegistry();
  for (const handler of commonCommands(devices)) registry.register(handler);
  for (const handler of printerCommands(printerServices)) registry.register(handler);
  for (const handler of idCardCommands(readers)) registry.register(handler);
  const pictures = new PictureStore();
  const views = new ViewStore();
  const speech = config.voice.enabled ? new Speech({ program: config.voice.program, voices: { 'zh-CN': config.voice.voices.zhCN, en: config.voice.voices.en }, wpm: { normal: config.voice.normalWpm, slow: config.voice.slowWpm }, timeoutMs: 10_000, cacheEntries: 400 }) : undefined;
  for (const handler of cameraCommands(cameras, pictures)) registry.register(handler);
  const codeCameras = new Map(config.codes.cameras.flatMap((name) => (cameras.has(name) ? [[name, cameras.get(name)!] as const] : [])));
  for (const handler of scannerCommands({ scanners, cameras: codeCameras, symbologies: config.codes.symbologies })) registry.register(handler);
  if (face) for (const handler of faceCommands(face)) registry.register(handler);
  // ID photos (J2) need a face camera; they share the face check's models when it runs.
  const photoFace = face;
  const photos = [...cameras.values()].some((c) => c.role === 'face')
    ? new PhotoService({
        modelsDir: config.face.modelsDir ?? join(projectRoot, 'models'),
        threads: config.face.threads,
        analyzer: photoFace
          ? async () => {
              await photoFace.start();
              return photoFace.analyzer ? ok(photoFace.analyzer) : err(photoFace.state.kind === 'unavailable' ? photoFace.state.reason : 'the face models are not loaded');
            }
          : undefined,
        pictures,
        views,
        documentPrinters,
        receiptPrinters: printerServices,
        terminalId: config.terminal.id,
        printTimeoutMs: 60_000,
        receiptWaitMs: 15_000,
        log: log.child({ service: 'photo' }),
      })
    : undefined;
  if (photos) for (const handler of photoCommands(photos)) registry.register(handler);

  const chosen = await chooseBackends(config, projectRoot, dataDir);
  if (!chosen.ok) {
    db.close();
    return chosen;
  }
  const sandboxes = chosen.value.sandboxes;
  let opsUrl: string | undefined;
  const faceService = face;
  const composed = composeBackends({
    config,
    db,
    log,
    platformUrl: chosen.value.platformUrl,
    gatewayUrl: chosen.value.gatewayUrl,
    readers,
    verified: config.backends.platform.requireFaceCheck ? (readId) => faceService?.isVerified(readId) ?? false : undefined,
    pictures,
    views,
    documentPrinters,
    opsUrl: () => opsUrl,
  });
  if (!composed.ok) {
    await sandboxes?.close();
    db.close();
    return composed;
  }
  const backends: Backends = composed.value;
  backends.register(registry);
  face?.setPlatformPhotos((readId, signal) => backends.identityPhoto(readId, signal));

  let uiConnections = (): number => 0;
  // Technicians: the PIN with its lockout and a session per connection, and the self-tests.
  const technician = new TechnicianAuth({ technician: config.technician, log, lockout: sqliteLockoutStore(db) });
  const selfTests = new SelfTestService({
    targets: selfTestTargets({ config, composition, printerServices, printedCount: (name) => jobStore.counts(name).printed ?? 0, face, db, version: options.build.version }),
    store: new SelfTestStore(db),
    log: log.child({ service: 'selftest' }),
  });
  for (const handler of technicianCommands({ auth: technician, selfTests, jobs: jobStore, printers: [...printerServices.keys()] })) registry.register(handler);
  const metrics = createMetrics({ devices, build: options.build, uiConnections: () => uiConnections(), printJobs: (device) => jobStore.counts(device) });
  // Counted before this run writes its own daemon.start, so the previous run's end can be told.
  registerLifecycleMetrics(metrics.registry, recordDaemonStart(db));
  const journeys = registerJourneyMetrics(metrics.registry);
  for (const handler of kioskCommands({ config, db, printers: printerServices, voice: speech !== undefined, log, onStaffCall: (reason) => metrics.staffCalled(reason), technician, onJourney: (journey, event) => journeys.record(journey, event), health: () => ({ storage: storage.ready() ? 'ok' : 'failing' }) })) registry.register(handler);
  registerStorageMetrics(metrics.registry, storage);
  const recordAudit = (entry: AuditEntry): void => {
    const written = audit.append(entry);
    if (written.ok) return storage.wrote();
    metrics.auditWriteFailed();
    storage.failed(written.error.cause, 'audit log');
    log.error({ reason: written.error.message, fault: written.error.fault }, 'audit log write failed');
  };

  const uiToken = newToken();
  const cameraHttp = cameraRoutes({ cameras, pictures, checkToken: tokenChecker(sha256Hex(uiToken)), maxViewers: 8 });
  const mediaHttp = mediaRoutes({ speech, views, checkToken: tokenChecker(sha256Hex(uiToken)) });
  registerMediaMetrics({ registry: metrics.registry, cameras, face, viewers: () => cameraHttp.viewers });
  registerBackendMetrics(metrics.registry, backends);
  registerPhotoMetrics(metrics.registry, photos);
  const staticDir = config.ui.staticDir ?? join(projectRoot, 'kiosk-ui', 'dist');
  const ui = await startUiServer({
    host: config.ui.host,
    port: config.ui.port,
    staticDir,
    token: uiToken,
    allowedOrigins: config.ui.allowedOrigins,
    registry,
    authTimeoutMs: config.ui.authTimeoutMs,
    maxInFlight: config.ui.maxInFlight,
    defaultTimeoutMs: config.commands.defaultTimeoutMs,
    extraRoutes: (request, response) => cameraHttp.handle(request, response) || mediaHttp(request, response),
    log,
    observer: commandObserver(metrics, recordAudit, log, storage),
  });
  if (!ui.ok) {
    await sandboxes?.close();
    db.close();
    return ui;
  }
  uiConnections = () => ui.value.connections;
  // The UI closes the journeys that keep a record while storage fails, and opens them when it is back.
  storage.subscribe((event) => {
    if (event.kind === 'changed') ui.value.broadcast('Kiosk.HealthChanged', { storage: event.state.kind === 'ok' ? 'ok' : 'failing' });
  });
  const stopStorageWatch = watchStorage(storage, {
    intervalMs: STORAGE_RECHECK_MS,
    probe: () => {
      if (audit.append({ kind: 'lifecycle', command: 'storage.recheck' }).ok) storage.wrote();
    },
  });
  writeSecret(join(dataDir, 'ui-token'), uiToken);

  devices.subscribe((notification) => {
    if (notification.kind === 'statusChanged') ui.value.broadcast('Common.StatusChangedEvent', { ...notification.event });
    else if (notification.kind === 'error') ui.value.broadcast('Common.ErrorEvent', { ...notification.event });
    else ui.value.broadcast(notification.name, notification.payload);
  });

  // The ops token: configured (plain or as sha256), else one per boot in the data directory.
  let opsTokenSha = config.ops.token ? sha256Hex(config.ops.token) : config.ops.tokenSha256;
  if (!opsTokenSha) {
    const generated = newToken();
    writeSecret(join(dataDir, 'ops-token'), generated);
    opsTokenSha = sha256Hex(generated);
    log.info({ file: join(dataDir, 'ops-token') }, 'no ops token configured; generated one for this boot');
  }

  const startedAt = Date.now();
  const runSelfTests = selfTestRoute(selfTests);
  const diagnostics = diagnosticsRoute({
    ws: () => ({ sockets: ui.value.sockets, authenticated: ui.value.connections, inFlight: ui.value.inFlight }),
    cameraViewers: () => cameraHttp.viewers,
    gc: exposedGc(),
  });
  const ops = await startOpsServer({
    host: config.ops.host,
    port: config.ops.port,
    checkToken: tokenChecker(opsTokenSha),
    isLive: () => true,
    isReady: () => devices.all().every((d) => d.status().common.device !== 'starting') && face?.state.kind !== 'loading' && photos?.state.kind !== 'loading' && storage.ready(),
    metrics: metrics.registry,
    status: () =>
      statusReport({
        terminal: config.terminal,
        build: options.build,
        startedAt,
        uiConnections: ui.value.connections,
        face: face ? face.state : { kind: 'disabled' },
        devices: devices.all(),
        printJobs: (name) => (printerServices.has(name) ? jobStore.counts(name) : undefined),
        selfTests: () => selfTests.latest(),
        storage: { state: storage.state(), freeBytes: storage.freeBytes() },
      }),
    simulators,
    publicRoutes: (request, response) => backends.publicRoute(request, response),
    authedRoutes: async (request, response, url) => (await runSelfTests(request, response, url)) || (await diagnostics(request, response, url)) || backends.authedRoute(request, response, url),
    log,
  });
  if (!ops.ok) {
    await ui.value.close();
    await sandboxes?.close();
    db.close();
    return ops;
  }
  opsUrl = `http://${config.ops.host.includes(':') ? `[${config.ops.host}]` : config.ops.host}:${ops.value.port}`;
  backends.onPaymentChange((view) => ui.value.broadcast('Payment.StateChanged', { orderId: view.orderId, state: view.state, confirming: view.confirming }));
  backends.start();

  devices.openAll();
  // systemd: READY once every device has been enumerated, WATCHDOG while the health loop and the queues move.
  const watchdog = new ServiceWatchdog({
    notifier: options.notifier ?? (await chooseNotifier(process.env)),
    intervalMs: config.watchdog.intervalMs,
    stuckAfterMs: config.watchdog.queueStuckMs,
    queues: () => [...[...printers.values()].map((p) => p.printer.queue), ...[...readers.values()].map((r) => r.queue), ...[...cameras.values()].map((c) => c.queue), ...[...documentPrinters.values()].map((d) => d.jobs)],
    enumerated: () => devices.all().every((d) => d.status().common.device !== 'starting'),
    check: () => db.prepare('SELECT 1').get() === undefined ? err('the database did not answer') : ok(undefined),
    summary: () => {
      const all = devices.all();
      const down = all.filter((d) => d.status().common.device !== 'online').map((d) => `${d.name} ${d.status().common.device}`);
      return `${all.length - down.length}/${all.length} devices online${down.length > 0 ? ` (${down.join(', ')})` : ''}; ${ui.value.connections} UI connection(s)`;
    },
    log: log.child({ service: 'watchdog' }),
  });
  const stopWatching = devices.subscribe(() => {
    if (!watchdog.ready) watchdog.tick();
  });
  watchdog.start();
  if (face) {
    const service = face;
    void service.start().then(() => setUpPassiveCheck(service, config.face.passive, cameras, log));
  }
  void photos?.start();
  for (const { jobs } of printerServices.values()) {
    jobs.subscribe((change) => {
      ui.value.broadcast('Printer.JobStateChanged', { ...change });
      recordAudit({ kind: 'print', command: 'print.job', device: change.device, completionCode: change.state, detail: `${change.jobId}${change.reason ? ` ${change.reason}` : ''}${change.reprint ? ' reprint' : ''}` });
    });
    jobs.start();
  }
  recordAudit({ kind: 'lifecycle', command: 'daemon.start' });
  log.info({ uiPort: ui.value.port, opsPort: ops.value.port, uiBuilt: ui.value.uiAvailable, devices: devices.all().map((d) => d.name) }, 'kiosk daemon listening');

  let stopping: Promise<void> | undefined;
  return ok({
    uiPort: ui.value.port,
    opsPort: ops.value.port,
    dataDir,
    composition,
    stop() {
      stopping ??= (async () => {
        stopWatching();
        stopStorageWatch();
        watchdog.stop();
        cameraHttp.close();
        await ui.value.close();
        pictures.clear();
        photos?.clear();
        views.clear();
        for (const { jobs } of printerServices.values()) await jobs.stop();
        await backends.stop();
        await sandboxes?.close();
        await devices.closeAll();
        await ops.value.close();
        recordAudit({ kind: 'lifecycle', command: 'daemon.stop' });
        db.close();
      })();
      return stopping;
    },
  });
}
