import { describe, expect, it } from 'vitest';
import { SimulatedPort } from '../simulators/simulated-port';
import { createMemoryPair, MemoryTransport } from './memory-transport';
import type { TransportError } from './transport';

const signal = new AbortController().signal;
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('memory pair', () => {
  it('carries copies of the bytes both ways, later, in order', async () => {
    const { host, device } = createMemoryPair();
    const atDevice: number[] = [];
    const atHost: number[] = [];
    device.onData((b) => atDevice.push(...b));
    host.onData((b) => atHost.push(...b));
    const sent = Uint8Array.of(1, 2, 3);
    host.write(sent);
    sent[0] = 9;
    device.write(Uint8Array.of(7));
    expect(atDevice).toEqual([]);
    await flush();
    expect(atDevice).toEqual([1, 2, 3]);
    expect(atHost).toEqual([7]);
  });

  it('tells the other side why the connection ended', async () => {
    const { host, device } = createMemoryPair();
    const seen: (TransportError | undefined)[] = [];
    host.onClose((e) => seen.push(e));
    device.onClose((e) => seen.push(e));
    device.close({ code: 'closed', message: 'cable pulled' });
    await flush();
    expect(seen).toEqual([undefined, { code: 'closed', message: 'cable pulled' }]);
    expect(host.isOpen).toBe(false);
  });
});

describe('MemoryTransport over a simulated port', () => {
  it('opens, exchanges bytes, and drops when the port is unplugged', async () => {
    const port = new SimulatedPort('sim');
    port.onConnection((end) => end.onData((bytes) => end.write(Uint8Array.from(bytes, (b) => b + 1))));
    const transport = new MemoryTransport(port, 'memory sim');
    expect((await transport.open(signal)).ok).toBe(true);
    const received: number[] = [];
    const drops: (TransportError | undefined)[] = [];
    transport.onData((b) => received.push(...b));
    transport.onClose((e) => drops.push(e));
    await transport.write(Uint8Array.of(1, 2), signal);
    await flush();
    expect(received).toEqual([2, 3]);
    port.unplug();
    await flush();
    expect(transport.isOpen).toBe(false);
    expect(drops[0]?.message).toBe('sim was unplugged');
    const again = await new MemoryTransport(port, 'memory sim').open(signal);
    expect(again.ok ? 'open' : again.error.code).toBe('notFound');
    port.plug();
    expect((await new MemoryTransport(port, 'memory sim').open(signal)).ok).toBe(true);
  });

  it('reports a write on a closed transport as a value', async () => {
    const transport = new MemoryTransport(new SimulatedPort('sim'), 'memory sim');
    const written = await transport.write(Uint8Array.of(1), signal);
    expect(written.ok ? 'ok' : written.error.code).toBe('closed');
  });
});
