// The composition root: the only place that chooses real or simulated devices, and that wires
// devices, the WebSocket API, the ops listener, the database and the metrics together.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { KioskConfig, TransportConfig } from './config/schema';
import { FramedHidTransport } from './devices/id-card-reader/hid-framing';
import { idCardCommands } from './devices/id-card-reader/id-card-commands';
import { IdCardReader } from './devices/id-card-reader/id-card-reader';
import { CommandPhotoDecoder, LibraryPhotoDecoder, NoPhotoDecoder, type PhotoDecoder } from './devices/id-card-reader/photo-decoder';
import { AutoSerialTransport } from './devices/id-card-reader/sam-serial-detect';
import { SamUsbTransport, webUsbOpener, type SplitEndpoints } from './devices/id-card-reader/sam-usb-transport';
import { VirtualSam } from './devices/id-card-reader/virtual-sam';
import { virtualSamControl } from './devices/id-card-reader/virtual-sam-control';
import { z } from 'zod';
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
import { AuditLog } from './store/audit-log';
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

/** Builds every configured device: a real driver over its real transport, or over a simulator. */
export function composeDevices(config: KioskConfig, log: Logger): Composition {
  const devices = new DeviceRegistry();
  const printers = new Map<string, { printer: ReceiptPrinter; config: Extract<KioskConfig['devices'][string], { driver: 'escpos' }> }>();
  const readers = new Map<string, IdCardReader>();
  const simulators = new Map<string, SimulatorControl>();
  const virtualPrinters = new Map<string, VirtualPrinter>();
  const virtualSams = new Map<string, VirtualSam>();
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
    }
  }
  return { devices, printers, readers, simulators, virtualPrinters, virtualSams };
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

/** Writes a secret for local tools (kioskctl, the UI dev server): owner-only, replaced atomically. */
function writeSecret(path: string, value: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, value + '\n', { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

export async function startKiosk(options: KioskOptions): Promise<Result<RunningKiosk, string>> {
  const { config, log, projectRoot } = options;
  const dataDir = isAbsolute(config.data.dir) ? config.data.dir : resolve(config.data.dir);
  const opened = openDatabase(dataDir);
  if (!opened.ok) return opened;
  const db = opened.value;
  const audit = new AuditLog(db);

  const composition = composeDevices(config, log);
  const { devices, printers, readers, simulators } = composition;

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

  let uiConnections = (): number => 0;
  const metrics = createMetrics({ devices, build: options.build, uiConnections: () => uiConnections(), printJobs: (device) => jobStore.counts(device) });
  const recordAudit = (entry: Parameters<AuditLog['append']>[0]): void => {
    const written = audit.append(entry);
    if (!written.ok) {
      metrics.auditWriteFailed();
      log.error({ reason: written.error }, 'audit log write failed');
    }
  };

  const uiToken = newToken();
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
    log,
    observer: {
      onCompletion(record) {
        metrics.commandCompleted(record.command, record.completionCode, record.durationMs / 1000);
        recordAudit({
          kind: 'command',
          command: record.command,
          device: record.device,
          connectionId: record.connectionId,
          requestId: record.requestId,
          completionCode: record.completionCode,
          durationMs: Math.round(record.durationMs * 1000) / 1000,
          detail: record.errorCode,
        });
        log.info(
          { connectionId: record.connectionId, requestId: record.requestId, command: record.command, device: record.device, completionCode: record.completionCode, ms: Math.round(record.durationMs) },
          'command completed',
        );
      },
      onRefusal(record) {
        metrics.refused(record.reason);
        recordAudit({ kind: 'protocol', command: record.command ?? '(unparsed)', connectionId: record.connectionId, completionCode: record.reason, detail: record.detail });
      },
    },
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
    isReady: () => devices.all().every((d) => d.status().common.device !== 'starting'),
    metrics: metrics.registry,
    status: () => ({
      terminal: config.terminal,
      build: options.build,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      ready: devices.all().every((d) => d.status().common.device !== 'starting'),
      uiConnections: ui.value.connections,
      devices: Object.fromEntries(
        devices.all().map((d) => [
          d.name,
          {
            deviceClass: d.deviceClass,
            simulated: d.simulated,
            status: d.status(),
            lastHealth: d.lastHealth() ?? null,
            ...(printerServices.has(d.name) ? { printJobs: jobStore.counts(d.name) } : {}),
          },
        ]),
      ),
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
        await ui.value.close();
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

const buildInfoSchema = z.object({ version: z.string().max(64), revision: z.string().max(64) });

/** Build information written by scripts/build.mjs next to the bundle; informative only. */
export function readBuildInfo(path: string): BuildInfo {
  try {
    if (existsSync(path)) {
      const parsed = buildInfoSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (parsed.success) return parsed.data;
    }
  } catch {
    // An unreadable file is reported as an unknown build below.
  }
  return { version: '0.0.0-dev', revision: 'unknown' };
}
