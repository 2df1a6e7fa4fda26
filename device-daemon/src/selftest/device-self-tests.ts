// What each device does at each UnifiedPOS CheckHealth level. internal: the driver's cached view
// and its transport, nothing sent that moves paper or needs a person. external: the device acts (a
// test slip, a SAM round trip and a read of a card already there, a fresh camera frame, lpstat on
// the A4 queue). interactive: the device waits for the technician (a card, a face, a code).
import { deadline } from '../core/deadline';
import type { Result } from '../core/result';
import type { HidScanner } from '../devices/barcode/hid-scanner';
import type { Camera } from '../devices/camera/camera';
import type { CameraFrame } from '../devices/camera/camera-frame';
import type { Device, HealthLevel, HealthReport } from '../devices/device';
import type { DocumentPrinter } from '../devices/document-printer/document-printer';
import type { IdCardReader } from '../devices/id-card-reader/id-card-reader';
import type { PrinterServices } from '../devices/receipt-printer/printer-commands';
import { renderTemplate } from '../devices/receipt-printer/templates/registry';
import type { SelfTestOutcome } from '../protocol';

export interface TestOutcome {
  readonly outcome: SelfTestOutcome;
  readonly text: string;
}

export interface SelfTestTarget {
  readonly name: string;
  run(level: HealthLevel, signal: AbortSignal): Promise<TestOutcome>;
}

export interface TargetTimeouts {
  /** How long an interactive test waits for the technician. */
  readonly interactiveMs: number;
  /** How long the test slip may take to print. */
  readonly printMs: number;
}

const fromHealth = (report: HealthReport): TestOutcome => ({ outcome: report.ok ? 'passed' : 'failed', text: report.text });
const notOffered = (level: HealthLevel, what: string): TestOutcome => ({ outcome: 'skipped', text: `no ${level} test for ${what}` });

