// The resident journeys J1 to J8 (PRODUCT.md section 3) and the kinds of device each one needs, so
// that a device fault closes exactly the journeys that depend on it.
import type { StringKey } from '../i18n/strings';

/** Device kinds as the UI knows them; each maps to configured devices by class. */
export type DeviceKind = 'printer' | 'idCardReader' | 'faceCamera' | 'documentCamera' | 'scanner' | 'a4Printer';

export interface JourneyDefinition {
  readonly id: 'J1' | 'J2' | 'J3' | 'J4' | 'J5' | 'J6' | 'J7' | 'J8';
  readonly title: StringKey;
  readonly note: StringKey;
  readonly needs: readonly DeviceKind[];
}

export const JOURNEYS: readonly JourneyDefinition[] = [
  { id: 'J1', title: 'journey.identify', note: 'journey.identify.note', needs: ['idCardReader', 'faceCamera'] },
  { id: 'J2', title: 'journey.photo', note: 'journey.photo.note', needs: ['faceCamera', 'printer'] },
  { id: 'J3', title: 'journey.certificates', note: 'journey.certificates.note', needs: ['idCardReader', 'faceCamera', 'a4Printer'] },
  { id: 'J4', title: 'journey.bills', note: 'journey.bills.note', needs: ['printer'] },
  { id: 'J5', title: 'journey.apply', note: 'journey.apply.note', needs: ['idCardReader', 'faceCamera', 'documentCamera', 'printer'] },
  { id: 'J6', title: 'journey.track', note: 'journey.track.note', needs: [] },
  { id: 'J7', title: 'journey.rate', note: 'journey.rate.note', needs: [] },
  { id: 'J8', title: 'journey.help', note: 'journey.help.note', needs: [] },
];
