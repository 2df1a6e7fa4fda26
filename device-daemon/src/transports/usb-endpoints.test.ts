import { describe, expect, it } from 'vitest';
import { endpointNumber, selectBulkEndpoints, type InterfaceDescriptor } from './usb-endpoints';

const bulk = (endpointNumber: number, direction: 'in' | 'out', packetSize = 64) => ({ endpointNumber, direction, type: 'bulk' as const, packetSize });

// A Gprinter-style printer-class device (7/1/2): bulk IN 0x81, bulk OUT 0x02.
const printerClass: InterfaceDescriptor[] = [{ interfaceNumber: 0, alternate: { interfaceClass: 7, endpoints: [bulk(1, 'in'), bulk(2, 'out')] } }];

// An Epson-style composite: a vendor-class interface and an output-only printer-class interface.
const composite: InterfaceDescriptor[] = [
  { interfaceNumber: 0, alternate: { interfaceClass: 3, endpoints: [{ endpointNumber: 3, direction: 'in', type: 'interrupt', packetSize: 8 }] } },
  { interfaceNumber: 1, alternate: { interfaceClass: 7, endpoints: [bulk(1, 'out')] } },
  { interfaceNumber: 2, alternate: { interfaceClass: 0xff, endpoints: [bulk(4, 'in', 512), bulk(5, 'out', 512)] } },
];

describe('selectBulkEndpoints', () => {
  it('reads the endpoints of a printer-class interface from its descriptor', () => {
    const choice = selectBulkEndpoints(printerClass, { preferClasses: [7, 0xff] });
    expect(choice.ok && { i: choice.value.interfaceNumber, in: choice.value.inEndpoint?.endpointNumber, out: choice.value.outEndpoint.endpointNumber }).toEqual({ i: 0, in: 1, out: 2 });
  });

  it('prefers the class asked for, then a bidirectional interface', () => {
    const vendorFirst = selectBulkEndpoints(composite, { preferClasses: [0xff, 7] });
    expect(vendorFirst.ok && vendorFirst.value.interfaceNumber).toBe(2);
    const printerFirst = selectBulkEndpoints(composite, { preferClasses: [7, 0xff] });
    expect(printerFirst.ok && printerFirst.value.interfaceNumber).toBe(1);
    const noPreference = selectBulkEndpoints(composite, {});
    expect(noPreference.ok && noPreference.value.interfaceNumber).toBe(2);
  });

  it('honours configured endpoints given as addresses (0x81) or numbers', () => {
    expect(endpointNumber(0x85)).toBe(5);
    const chosen = selectBulkEndpoints(composite, { inEndpoint: 0x84, outEndpoint: 5 });
    expect(chosen.ok && [chosen.value.inEndpoint?.endpointNumber, chosen.value.outEndpoint.endpointNumber]).toEqual([4, 5]);
  });

  it('refuses a device with no bulk OUT endpoint', () => {
    const hidOnly: InterfaceDescriptor[] = [{ interfaceNumber: 0, alternate: { interfaceClass: 3, endpoints: [] } }];
    const result = selectBulkEndpoints(hidOnly, {});
    expect(result.ok ? 'chosen' : result.error.code).toBe('invalidConfig');
  });
});
