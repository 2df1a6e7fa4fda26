import type { DeviceStatus } from '@protocol';
import { describe, expect, it } from 'vitest';
import { journeyAvailability } from './availability';
import { JOURNEYS } from './catalogue';

const printer = (device: DeviceStatus['common']['device'], paper: 'full' | 'low' | 'out' = 'full'): DeviceStatus => ({
  deviceClass: 'printer',
  common: { device, devicePosition: 'inPosition' },
  printer: { paper, cover: 'closed' },
});

const journey = (id: string) => {
  const found = JOURNEYS.find((j) => j.id === id);
  if (!found) throw new Error(id);
  return found;
};

describe('journeyAvailability', () => {
  it('opens a journey whose devices are usable and journeys that need none', () => {
    expect(journeyAvailability(journey('J4'), { receiptPrinter: printer('online', 'low') })).toEqual({ open: true, blocked: [] });
    expect(journeyAvailability(journey('J8'), {}).open).toBe(true);
  });

  it('closes exactly the journeys that need a faulty device, with the reason', () => {
    const devices = { receiptPrinter: printer('online', 'out') };
    expect(journeyAvailability(journey('J4'), devices)).toEqual({ open: false, blocked: [{ kind: 'printer', problem: 'paperOut' }] });
    expect(journeyAvailability(journey('J6'), devices).open).toBe(true);
    expect(journeyAvailability(journey('J4'), { receiptPrinter: printer('noDevice') }).blocked).toEqual([{ kind: 'printer', problem: 'noDevice' }]);
  });

  it('says which device kinds are not installed', () => {
    expect(journeyAvailability(journey('J1'), { receiptPrinter: printer('online') }).blocked).toEqual([
      { kind: 'idCardReader', problem: 'missing' },
      { kind: 'faceCamera', problem: 'missing' },
    ]);
  });

  it('while storage fails, closes the journeys that keep a record and leaves the others, help above all', () => {
    const devices = { receiptPrinter: printer('online') };
    const failing = { storage: 'failing' } as const;
    expect(journeyAvailability(journey('J4'), devices, failing)).toEqual({ open: false, blocked: [{ kind: 'storage', problem: 'failing' }] });
    // Devices first, storage last.
    expect(journeyAvailability(journey('J4'), { receiptPrinter: printer('online', 'out') }, failing).blocked).toEqual([
      { kind: 'printer', problem: 'paperOut' },
      { kind: 'storage', problem: 'failing' },
    ]);
    const open = JOURNEYS.filter((j) => journeyAvailability({ ...j, needs: [] }, {}, failing).open).map((j) => j.id);
    expect(open).toEqual(['J1', 'J6', 'J8']);
    expect(journeyAvailability(journey('J4'), devices, { storage: 'ok' }).open).toBe(true);
  });

  it('stays open while one of two devices of a kind works', () => {
    expect(journeyAvailability(journey('J4'), { a: printer('hardwareError'), b: printer('online') }).open).toBe(true);
  });
});
