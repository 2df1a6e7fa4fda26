// Choosing the interface and bulk endpoints of a USB device from its descriptor. Endpoint numbers
// differ between printers and readers of the same kind, so they are read, not hard-coded.
import { err, ok, type Result } from '../core/result';
import { transportError, type TransportError } from './transport';

export interface EndpointDescriptor {
  readonly endpointNumber: number;
  readonly direction: 'in' | 'out';
  readonly type: 'bulk' | 'interrupt' | 'isochronous';
  readonly packetSize: number;
}

export interface InterfaceDescriptor {
  readonly interfaceNumber: number;
  readonly alternate: {
    readonly interfaceClass: number;
    readonly endpoints: readonly EndpointDescriptor[];
  };
}

export interface EndpointChoice {
  readonly interfaceNumber: number;
  readonly interfaceClass: number;
  readonly inEndpoint: EndpointDescriptor | undefined;
  readonly outEndpoint: EndpointDescriptor;
}

export interface EndpointPreferences {
  readonly interfaceNumber?: number | undefined;
  /** Endpoint numbers without the direction bit (0x81 is IN endpoint 1). */
  readonly inEndpoint?: number | undefined;
  readonly outEndpoint?: number | undefined;
  /** Interface classes to prefer, in order (7 = printer, 0xff = vendor). */
  readonly preferClasses?: readonly number[] | undefined;
}

/** Accepts 0x81-style addresses and bare numbers alike. */
export function endpointNumber(address: number): number {
  return address & 0x0f;
}

export function selectBulkEndpoints(
  interfaces: readonly InterfaceDescriptor[],
  preferences: EndpointPreferences = {},
): Result<EndpointChoice, TransportError> {
  const candidates = interfaces
    .filter((i) => preferences.interfaceNumber === undefined || i.interfaceNumber === preferences.interfaceNumber)
    .map((i) => {
      const bulk = i.alternate.endpoints.filter((e) => e.type === 'bulk');
      const outEndpoint = bulk.find(
        (e) => e.direction === 'out' && (preferences.outEndpoint === undefined || e.endpointNumber === endpointNumber(preferences.outEndpoint)),
      );
      const inEndpoint = bulk.find(
        (e) => e.direction === 'in' && (preferences.inEndpoint === undefined || e.endpointNumber === endpointNumber(preferences.inEndpoint)),
      );
      return { i, outEndpoint, inEndpoint };
    })
    .filter((c) => c.outEndpoint !== undefined);
  if (candidates.length === 0) {
    return err(transportError('invalidConfig', 'no interface with a bulk OUT endpoint matches the device profile'));
  }
  const order = preferences.preferClasses ?? [];
  const rank = (cls: number): number => {
    const index = order.indexOf(cls);
    return index < 0 ? order.length : index;
  };
  // Prefer the preferred class, then bidirectional interfaces (status replies need the IN endpoint).
  candidates.sort(
    (a, b) =>
      rank(a.i.alternate.interfaceClass) - rank(b.i.alternate.interfaceClass) ||
      Number(b.inEndpoint !== undefined) - Number(a.inEndpoint !== undefined),
  );
  const best = candidates[0];
  if (!best?.outEndpoint) return err(transportError('invalidConfig', 'no bulk OUT endpoint'));
  return ok({
    interfaceNumber: best.i.interfaceNumber,
    interfaceClass: best.i.alternate.interfaceClass,
    inEndpoint: best.inEndpoint,
    outEndpoint: best.outEndpoint,
  });
}
