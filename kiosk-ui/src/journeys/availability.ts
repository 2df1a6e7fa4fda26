// Which journeys are open, from the live device statuses and the terminal's health: a journey is
// open when every kind of device it needs has at least one usable device and, if it keeps a record,
// the terminal can store one. Pure, so it is tested without a DOM.
import type { DeviceStatus, KioskHealth } from '@protocol';
import type { DeviceKind, JourneyDefinition } from './catalogue';

export type DeviceProblem = 'missing' | 'noDevice' | 'offline' | 'powerOff' | 'hardwareError' | 'userError' | 'deviceBusy' | 'starting' | 'paperOut' | 'paperJammed';

/** Maps a configured device to the UI's device kinds. */
export function kindOf(status: DeviceStatus): DeviceKind {
  switch (status.deviceClass) {
    case 'printer':
      return 'printer';
    case 'idCardReader':
      return 'idCardReader';
    case 'camera':
      return status.camera?.role === 'document' ? 'documentCamera' : 'faceCamera';
    case 'barcodeReader':
      return 'scanner';
    case 'documentPrinter':
      return 'a4Printer';
  }
}

export function deviceProblem(status: DeviceStatus): DeviceProblem | undefined {
  if (status.common.device !== 'online') return status.common.device;
  if (status.printer?.paper === 'out') return 'paperOut';
  if (status.printer?.paper === 'jammed') return 'paperJammed';
  return undefined;
}

/** What closes a journey: a kind of device without a usable one, or the terminal's storage. */
export type Blocker = { readonly kind: DeviceKind; readonly problem: DeviceProblem } | { readonly kind: 'storage'; readonly problem: 'failing' };

export interface Availability {
  readonly open: boolean;
  /** Each needed kind that has no usable device, with what is wrong; storage last. */
  readonly blocked: readonly Blocker[];
}

export const HEALTHY: KioskHealth = Object.freeze({ storage: 'ok' });

export function journeyAvailability(journey: JourneyDefinition, devices: Readonly<Record<string, DeviceStatus>>, health: KioskHealth = HEALTHY): Availability {
  const blocked: Blocker[] = [];
  for (const kind of journey.needs) {
    const ofKind = Object.values(devices).filter((d) => kindOf(d) === kind);
    if (ofKind.length === 0) {
      blocked.push({ kind, problem: 'missing' });
      continue;
    }
    const problems = ofKind.map(deviceProblem);
    if (problems.some((p) => p === undefined)) continue;
    blocked.push({ kind, problem: problems[0] ?? 'missing' });
  }
  if (journey.keepsRecord && health.storage !== 'ok') blocked.push({ kind: 'storage', problem: 'failing' });
  return { open: blocked.length === 0, blocked };
}
