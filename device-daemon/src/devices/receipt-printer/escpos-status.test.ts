import { describe, expect, it } from 'vitest';
import { decodeAutoStatusBack, decodeDleEot, decodePaperSensor, isDleEotReply, printerCondition, STATUS_QUERY } from './escpos-status';

// Replies written out from the bit tables of the Epson TM-series specs (fixed bits 1 and 4 set).
const IDLE = [0x12, 0x12, 0x12, 0x12];

describe('DLE EOT decoding', () => {
  it('asks all four statuses with 10 04 n', () => {
    expect([...STATUS_QUERY]).toEqual([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]);
  });

  it('reads an idle printer as online with full paper', () => {
    const sensors = decodeDleEot(IDLE);
    expect(sensors.ok && printerCondition(sensors.value)).toEqual({ device: 'online', printer: { paper: 'full', cover: 'closed' }, fault: undefined });
  });

  it('reads paper near end (n=4 bits 2,3) as low, without a fault', () => {
    const sensors = decodeDleEot([0x12, 0x12, 0x12, 0x1e]);
    expect(sensors.ok && printerCondition(sensors.value).printer.paper).toBe('low');
    expect(sensors.ok && printerCondition(sensors.value).fault).toBeUndefined();
  });

  it('reads paper end (n=4 bits 5,6; n=2 bit 5; n=1 bit 3 offline) as out, online, staff to clear', () => {
    const sensors = decodeDleEot([0x1a, 0x32, 0x12, 0x7e]);
    expect(sensors.ok && sensors.value).toMatchObject({ offline: true, paperEndStop: true, paperEnd: true, paperNearEnd: true });
    const condition = sensors.ok ? printerCondition(sensors.value) : undefined;
    expect(condition).toEqual({ device: 'online', printer: { paper: 'out', cover: 'closed' }, fault: { eventId: 'user', action: 'clear', vendorDescription: 'receipt paper is out' } });
  });

  it('reads cover open (n=2 bit 2) as userError', () => {
    const sensors = decodeDleEot([0x1a, 0x16, 0x12, 0x12]);
    const condition = sensors.ok ? printerCondition(sensors.value) : undefined;
    expect(condition?.device).toBe('userError');
    expect(condition?.printer.cover).toBe('open');
  });

  it('reads cutter (n=3 bit 3) and unrecoverable (bit 5) errors as hardwareError with their actions', () => {
    const cutter = decodeDleEot([0x1a, 0x52, 0x1a, 0x12]);
    expect(cutter.ok && printerCondition(cutter.value).fault?.action).toBe('clear');
    expect(cutter.ok && printerCondition(cutter.value).device).toBe('hardwareError');
    const dead = decodeDleEot([0x1a, 0x52, 0x32, 0x12]);
    expect(dead.ok && printerCondition(dead.value).fault?.action).toBe('maintenance');
    const hot = decodeDleEot([0x1a, 0x52, 0x52, 0x12]);
    expect(hot.ok && printerCondition(hot.value).fault?.action).toBe('suspend');
    const jam = decodeDleEot([0x1a, 0x52, 0x16, 0x12]);
    expect(jam.ok && printerCondition(jam.value).printer.paper).toBe('jammed');
  });

  it('refuses replies without the fixed bits, or too few of them', () => {
    expect(isDleEotReply(0x12)).toBe(true);
    expect(isDleEotReply(0x00)).toBe(false);
    expect(decodeDleEot([0x12, 0x12, 0x92, 0x12]).ok).toBe(false);
    expect(decodeDleEot([0x12, 0x12]).ok).toBe(false);
  });
});

describe('Automatic Status Back and GS r', () => {
  it('decodes cover open and paper end from the 4-byte block', () => {
    const asb = decodeAutoStatusBack([0x38, 0x00, 0x0f, 0x00]);
    expect(asb.ok && asb.value).toMatchObject({ offline: true, coverOpen: true, paperNearEnd: true, paperEnd: true, cutterError: false });
    expect(decodeAutoStatusBack([0x12, 0x00, 0x00, 0x00]).ok).toBe(false);
    expect(decodeAutoStatusBack([0x10, 0x80, 0x00, 0x00]).ok).toBe(false);
  });

  it('decodes the paper sensor reply', () => {
    expect(decodePaperSensor(0x00)).toEqual({ nearEnd: false, end: false });
    expect(decodePaperSensor(0x03)).toEqual({ nearEnd: true, end: false });
    expect(decodePaperSensor(0x0f)).toEqual({ nearEnd: true, end: true });
  });
});
