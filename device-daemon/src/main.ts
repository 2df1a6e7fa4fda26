// The composition root's choices: the only place that picks a real device or its simulator (and
// the transport each speaks over), and a configured backend or the embedded sandbox. kiosk.ts runs
// what is chosen here.
import { join } from 'node:path';
import type { KioskConfig, TransportConfig } from './config/schema';
import { HidScanner } from './devices/barcode/hid-scanner';
import { VirtualHidScanner } from './devices/barcode/virtual-hid-scanner';
import { Camera } from './devices/camera/camera';
import type { CameraSource } from './devices/camera/ffmpeg-args';
import { FaceScene, type FaceLocator } from './devices/camera/scene/face-scene';
import { sceneControl } from './devices/camera/scene/scene-control';
import { startEmbeddedSandboxes, type EmbeddedSandboxes } from './backends/sandboxes';
import { DocumentPrinter } from './devices/document-printer/document-printer';
import { virtualCupsControl } from './devices/document-printer/virtual-cups-control';
import { FramedHidTransport } from './devices/id-card-reader/hid-framing';
import { IdCardReader } from './devices/id-card-reader/id-card-reader';
import { CommandPhotoDecoder, LibraryPhotoDecoder, NoPhotoDecoder, type PhotoDecoder } from './devices/id-card-reader/photo-decoder';
import { AutoSerialTransport } from './devices/id-card-reader/sam-serial-detect';
import { SamUsbTransport, webUsbOpener, type SplitEndpoints } from './devices/id-card-reader/sam-usb-transport';
import { VirtualSam } from './devices/id-card-reader/virtual-sam';
import { virtualSamControl } from './devices/id-card-reader/virtual-sam-control';
import { err, ok, type Result } from './core/result';
import { systemdNotifier, type SystemdNotifier } from './ops/systemd-notify';
import { DatagramSender, loadLibc } from './ops/unix-datagram';
import { DeviceRegistry } from './devices/device-registry';
import { ReceiptPrinter } from './devices/receipt-printer/receipt-printer';
import { VirtualPrinter } from './devices/receipt-printer/simulator/virtual-printer';
import { virtualPrinterControl } from './devices/receipt-printer/simulator/virtual-printer-control';
import type { Logger } from './log/logger';
import type { SimulatorControl } from './ops/ops-server';
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
  readonly documentPrinters: ReadonlyMap<string, DocumentPrinter>;
}

/** Where the daemon keeps its files, for devices that need some (the simulated A4 printer's spool). */
export interface DevicePaths {
  readonly projectRoot: string;
  readonly dataDir: string;
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
export function composeDevices(config: KioskConfig, log: Logger, paths: DevicePaths, locate?: FaceLocator): Composition {
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
  const documentPrinters = new Map<string, DocumentPrinter>();
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
      case 'cups': {
        // Simulated: stand-ins for lp and lpstat over a spool folder, so the real driver runs.
        const spool = join(paths.dataDir, `${name}-spool`);
        const virtualCups = join(paths.projectRoot, 'device-daemon', 'dist', 'virtual-cups.js');
        const lp: [string, ...string[]] = device.simulated ? [process.execPath, virtualCups, spool, 'lp'] : [device.lp];
        const lpstat: [string, ...string[]] = device.simulated ? [process.execPath, virtualCups, spool, 'lpstat'] : [device.lpstat];
        if (device.simulated) simulators.set(name, virtualCupsControl(spool));
        const printer = new DocumentPrinter({
          name,
          simulated: device.simulated,
          queue: device.queue,
          lp,
          lpstat,
          statusPollMs: device.statusPollMs,
          commandTimeoutMs: device.commandTimeoutMs,
          workDir: join(paths.dataDir, 'print-work'),
          backoff: { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.5 },
          information: { modelName: device.model, revisionNumber: '', modelDescription: 'A4 printer (CUPS)' },
          log: deviceLog,
        });
        documentPrinters.set(name, printer);
        devices.add(printer);
        break;
      }
    }
  }
  return { devices, printers, readers, simulators, virtualPrinters, virtualSams, cameras, scenes, scanners, virtualScanners, documentPrinters };
}

/** The platform and the gateway: the configured URLs, or the embedded sandboxes on loopback. */
export async function chooseBackends(config: KioskConfig, projectRoot: string, dataDir: string): Promise<Result<{ platformUrl: string; gatewayUrl: string; sandboxes: EmbeddedSandboxes | undefined }, string>> {
  const { platform, payments } = config.backends;
  if (platform.url && payments.url) return ok({ platformUrl: platform.url, gatewayUrl: payments.url, sandboxes: undefined });
  const started = await startEmbeddedSandboxes(config, projectRoot, dataDir);
  if (!started.ok) return started;
  return ok({ platformUrl: started.value.platformUrl, gatewayUrl: started.value.gatewayUrl, sandboxes: started.value });
}

/**
 * sd_notify to systemd when it runs the daemon ($NOTIFY_SOCKET), through libc's sendto from this
 * process (unix-datagram.ts); a no-op otherwise. Without libc's sockets every notification reports
 * why, and the unit's start-up timeout then tells the operator.
 */
export async function chooseNotifier(env: NodeJS.ProcessEnv): Promise<SystemdNotifier> {
  if (!env.NOTIFY_SOCKET) return systemdNotifier(env, () => err('no NOTIFY_SOCKET'));
  const libc = await loadLibc();
  if (!libc.ok) return systemdNotifier(env, () => libc);
  const sender = new DatagramSender(libc.value);
  return systemdNotifier(env, (path, message) => sender.send(path, message));
}
