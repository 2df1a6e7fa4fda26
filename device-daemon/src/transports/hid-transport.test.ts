import { describe, expect, it } from 'vitest';
import { err } from '../core/result';
import { HidTransport, type HidLoader } from './hid-transport';
import { transportError } from './transport';

describe('HidTransport', () => {
  it('reports a missing node-hid (no libusb) as driverUnavailable instead of failing to load', async () => {
    const missing: HidLoader = async () => err(transportError('driverUnavailable', 'node-hid could not be loaded (is libusb-1.0-0 installed?)'));
    const transport = new HidTransport({ vendorId: 0x0c2e, productId: 0x0b61 }, missing);
    const result = await transport.open(new AbortController().signal);
    expect(result.ok ? 'open' : result.error.code).toBe('driverUnavailable');
    expect(transport.isOpen).toBe(false);
    expect(transport.label).toBe('hid 0c2e:0b61');
  });

  it('reports an absent device as notFound', async () => {
    const transport = new HidTransport({ vendorId: 0xfffe, productId: 0xfffe });
    const result = await transport.open(new AbortController().signal);
    expect(result.ok ? 'open' : result.error.code).toMatch(/notFound|driverUnavailable/);
  });
});
