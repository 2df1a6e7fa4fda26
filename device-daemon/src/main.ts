// The composition root: the only place that chooses real or simulated devices, and that wires
// devices, the WebSocket API, the ops listener, the database and the metrics together.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { KioskConfig, TransportConfig } from './config/schema';
import { z } from 'zod';
import { ok, type Result } from './core/result';
import { DeviceRegistry } from './devices/device-registry';
import { printerCommands } from './devices/receipt-printer/printer-commands';
import { ReceiptPrinter } from './devices/receipt-printer/receipt-printer';
import { VirtualPrinter } from './devices/receipt-printer/virtual-printer';
import { virtualPrinterControl } from './devices/receipt-printer/virtual-printer-control';
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
import { HidTransport } from './transports/hid-transport';
import { SerialTransport } from './transports/serial-transport';
import { TcpTransport } from './transports/tcp-transport';
import type { TransportFactory } from './transports/transport';
import { UsbBulkTransport } from './transports/usb-bulk-transport';

export interface Composition {
  readonly devices: DeviceRegistry;
  readonly printers: ReadonlyMap<string, ReceiptPrinter>;
  readonly simulators: ReadonlyMap<string, SimulatorControl>;
  readonly virtualPrinters: ReadonlyMap<string, VirtualPrinter>;
}

function transportFactory(transport: TransportConfig, simulator: MemoryConnector | undefined, label: string): TransportFactory {
  switch (transport.kind) {
    case 'memory':
      if (!simulator) throw new Error(`${label}: memory transport without a simulator`);
      return () => new MemoryTransport(simulator, `memory ${label}`);
    case 'tcp':
      return () => new TcpTransport(transport);
    case 'serial':
      return () => new SerialTransport({ path: transport.path, baudRate: transport.baudRate });
    case 'usb':
      return () => new UsbBulkTransport(transport);
    case 'hid':
      return () => new HidTransport(transport);
  }
}

/** Builds every configured device: a real driver over its real transport, or over a simulator. */
export function composeDevices(config: KioskConfig, log: Logger): Composition {
  const devices = new DeviceRegistry();
  const printers = new Map<string, ReceiptPrinter>();
  const simulators = new Map<string, SimulatorControl>();
  const virtualPrinters = new Map<string, VirtualPrinter>();
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
        printers.set(name, printer);
        devices.add(printer);
        break;
      }
    }
  }
  return { devices, printers, simulators, virtualPrinters };
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
  const { devices, printers, simulators } = composition;

  const registry = new CommandRegistry();
  for (const handler of commonCommands(devices)) registry.register(handler);
  for (const handler of printerCommands(printers)) registry.register(handler);

  let uiConnections = (): number => 0;
  const metrics = createMetrics({ devices, build: options.build, uiConnections: () => uiConnections() });
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
    else ui.value.broadcast('Common.ErrorEvent', { ...notification.event });
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
        devices.all().map((d) => [d.name, { deviceClass: d.deviceClass, simulated: d.simulated, status: d.status(), lastHealth: d.lastHealth() ?? null }]),
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
