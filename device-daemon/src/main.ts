// The composition root: the only place that chooses real or simulated devices, and that wires
// devices, the WebSocket API, the ops listener, the database and the metrics together. It is kept
// whole (past 400 lines) so that every real-or-simulated choice stays in this one file.
import { isAbsolute, join, resolve } from 'node:path';
import type { KioskConfig, TransportConfig } from './config/schema';
import { err } from './core/result';
import { HidScanner } from './devices/barcode/hid-scanner';
import { scannerCommands } from './devices/barcode/scanner-commands';
import { VirtualHidScanner } from './devices/barcode/virtual-hid-scanner';
import { Camera } from './devices/camera/camera';
import { cameraCommands } from './devices/camera/camera-commands';
import type { CameraSource } from './devices/camera/ffmpeg-args';
import { PictureStore } from './devices/camera/picture-store';
import { FaceScene, type FaceLocator } from './devices/camera/scene/face-scene';
import { sceneControl } from './devices/camera/scene/scene-control';
import { faceCommands } from './face/face-commands';
import { locateFace } from './face/face-locator';
import { FaceService } from './face/face-service';
import { setUpPassiveCheck, verificationOptions } from './face/face-setup';
import { registerMediaMetrics } from './ops/media-metrics';
import { statusReport } from './ops/status-report';
import { cameraRoutes } from './server/camera-routes';
import { commandObserver } from './server/command-audit';
import { writeSecret } from './server/local-secret';
import { FramedHidTransport } from './devices/id-card-reader/hid-framing';
import { idCardCommands } from './devices/id-card-reader/id-card-commands';
import { IdCardReader } from './devices/id-card-reader/id-card-reader';
import { CommandPhotoDecoder, LibraryPhotoDecoder, NoPhotoDecoder, type PhotoDecoder } from './devices/id-card-reader/photo-decoder';
import { AutoSerialTransport } from './devices/id-card-reader/sam-serial-detect';
import { SamUsbTransport, webUsbOpener, type SplitEndpoints } from './devices/id-card-reader/sam-usb-transport';
import { VirtualSam } from './devices/id-card-reader/virtual-sam';
import { virtualSamControl } from './devices/id-card-reader/virtual-sam-control';
import { ok, type Result } from './core/result';
import { DeviceRegistry } from './devices/device-registry';
import { PAPER_80MM } from './devices/receipt-printer/encoder/receipt-document';
import { PrintJobStore } from './devices/receipt-printer/print-job-store';
import { PrintJobService } from './devices/receipt-printer/print-jobs';
import { printerCommands, type PrinterServices } from './devices/receipt-printer/printer-commands';
import { ReceiptPrinter } from './devices/receipt-printer/receipt-printer';
import { VirtualPrinter } from './devices/receipt-printer/simulator/virtual-printer';
import { virtualPrinterControl } from './devices/receipt-printer/simulator/virtual-printer-control';
import type { Logger } from './log/logger';
import { createMetrics, type BuildInfo } from './ops/metrics';
import { startOpsServer, type SimulatorControl } from './ops/ops-server';
import { CommandRegistry } from './server/command-registry';
import { commonCommands } from './server/common-commands';
import { newToken, sha256Hex, tokenChecker } from './server/secrets';
import { startUiServer } from './server/ui-server';
import { AuditLog, type AuditEntry } from './store/audit-log';
import { openDatabase } from './store/database';
import type { MemoryConnector } from './transports/memory-transport';
import { MemoryTransport } from './transports/memory-transport';
import { DeviceFileTransport } from './transports/device-file-transport';
import { HidTransport } from './transports/hid-transport';
import { SerialTransport } from './transports/serial-transport';
import { TcpTransport } from './transports/tcp-transport';
import type { TransportFactory } from './transports/transport';
import { UsbBulkTransport } from './transports/usb-bulk-transport';

export interface Composition {
  readonly devices: DeviceRegistry;
  readonly printers: ReadonlyMap<string, { readonly printer: ReceiptPrinter; readonly config: Extract<KioskConfig['devices'][string], { driver: 'escpos' }> }>;
  readonly readers: ReadonlyMap<string, IdCardReader>;
  readonly simulators: ReadonlyMap<string, SimulatorControl>;
  readonly virtualPrinters: ReadonlyMap<string, VirtualPrinter>;
  readonly virtualSams: ReadonlyMap<string, VirtualSam>;
  readonly cameras: ReadonlyMap<string, Camera>;
  readonly scenes: ReadonlyMap<string, FaceScene>;
  readonly scanners: ReadonlyMap<string, HidScanner>;
  readonly virtualScanners: ReadonlyMap<string, VirtualHidScanner>;
}

function transportFactory(transport: TransportConfig, simulator: MemoryConnector | undefined, label: string): TransportFactory {
  switch (transport.kind) {
    case 'memory':
      if (!simulator) throw new Error(`${label}: memory transport without a simulator`);
      return () => new MemoryTransport(simulator, `memory ${label}`);
    case 'tcp':
      return () => new TcpTransport(transport);
    case 'deviceFile':
      return () => new DeviceFileTransport({ path: transport.path });
    case 'serial':
      return () => new SerialTransport({ path: transport.path, baudRate: transport.baudRate });
    case 'usb':
      return () => new UsbBulkTransport(transport);
    case 'hid':
      return () => new HidTransport(transport);
  }
}

