// The resident journeys J1 to J8 (PRODUCT.md section 3), the kinds of device each one needs and
// whether it keeps a record on the terminal, so that a device or storage fault closes exactly the
// journeys that depend on it.
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
  /**
   * The journey's service is a record the daemon keeps before anything happens (an order, a
   * submission, a print job, a rating): closed while the terminal cannot store one. Help stays open
   * whatever happens; its queue ticket answers for itself.
   */
  readonly keepsRecord: boolean;
}

export const JOURNEYS: readonly JourneyDefinition[] = [
  { id: 'J1', title: 'journey.identify', note: 'journey.identify.note', needs: ['idCardReader', 'faceCamera'], needsCard: true, keepsRecord: false },
  { id: 'J2', title: 'journey.photo', note: 'journey.photo.note', needs: ['faceCamera', 'a4Printer', 'printer'], needsCard: false, keepsRecord: true },
  { id: 'J3', title: 'journey.certificates', note: 'journey.certificates.note', needs: ['idCardReader', 'faceCamera', 'a4Printer'], needsCard: true, keepsRecord: true },
  { id: 'J4', title: 'journey.bills', note: 'journey.bills.note', needs: ['printer'], needsCard: false, keepsRecord: true },
  { id: 'J5', title: 'journey.apply', note: 'journey.apply.note', needs: ['idCardReader', 'faceCamera', 'documentCamera', 'printer'], needsCard: true, keepsRecord: true },
  { id: 'J6', title: 'journey.track', note: 'journey.track.note', needs: [], needsCard: false, keepsRecord: false },
  { id: 'J7', title: 'journey.rate', note: 'journey.rate.note', needs: [], needsCard: false, keepsRecord: true },
  { id: 'J8', title: 'journey.help', note: 'journey.help.note', needs: [], needsCard: false, keepsRecord: false },
];

export function journeyById(id: JourneyId): JourneyDefinition {
  const found = JOURNEYS.find((j) => j.id === id);
  if (!found) throw new Error(`unknown journey ${id}`);
  return found;
}
