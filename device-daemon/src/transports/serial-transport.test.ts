import { MockBinding } from '@serialport/binding-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../core/result';
import { SerialTransport, type SerialBindingLoader } from './serial-transport';
import type { TransportError } from './transport';

const signal = new AbortController().signal;
const mock: SerialBindingLoader = async () => ok(MockBinding);
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => MockBinding.reset());

describe('SerialTransport over the serialport mock binding', () => {
  it('opens at the configured rate, writes, and receives', async () => {
    MockBinding.createPort('/dev/ttyUSB0', { echo: false, record: true });
    const transport = new SerialTransport({ path: '/dev/ttyUSB0', baudRate: 115_200 }, mock);
    expect((await transport.open(signal)).ok).toBe(true);
    expect(transport.label).toBe('serial /dev/ttyUSB0 115200');
    const received: number[] = [];
    transport.onData((b) => received.push(...b));
    const frame = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x03, 0x11, 0xff, 0xed);
    expect((await transport.write(frame, signal)).ok).toBe(true);
    // Opened with lock: a second opener is refused while the transport holds the port.
    const second = await new SerialTransport({ path: '/dev/ttyUSB0', baudRate: 115_200 }, mock).open(signal);
    expect(second.ok ? 'open' : second.error.code).toBe('busy');
    await transport.close();
  });

  it('delivers bytes the device sends', async () => {
    MockBinding.createPort('/dev/ttyUSB1', { echo: true, record: true });
    const transport = new SerialTransport({ path: '/dev/ttyUSB1', baudRate: 115_200 }, mock);
    await transport.open(signal);
    const received: number[] = [];
    transport.onData((b) => received.push(...b));
    await transport.write(Uint8Array.of(1, 2, 3), signal);
    for (let i = 0; i < 10 && received.length < 3; i += 1) await flush();
    expect(received).toEqual([1, 2, 3]);
    await transport.close();
  });

  it('reports a missing port as a value and a clean close without error', async () => {
    const missing = await new SerialTransport({ path: '/dev/ttyUSB9', baudRate: 115_200 }, mock).open(signal);
    expect(missing.ok ? 'open' : missing.error.code).toBe('notFound');
    MockBinding.createPort('/dev/ttyUSB2', {});
    const transport = new SerialTransport({ path: '/dev/ttyUSB2', baudRate: 115_200 }, mock);
    await transport.open(signal);
    const closed = new Promise<TransportError | undefined>((resolve) => transport.onClose(resolve));
    await transport.close();
    expect(await closed).toBeUndefined();
  });

  it('says so when the binding cannot be loaded', async () => {
    const broken: SerialBindingLoader = async () => ({ ok: false, error: { code: 'driverUnavailable', message: 'no binding' } });
    const result = await new SerialTransport({ path: '/dev/ttyUSB0', baudRate: 115_200 }, broken).open(signal);
    expect(result.ok ? 'open' : result.error.code).toBe('driverUnavailable');
  });
});