/** The reader's own transports: probing serial ports, split USB endpoints, vendor HID framing. */
function samTransportFactory(transport: TransportConfig, endpoints: SplitEndpoints, hidFraming: string | undefined, simulator: MemoryConnector | undefined, label: string, log: Logger): TransportFactory {
  switch (transport.kind) {
    case 'serial':
      if (transport.path === 'auto') return () => new AutoSerialTransport(transport.baudRate, log);
      return transportFactory(transport, simulator, label);
    case 'usb':
      return () => new SamUsbTransport(webUsbOpener(transport.vendorId, transport.productId, endpoints, transport.serialNumber), endpoints, `usb ${transport.vendorId.toString(16).padStart(4, '0')}:${transport.productId.toString(16).padStart(4, '0')} (split endpoints)`);
    case 'hid':
      if (!hidFraming) throw new Error(`${label}: HID transport without a framing module`);
      return () => new FramedHidTransport(new HidTransport(transport), hidFraming);
    default:
      return transportFactory(transport, simulator, label);
  }
}

function photoDecoderFor(config: Extract<KioskConfig['devices'][string], { driver: 'sam' }>['photoDecoder'], sam: VirtualSam | undefined, name: string): PhotoDecoder {
  switch (config.kind) {
    case 'none':
      return new NoPhotoDecoder(name);
    case 'simulated':
      return sam ? sam.photoDecoder() : new NoPhotoDecoder(name);
    case 'library':
      return new LibraryPhotoDecoder(config);
    case 'command':
      return new CommandPhotoDecoder(config);
  }
}

/**
 * Builds every configured device: a real driver over its real transport, or over a simulator.
 * `locate` finds the eyes and nose in a scene's fixture face (the face service's models), so a
 * simulated person can blink and turn.
 */
export function composeDevices(config: KioskConfig, log: Logger, locate?: FaceLocator): Composition {
  const devices = new DeviceRegistry();
  const printers = new Map<string, { printer: ReceiptPrinter; config: Extract<KioskConfig['devices'][string], { driver: 'escpos' }> }>();
  const readers = new Map<string, IdCardReader>();
  const simulators = new Map<string, SimulatorControl>();
  const virtualPrinters = new Map<string, VirtualPrinter>();
  const virtualSams = new Map<string, VirtualSam>();
  const cameras = new Map<string, Camera>();
  const scenes = new Map<string, FaceScene>();
  const scanners = new Map<string, HidScanner>();
  const virtualScanners = new Map<string, VirtualHidScanner>();
  for (const [name, device] of Object.entries(config.devices)) {
    const deviceLog = log.child({ device: name });
    switch (device.driver) {
      case 'escpos': {
        let simulator: VirtualPrinter | undefined;
        if (device.simulated) {
          simulator = new VirtualPrinter(`virtual printer ${name}`);
          virtualPrinters.set(name, simulator);
          simulators.set(name, virtualPrinterControl(simulator));
        }
        const printer = new ReceiptPrinter({
          name,
          simulated: device.simulated,
          createTransport: transportFactory(device.transport, simulator?.port, name),
          statusPollMs: device.statusPollMs,
          statusTimeoutMs: device.statusTimeoutMs,
          openTimeoutMs: device.openTimeoutMs,
          jobTimeoutMs: device.jobTimeoutMs,
          autoStatusBack: device.autoStatusBack,
          backoff: device.reconnect,
          information: { modelName: device.model, serialNumber: '', revisionNumber: '', modelDescription: 'ESC/POS receipt printer, 80 mm' },
          log: deviceLog,
        });
        printers.set(name, { printer, config: device });
        devices.add(printer);
        break;
      }
      case 'sam': {
        let sam: VirtualSam | undefined;
        if (device.simulated) {
          sam = new VirtualSam(device.simulator.cards, `virtual SAM ${name}`);
          if (device.simulator.initialCard) sam.control({ action: 'place', card: device.simulator.initialCard });
          virtualSams.set(name, sam);
          simulators.set(name, virtualSamControl(sam));
        }
        const reader = new IdCardReader({
          name,
          simulated: device.simulated,
          createTransport: samTransportFactory(device.transport, device.usbEndpoints, device.hidFraming, sam?.port, name, deviceLog),
          openTimeoutMs: device.openTimeoutMs,
          backoff: device.reconnect,
          pollIntervalMs: device.pollIntervalMs,
          photoDecoder: photoDecoderFor(device.photoDecoder, sam, name),
          photoTimeoutMs: device.photoTimeoutMs,
          fingerprint: device.fingerprint,
          information: { modelName: device.model, revisionNumber: '', modelDescription: 'resident ID card reader (GA 467 SAM)' },
          now: () => new Date(),
          log: deviceLog,
        });
        readers.set(name, reader);
        devices.add(reader);
        break;
      }
      case 'uvc': {
        let source: CameraSource;
        let scene: FaceScene | undefined;
        if (!device.simulated) source = { kind: 'v4l2', device: device.device ?? '/dev/video0' };
        else if (device.simulator.source.kind === 'file') source = { kind: 'file', path: device.simulator.source.path };
        else {
          source = { kind: 'scene' };
          scene = new FaceScene(device.preview, locate);
          scenes.set(name, scene);
          simulators.set(name, sceneControl(scene));
        }
        const camera = new Camera({
          name,
          role: device.role,
          simulated: device.simulated,
          source,
          ffmpegPath: config.media.ffmpeg,
          preview: device.preview,
          still: device.still ?? device.preview,
          settleFrames: device.settleFrames,
          frameTimeoutMs: device.frameTimeoutMs,
          openTimeoutMs: device.openTimeoutMs,
          captureTimeoutMs: device.captureTimeoutMs,
          backoff: device.reconnect,
          information: { modelName: device.model, revisionNumber: '', modelDescription: device.role === 'face' ? 'face camera (UVC)' : 'document camera (UVC)' },
          log: deviceLog,
          ...(scene ? { scene } : {}),
        });
        cameras.set(name, camera);
        devices.add(camera);
        break;
      }
      case 'hidKeyboard': {
        let simulator: VirtualHidScanner | undefined;
        if (device.simulated) {
          simulator = new VirtualHidScanner(`virtual scanner ${name}`);
          virtualScanners.set(name, simulator);
          simulators.set(name, simulator.control());
        }
        const scanner = new HidScanner({
          name,
          simulated: device.simulated,
          createTransport: transportFactory(device.transport, simulator?.port, name),
          openTimeoutMs: device.openTimeoutMs,
          backoff: device.reconnect,
          reportId: device.transport.kind === 'hid' ? device.transport.reportId : undefined,
          information: { modelName: device.model, revisionNumber: '', modelDescription: 'barcode scanner (USB HID, keyboard mode)' },
          log: deviceLog,
        });
        scanners.set(name, scanner);
        devices.add(scanner);
        break;
      }
    }
  }
  return { devices, printers, readers, simulators, virtualPrinters, virtualSams, cameras, scenes, scanners, virtualScanners };
}

