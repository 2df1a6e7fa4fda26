import { describe, expect, it } from 'vitest';
import { createLogger } from '../../log/logger';
import { MemoryTransport } from '../../transports/memory-transport';
import { KeyboardDecoder } from './hid-keyboard';
import { HidScanner } from './hid-scanner';
import { identifyScan } from './scan-text';
import { keyboardReports, VirtualHidScanner } from './virtual-hid-scanner';

const log = createLogger({ level: 'silent' });

function decode(reports: Uint8Array, gapMs = 4): string[] {
  const lines: string[] = [];
  const decoder = new KeyboardDecoder((line) => lines.push(line));
  for (let i = 0, t = 0; i < reports.length; i += 8, t += gapMs) decoder.report(reports.subarray(i, i + 8), t);
  return lines;
}

const reports = (text: string): Uint8Array => {
  const r = keyboardReports(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('HID keyboard decoding', () => {
  it('types back what was scanned, shifted characters included', () => {
    expect(decode(reports('https://zwfw.example.cn/t?n=ZJ2026-000417&v=1'))).toEqual(['https://zwfw.example.cn/t?n=ZJ2026-000417&v=1']);
    expect(decode(reports('134567890123456789'))).toEqual(['134567890123456789']);
  });

  it('counts a key held over two reports once, and drops a line whose keys come too far apart', () => {
    const held = new Uint8Array(24);
    held[2] = 0x1e; // "1" down
    held[10] = 0x1e; // still down
    held[18] = 0x28; // Enter
    expect(decode(held)).toEqual(['1']);
    expect(decode(reports('12345'), 800)).toEqual([]);
  });

  it('drops an over-long scan whole', () => {
    const lines: string[] = [];
    const decoder = new KeyboardDecoder((l) => lines.push(l), { maxLength: 4, maxGapMs: 500 });
    const r = reports('123456');
    for (let i = 0; i < r.length; i += 8) decoder.report(r.subarray(i, i + 8), i);
    expect(lines).toEqual([]);
  });

  it('refuses text a US layout cannot type', () => {
    expect(keyboardReports('缴费').ok).toBe(false);
  });
});

describe('scan symbology', () => {
  it('reads AIM identifiers and recognises EANs by their check digit', () => {
    expect(identifyScan(']Q1hello')).toEqual({ text: 'hello', symbology: 'qr' });
    expect(identifyScan(']C0ZJ-1')).toEqual({ text: 'ZJ-1', symbology: 'code128' });
    expect(identifyScan(']E46901234')).toEqual({ text: '6901234', symbology: 'ean8' });
    expect(identifyScan('6901234567892')).toEqual({ text: '6901234567892', symbology: 'ean13' });
    expect(identifyScan('6901234567890')).toEqual({ text: '6901234567890', symbology: 'unknown' });
    expect(identifyScan('96385074')).toEqual({ text: '96385074', symbology: 'ean8' });
  });
});

describe('HID scanner device', () => {
  it('delivers a scan to a waiting read, drops one nobody asked for, and reconnects after an unplug', async () => {
    const sim = new VirtualHidScanner('virtual scanner');
    const scanner = new HidScanner({
      name: 'scanner',
      simulated: true,
      createTransport: () => new MemoryTransport(sim.port, 'memory scanner'),
      openTimeoutMs: 1000,
      backoff: { initialMs: 10, maxMs: 20, factor: 1, jitter: 0 },
      information: { modelName: 'virtual', revisionNumber: '', modelDescription: 'scanner' },
      log,
    });
    scanner.open();
    await expect.poll(() => scanner.status().common.device).toBe('online');
    expect(sim.scan('stray').ok).toBe(true);
    // Reports arrive on microtasks: let the stray scan land (and be dropped) before asking.
    await new Promise((resolve) => setImmediate(resolve));
    const reading = scanner.read(new AbortController().signal);
    await expect.poll(() => scanner.status().barcodeReader?.scanning).toBe(true);
    expect(sim.scan('6901234567892').ok).toBe(true);
    await expect(reading).resolves.toEqual({ ok: true, value: { text: '6901234567892', symbology: 'ean13' } });
    expect(scanner.status().barcodeReader?.scanning).toBe(false);

    sim.port.unplug();
    await expect.poll(() => scanner.status().common.device).toBe('noDevice');
    await expect(scanner.read(new AbortController().signal)).resolves.toEqual({ ok: false, error: 'scanner scanner is noDevice' });
    sim.port.plug();
    await expect.poll(() => scanner.status().common.device).toBe('online');
    const controller = new AbortController();
    const canceled = scanner.read(controller.signal);
    controller.abort();
    await expect(canceled).resolves.toEqual({ ok: false, error: 'canceled' });

    // A read waiting when the cable goes ends at once, not when its command times out.
    const waiting = scanner.read(new AbortController().signal);
    await expect.poll(() => scanner.status().barcodeReader?.scanning).toBe(true);
    sim.port.unplug();
    await expect(waiting).resolves.toEqual({ ok: false, error: 'scanner scanner was disconnected' });
    expect(scanner.status().barcodeReader?.scanning).toBe(false);
    await scanner.close();
  });
});
