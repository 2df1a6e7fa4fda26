import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { VirtualPrinter } from '../devices/receipt-printer/simulator/virtual-printer';
import { serveOverTcp } from '../simulators/tcp-bridge';
import { runKioskctl } from './kioskctl';

const dir = (): string => mkdtempSync(join(tmpdir(), 'kiosk-print-'));

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runKioskctl(args, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

describe('kioskctl print', () => {
  it('renders a template to a 576-dot PNG whose QR code reads back, and writes its bytes', async () => {
    const d = dir();
    const png = join(d, 'slip.png');
    const bin = join(d, 'slip.bin');
    const result = await run(['print', 'acceptance-slip', '--sample', '--out', png, '--bytes', bin]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^wrote \d+ bytes of ESC\/POS to .*slip\.bin\nwrote .*slip\.png: \d+ text lines, 1 cut$/);
    expect([...readFileSync(bin).subarray(0, 4)]).toEqual([0x1b, 0x40, 0x1c, 0x26]);
    const { data, info } = await sharp(readFileSync(png)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(576);
    expect(jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height)?.data).toBe('https://zwfw.example.gov.cn/track?n=ZJ3301062611220017');
  });

  it('sends a template to a network printer through the real driver', async () => {
    const printer = new VirtualPrinter('tcp printer');
    const bridge = await serveOverTcp(printer.port, '127.0.0.1', 0);
    if (!bridge.ok) throw new Error(bridge.error);
    try {
      const result = await run(['print', 'queue-ticket', '--sample', '--printer', `tcp://127.0.0.1:${bridge.value.port}`]);
      expect(result).toEqual({ code: 0, out: `printed on 127.0.0.1:${bridge.value.port}; paper full` });
      expect(printer.lines).toContain('A023');
      expect(printer.paper.receipts()).toHaveLength(1);
    } finally {
      await bridge.value.close();
    }
  });

  it('uses data from a file, and explains what is wrong', async () => {
    const d = dir();
    const data = join(d, 'ticket.json');
    writeFileSync(data, JSON.stringify({ number: 'B007', service: '不动产', waiting: 0, issuedAt: '2026-11-22T08:00:00+08:00' }));
    expect((await run(['print', 'queue-ticket', '--data', data, '--bytes', join(d, 'x.bin')])).code).toBe(0);
    writeFileSync(data, JSON.stringify({ number: 'not a number' }));
    const bad = await run(['print', 'queue-ticket', '--data', data, '--bytes', join(d, 'x.bin')]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^kioskctl print: number: /m);
    expect((await run(['print', 'menu', '--sample', '--out', 'x.png'])).code).toBe(2);
    expect((await run(['print', 'self-test', '--sample'])).code).toBe(2);
    expect((await run(['print', 'self-test', '--sample', '--printer', 'lp0'])).code).toBe(2);
  });
});