export interface KioskOptions {
  readonly config: KioskConfig;
  readonly log: Logger;
  readonly projectRoot: string;
  readonly build: BuildInfo;
}

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

  // The face service is made first so that simulated scenes can find their fixture faces' eyes.
  let face: FaceService | undefined;
  const locate: FaceLocator = async (image) => (face?.analyzer ? locateFace(face.analyzer, image) : err('the face models are not loaded'));
  const composition = composeDevices(config, log, locate);
  const { devices, printers, readers, simulators, cameras, scanners } = composition;
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
  for (const handler of cameraCommands(cameras, pictures)) registry.register(handler);
  const codeCameras = new Map(config.codes.cameras.flatMap((name) => (cameras.has(name) ? [[name, cameras.get(name)!] as const] : [])));
  for (const handler of scannerCommands({ scanners, cameras: codeCameras, symbologies: config.codes.symbologies })) registry.register(handler);
  if (face) for (const handler of faceCommands(face)) registry.register(handler);

  let uiConnections = (): number => 0;
  const metrics = createMetrics({ devices, build: options.build, uiConnections: () => uiConnections(), printJobs: (device) => jobStore.counts(device) });
  const recordAudit = (entry: AuditEntry): void => {
    const written = audit.append(entry);
    if (!written.ok) {
      metrics.auditWriteFailed();
      log.error({ reason: written.error }, 'audit log write failed');
    }
  };

  const uiToken = newToken();
  const cameraHttp = cameraRoutes({ cameras, pictures, checkToken: tokenChecker(sha256Hex(uiToken)), maxViewers: 8 });
  registerMediaMetrics({ registry: metrics.registry, cameras, face, viewers: () => cameraHttp.viewers });
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
    extraRoutes: (request, response) => cameraHttp.handle(request, response),
    log,
    observer: commandObserver(metrics, recordAudit, log),
  });
  if (!ui.ok) {
    db.close();
    return ui;
  }
  uiConnections = () => ui.value.connections;
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
  const ops = await startOpsServer({
    host: config.ops.host,
    port: config.ops.port,
    checkToken: tokenChecker(opsTokenSha),
    isLive: () => true,
    isReady: () => devices.all().every((d) => d.status().common.device !== 'starting') && face?.state.kind !== 'loading',
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
      }),
    simulators,
    log,
  });
  if (!ops.ok) {
    await ui.value.close();
    db.close();
    return ops;
  }

  devices.openAll();
  if (face) {
    const service = face;
    void service.start().then(() => setUpPassiveCheck(service, config.face.passive, cameras, log));
  }
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
        cameraHttp.close();
        await ui.value.close();
        pictures.clear();
        for (const { jobs } of printerServices.values()) await jobs.stop();
        await devices.closeAll();
        await ops.value.close();
        recordAudit({ kind: 'lifecycle', command: 'daemon.stop' });
        db.close();
      })();
      return stopping;
    },
  });
}
