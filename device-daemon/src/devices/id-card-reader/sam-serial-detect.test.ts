import { MockBinding, type MockPortBinding } from '@serialport/binding-mock';
import type { BindingInterface, OpenOptions } from '@serialport/bindings-interface';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settleWithFakeTime } from '../../testing/fake-time';
import { ok } from '../../core/result';
import { silentLogger } from '../../log/logger';
import type { SerialBindingLoader } from '../../transports/serial-transport';
import { AutoSerialTransport, candidatePorts, detectSamPort } from './sam-serial-detect';
import { encodeFrame } from './sam-frame';

const signal = new AbortController().signal;
const STATUS_REQUEST = Buffer.from('aaaaaa9669000311ffed', 'hex');

/** serialport's mock binding, with a SAM on one port that answers 11 FF. */
function bindingWithReaderOn(readerPath: string): SerialBindingLoader {
  const binding: BindingInterface = {
    list: () => MockBinding.list(),
    async open(options: OpenOptions) {
      const port: MockPortBinding = await MockBinding.open(options);
      if (options.path === readerPath) {
        const write = port.write.bind(port);
        port.write = async (buffer: Buffer) => {
          await write(buffer);
          if (buffer.equals(STATUS_REQUEST)) port.emitData(Buffer.from(encodeFrame(Uint8Array.of(0, 0, 0x90))));
        };
      }
      return port;
    },
  };
  return async () => ok(binding);
}

// The 2 s probe timeouts run on fake time.
beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => {
  vi.useRealTimers();
  MockBinding.reset();
});

describe('serial auto-detection', () => {
  it('orders USB bridges before on-board ports and ignores other devices', () => {
    expect(
      candidatePorts([
        { path: '/dev/ttyS0', manufacturer: undefined, serialNumber: undefined, pnpId: undefined, locationId: undefined, productId: undefined, vendorId: undefined },
        { path: '/dev/ttyUSB0', manufacturer: 'wch.cn', serialNumber: undefined, pnpId: undefined, locationId: undefined, productId: '7523', vendorId: '1a86' },
        { path: '/dev/random', manufacturer: undefined, serialNumber: undefined, pnpId: undefined, locationId: undefined, productId: undefined, vendorId: undefined },
      ]),
    ).toEqual(['/dev/ttyUSB0', '/dev/ttyS0']);
  });

  it('finds the port whose device answers the SAM status request with 90', async () => {
    MockBinding.createPort('/dev/ttyUSB0', { echo: true, record: false });
    MockBinding.createPort('/dev/ttyUSB1', { echo: false, record: false });
    MockBinding.createPort('/dev/ttyUSB2', { echo: false, record: false });
    const found = await settleWithFakeTime(detectSamPort(115_200, bindingWithReaderOn('/dev/ttyUSB2'), silentLogger(), signal));
    expect(found).toEqual({ ok: true, value: '/dev/ttyUSB2' });
  });

  it('says which ports it tried when none answers, and the auto transport opens the one that does', async () => {
    MockBinding.createPort('/dev/ttyUSB0', { echo: false, record: false });
    const none = await settleWithFakeTime(detectSamPort(115_200, bindingWithReaderOn('/dev/ttyUSB9'), silentLogger(), signal));
    expect(none).toEqual({ ok: false, error: { code: 'notFound', message: 'no serial port answered 11 FF with 90 within 2000 ms (tried: /dev/ttyUSB0)' } });
    MockBinding.createPort('/dev/ttyACM0', { echo: false, record: false });
    const transport = new AutoSerialTransport(115_200, silentLogger(), bindingWithReaderOn('/dev/ttyACM0'));
    expect((await settleWithFakeTime(transport.open(signal))).ok).toBe(true);
    expect(transport.label).toBe('serial /dev/ttyACM0 115200 (detected)');
    await transport.close();
  });
});
