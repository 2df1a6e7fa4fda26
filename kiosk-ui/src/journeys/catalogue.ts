// The resident journeys J1 to J8 (PRODUCT.md section 3) and the kinds of device each one needs, so
// that a device fault closes exactly the journeys that depend on it.
import type { StringKey } from '../i18n/strings';

/** Device kinds as the UI knows them; each maps to configured devices by class. */
export type DeviceKind = 'printer' | 'idCardReader' | 'faceCamera' | 'documentCamera' | 'scanner' | 'a4Printer';

export type JourneyId = 'J1' | 'J2' | 'J3' | 'J4' | 'J5' | 'J6' | 'J7' | 'J8';

export interface JourneyDefinition {
  readonly id: JourneyId;
  readonly title: StringKey;
  readonly note: StringKey;
  readonly needs: readonly DeviceKind[];
  /** The journey works on the card read: taking the card away ends the session. */
  readonly needsCard: boolean;
}

export const JOURNEYS: readonly JourneyDefinition[] = [
  { id: 'J1', title: 'journey.identify', note: 'journey.identify.note', needs: ['idCardReader', 'faceCamera'], needsCard: true },
  { id: 'J2', title: 'journey.photo', note: 'journey.photo.note', needs: ['faceCamera', 'a4Printer', 'printer'], needsCard: false },
  { id: 'J3', title: 'journey.certificates', note: 'journey.certificates.note', needs: ['idCardReader', 'faceCamera', 'a4Printer'], needsCard: true },
  { id: 'J4', title: 'journey.bills', note: 'journey.bills.note', needs: ['printer'], needsCard: false },
  { id: 'J5', title: 'journey.apply', note: 'journey.apply.note', needs: ['idCardReader', 'faceCamera', 'documentCamera', 'printer'], needsCard: true },
  { id: 'J6', title: 'journey.track', note: 'journey.track.note', needs: [], needsCard: false },
  { id: 'J7', title: 'journey.rate', note: 'journey.rate.note', needs: [], needsCard: false },
  { id: 'J8', title: 'journey.help', note: 'journey.help.note', needs: [], needsCard: false },
];

export function journeyById(id: JourneyId): JourneyDefinition {
  const found = JOURNEYS.find((j) => j.id === id);
  if (!found) throw new Error(`unknown journey ${id}`);
  return found;
}
