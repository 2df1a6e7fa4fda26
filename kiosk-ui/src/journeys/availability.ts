// Which journeys are open, from the live device statuses: a journey is open when every kind of
// device it needs has at least one usable device. Pure, so it is tested without a DOM.
import type { DeviceStatus } from '@protocol';
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

export interface Availability {
  readonly open: boolean;
  /** Each needed kind that has no usable device, with what is wrong. */
  readonly blocked: readonly { readonly kind: DeviceKind; readonly problem: DeviceProblem }[];
}

export function journeyAvailability(journey: JourneyDefinition, devices: Readonly<Record<string, DeviceStatus>>): Availability {
  const blocked: { kind: DeviceKind; problem: DeviceProblem }[] = [];
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
  return { open: blocked.length === 0, blocked };
}