/** Resolves true once `holds()` is true, re-checked on each of the device's notifications; false on abort. */
function waitForDevice(device: Pick<Device, 'subscribe'>, holds: () => boolean, signal: AbortSignal): Promise<boolean> {
  if (holds()) return Promise.resolve(true);
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (value: boolean): void => {
      stop();
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = (): void => finish(false);
    const stop = device.subscribe(() => {
      if (holds()) finish(true);
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface ReceiptPrinterTest {
  readonly services: PrinterServices;
  readonly model: string;
  readonly version: string;
  /** Slips this printer has printed (the daemon's count): the test slip prints it. */
  readonly printedCount: () => number;
}

export function receiptPrinterTarget(test: ReceiptPrinterTest, timeouts: TargetTimeouts): SelfTestTarget {
  const { services, model, version } = test;
  const { printer, jobs } = services;
  return {
    name: printer.name,
    async run(level, signal) {
      if (level === 'internal') return fromHealth(await printer.checkHealth('internal', signal));
      if (level === 'interactive') return notOffered(level, 'a receipt printer (its external test prints the slip)');
      // Asked first: a slip sent to a printer without paper would wait and print whenever paper came.
      const health = await printer.checkHealth('external', signal);
      if (!health.ok) return { outcome: 'failed', text: `${health.text}; no test slip sent` };
      const s = printer.status();
      const data = { daemonVersion: version.slice(0, 40), printerModel: model.slice(0, 64), printerStatus: `${s.common.device}, paper ${s.printer?.paper}, cover ${s.printer?.cover}`.slice(0, 80), paperCount: test.printedCount() };
      const bytes = await renderTemplate('self-test', data, services.context());
      if (!bytes.ok) return { outcome: 'failed', text: `the test slip could not be rendered: ${bytes.error.message}` };
      const job = jobs.submit('self-test', bytes.value);
      const guard = deadline(signal, timeouts.printMs, 'test slip');
      const settled = await jobs.settled(job.id, guard.signal);
      guard.dispose();
      if (settled?.state === 'printed') return { outcome: 'passed', text: `${health.text}; test slip printed (job ${job.id})` };
      const reason = settled?.reason ?? (guard.signal.aborted ? 'not confirmed in time' : settled?.state ?? 'lost');
      return { outcome: 'failed', text: `test slip not printed: ${reason} (job ${job.id} is ${settled?.state ?? 'gone'}; it prints when the printer is ready)` };
    },
  };
}

/** What a reader's tests use of the driver. */
export type ReaderUnderTest = Pick<IdCardReader, 'name' | 'status' | 'subscribe' | 'checkHealth' | 'queue' | 'read'>;

export function idCardReaderTarget(reader: ReaderUnderTest, timeouts: TargetTimeouts): SelfTestTarget {
  const cardPresent = (): boolean => reader.status().idCardReader?.media === 'present';
  return {
    name: reader.name,
    async run(level, signal) {
      if (level === 'internal') return fromHealth(await reader.checkHealth('internal', signal));
      if (level === 'external') {
        const health = await reader.checkHealth('external', signal);
        if (!health.ok || !cardPresent()) return { outcome: health.ok ? 'passed' : 'failed', text: `${health.text}${health.ok ? '; no card on the reader, none read' : ''}` };
        // A card already on the reader is read; what it says stays in the reader's session.
        const read = await reader.queue.run((jobSignal) => reader.read(jobSignal, false), signal);
        if (!read.ok) return { outcome: 'failed', text: `${health.text}; card read ${read.error.kind === 'timeout' ? 'timed out' : 'canceled'}` };
        if (!read.value.ok) return { outcome: 'failed', text: `${health.text}; the card on the reader could not be read: ${read.value.error.description}` };
        return { outcome: 'passed', text: `${health.text}; read the ${read.value.value.record.type} card on the reader` };
      }
      const guard = deadline(signal, timeouts.interactiveMs, 'waiting for a card');
      const presented = await waitForDevice(reader, cardPresent, guard.signal);
      guard.dispose();
      if (!presented) return { outcome: 'failed', text: signal.aborted ? 'canceled before a card was presented' : `no card presented within ${Math.round(timeouts.interactiveMs / 1000)} s` };
      return fromHealth(await reader.checkHealth('interactive', signal));
    },
  };
}

/** Counts the faces in a camera frame (the face service's detector); err when the models are not loaded. */
export type FaceCounter = (frame: CameraFrame, signal: AbortSignal) => Promise<Result<number, string>>;

export type CameraUnderTest = Pick<Camera, 'name' | 'role' | 'checkHealth' | 'nextFrame'>;

export function cameraTarget(camera: CameraUnderTest, countFaces: FaceCounter | undefined, timeouts: TargetTimeouts): SelfTestTarget {
  return {
    name: camera.name,
    async run(level, signal) {
      if (level !== 'interactive') return fromHealth(await camera.checkHealth(level, signal));
      if (camera.role !== 'face') return notOffered(level, 'a document camera');
      if (!countFaces) return { outcome: 'failed', text: 'the face service is off: no face can be looked for' };
      // The technician steps in front of the camera: frames are searched until one holds one face.
      const guard = deadline(signal, timeouts.interactiveMs, 'waiting for a face');
      try {
        let last = 'no frame';
        while (!guard.signal.aborted) {
          const frame = await camera.nextFrame(guard.signal);
          if (!frame.ok) {
            if (!guard.signal.aborted) last = frame.error.message;
            continue;
          }
          const counted = await countFaces(frame.value, guard.signal);
          frame.value.release();
          if (!counted.ok) return { outcome: 'failed', text: counted.error };
          if (counted.value === 1) return { outcome: 'passed', text: 'Interactive CheckHealth: one face found in a live frame' };
          last = counted.value === 0 ? 'no face in the frame' : `${counted.value} faces in the frame`;
        }
        return { outcome: 'failed', text: signal.aborted ? 'canceled before a face was shown' : `no single face within ${Math.round(timeouts.interactiveMs / 1000)} s (${last})` };
      } finally {
        guard.dispose();
      }
    },
  };
}

export function scannerTarget(scanner: Pick<HidScanner, 'name' | 'checkHealth'>, timeouts: TargetTimeouts): SelfTestTarget {
  return {
    name: scanner.name,
    async run(level, signal) {
      const guard = level === 'interactive' ? deadline(signal, timeouts.interactiveMs, 'waiting for a scan') : undefined;
      const report = await scanner.checkHealth(level, guard?.signal ?? signal);
      guard?.dispose();
      if (!report.ok && guard?.signal.aborted && !signal.aborted) return { outcome: 'failed', text: `no code scanned within ${Math.round(timeouts.interactiveMs / 1000)} s` };
      return fromHealth(report);
    },
  };
}

export function documentPrinterTarget(printer: Pick<DocumentPrinter, 'name' | 'checkHealth'>): SelfTestTarget {
  return {
    name: printer.name,
    async run(level, signal) {
      if (level === 'interactive') return notOffered(level, 'the A4 printer');
      return fromHealth(await printer.checkHealth(level, signal));
    },
  };
}

/** The daemon's own services, internal level only: a test that names no device runs them too. */
export function serviceTarget(name: string, check: () => TestOutcome): SelfTestTarget {
  return {
    name,
    async run(level) {
      return level === 'internal' ? check() : notOffered(level, `the ${name}`);
    },
  };
}
