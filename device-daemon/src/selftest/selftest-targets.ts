// The self-test targets of a running kiosk: every configured device in the configuration's order,
// then the daemon's services (the database, the face models). kiosk.ts hands over what it built.
import type { KioskConfig } from '../config/schema';
import { err, ok } from '../core/result';
import type { Composition } from '../main';
import type { PrinterServices } from '../devices/receipt-printer/printer-commands';
import type { FaceService } from '../face/face-service';
import { decodeImage, wipe } from '../face/image';
import type { KioskDatabase } from '../store/database';
import { cameraTarget, documentPrinterTarget, idCardReaderTarget, receiptPrinterTarget, scannerTarget, serviceTarget, type FaceCounter, type SelfTestTarget, type TestOutcome } from './device-self-tests';

export interface TargetSources {
  readonly config: KioskConfig;
  readonly composition: Composition;
  readonly printerServices: ReadonlyMap<string, PrinterServices>;
  readonly printedCount: (device: string) => number;
  readonly face: FaceService | undefined;
  readonly db: KioskDatabase;
  readonly version: string;
}

/** The face service's detector over one frame; the decoded picture is wiped at once. */
function faceCounter(face: FaceService): FaceCounter {
  return async (frame) => {
    const analyzer = face.analyzer;
    if (!analyzer) return err(`the face models are not ready (${face.state.kind}${face.state.kind === 'unavailable' ? `: ${face.state.reason}` : ''})`);
    const image = await decodeImage(frame.jpeg);
    if (!image.ok) return err(`the frame could not be decoded: ${image.error}`);
    try {
      const analysis = await analyzer.analyse(image.value, { maxMeshes: 2 });
      return ok(analysis.faces.length);
    } finally {
      wipe(image.value);
    }
  };
}

function databaseCheck(db: KioskDatabase): TestOutcome {
  try {
    const rows = db.prepare<[], { quick_check: string }>('PRAGMA quick_check').all();
    const version = db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations').get()?.version ?? 0;
    const verdict = rows.map((r) => r.quick_check).join('; ');
    return verdict === 'ok' ? { outcome: 'passed', text: `Internal CheckHealth: database quick_check ok, schema version ${version}` } : { outcome: 'failed', text: `database quick_check: ${verdict.slice(0, 200)}` };
  } catch (cause) {
    return { outcome: 'failed', text: `database check failed: ${cause instanceof Error ? cause.message : String(cause)}` };
  }
}

function faceCheck(face: FaceService | undefined): TestOutcome {
  if (!face) return { outcome: 'skipped', text: 'the face check is disabled in the configuration' };
  const state = face.state;
  if (state.kind === 'ready') return { outcome: 'passed', text: 'Internal CheckHealth: face models loaded, sha256 verified' };
  return { outcome: 'failed', text: state.kind === 'loading' ? 'face models still loading' : `face service unavailable: ${state.reason}` };
}

export function selfTestTargets(sources: TargetSources): SelfTestTarget[] {
  const { config, composition, face } = sources;
  const timeouts = { interactiveMs: config.technician.selfTestWaitMs, printMs: config.technician.selfTestPrintMs };
  const countFaces = face ? faceCounter(face) : undefined;
  const targets: SelfTestTarget[] = [];
  for (const [name, device] of Object.entries(config.devices)) {
    const services = sources.printerServices.get(name);
    const reader = composition.readers.get(name);
    const camera = composition.cameras.get(name);
    const scanner = composition.scanners.get(name);
    const a4 = composition.documentPrinters.get(name);
    if (services) targets.push(receiptPrinterTarget({ services, model: device.model, version: sources.version, printedCount: () => sources.printedCount(name) }, timeouts));
    else if (reader) targets.push(idCardReaderTarget(reader, timeouts));
    else if (camera) targets.push(cameraTarget(camera, countFaces, timeouts));
    else if (scanner) targets.push(scannerTarget(scanner, timeouts));
    else if (a4) targets.push(documentPrinterTarget(a4));
  }
  targets.push(serviceTarget('database', () => databaseCheck(sources.db)));
  targets.push(serviceTarget('faceService', () => faceCheck(face)));
  return targets;
}
