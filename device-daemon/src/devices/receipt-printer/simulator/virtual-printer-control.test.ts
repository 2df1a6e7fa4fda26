import { describe, expect, it } from 'vitest';
import { MemoryTransport } from '../../../transports/memory-transport';
import { virtualPrinterControl } from './virtual-printer-control';
import { VirtualPrinter } from './virtual-printer';

describe('virtual printer control', () => {
  it('tears the roll off: what was printed is forgotten, printing goes on', async () => {
    const printer = new VirtualPrinter('tear test');
    const control = virtualPrinterControl(printer);
    const transport = new MemoryTransport(printer.port, 'tear test');
    const signal = new AbortController().signal;
    expect((await transport.open(signal)).ok).toBe(true);
    const text = (s: string): Uint8Array => Uint8Array.from([...Buffer.from(`${s}\n`, 'latin1'), 0x1d, 0x56, 0x00]);
    await transport.write(Uint8Array.of(0x1b, 0x40), signal);
    await transport.write(text('first'), signal);
    await expect.poll(() => printer.lines).toContain('first');
    expect(printer.state().cuts).toBe(1);
    expect(control.apply({ action: 'tear' })).toMatchObject({ ok: true, value: { cuts: 0, linesPrinted: 0 } });
    await transport.write(text('second'), signal);
    await expect.poll(() => printer.lines).toEqual(['second']);
    expect(control.apply({ action: 'tear', extra: 1 })).toMatchObject({ ok: false });
  });
});
