// Is each configured device plugged in? A USB or HID transport is looked for by its ids, a serial
// port or device file by its path, a camera by its V4L2 node; "auto" serial readers by the chips
// SAM modules sit behind. Simulated devices, network printers and CUPS queues are not on the bus.
import type { KioskConfig } from '../../config/schema';
import { KIND_OF_DRIVER, profilesFor, type DeviceProfile } from './device-profiles';
import { hex4, type FoundDevice } from './usb-sources';

export type PresenceState = 'found' | 'missing' | 'simulated' | 'notOnBus';

export interface Presence {
  readonly name: string;
  readonly driver: string;
  /** What is looked for, e.g. "usb 0416:5011" or "/dev/video0". */
  readonly wanted: string;
  readonly state: PresenceState;
  /** The plugged-in devices that answer to it. */
  readonly matches: readonly FoundDevice[];
  /** The profile that fits the (first) match, if any. */
  readonly profile: string | undefined;
  readonly detail: string;
}

export function checkConfiguredDevices(config: KioskConfig, found: readonly FoundDevice[], profiles: readonly DeviceProfile[], exists: (path: string) => boolean): Presence[] {
  return Object.entries(config.devices).map(([name, device]): Presence => {
    const base = { name, driver: device.driver };
    const kind = KIND_OF_DRIVER[device.driver];
    const result = (wanted: string, matches: readonly FoundDevice[], detailMissing: string): Presence => {
      const profile = matches[0] ? profilesFor(profiles, matches[0]).find((p) => p.kind === kind)?.id : undefined;
      return { ...base, wanted, state: matches.length > 0 ? 'found' : 'missing', matches, profile, detail: matches.length > 0 ? `found ${matches.map((m) => `${m.source} ${m.id}`).join(', ')}` : detailMissing };
    };
    if (device.simulated) return { ...base, wanted: 'simulator', state: 'simulated', matches: [], profile: undefined, detail: 'not looked for' };
    if (device.driver === 'cups') return { ...base, wanted: `CUPS queue ${device.queue}`, state: 'notOnBus', matches: [], profile: 'cups-a4', detail: `a CUPS queue: check it with kioskctl selftest --device ${name} --level external` };
    if (device.driver === 'uvc') {
      const path = device.device ?? '/dev/video0';
      return { ...base, wanted: path, state: exists(path) ? 'found' : 'missing', matches: [], profile: undefined, detail: exists(path) ? `${path} exists` : `${path} does not exist: camera unplugged, or another V4L2 name` };
    }
    const transport = device.transport;
    switch (transport.kind) {
      case 'usb':
      case 'hid': {
        const wanted = `${transport.kind} ${hex4(transport.vendorId)}:${hex4(transport.productId)}`;
        const matches = found.filter((f) => (f.source === 'usb' || f.source === 'hid') && f.vendorId === transport.vendorId && f.productId === transport.productId && (transport.kind !== 'hid' || !transport.path || f.id === transport.path));
        return result(wanted, matches, `nothing with ${hex4(transport.vendorId)}:${hex4(transport.productId)} is plugged in`);
      }
      case 'serial': {
        if (transport.path === 'auto') {
          const candidates = found.filter((f) => f.source === 'serial' && profilesFor(profiles, f).some((p) => p.kind === kind));
          return result('serial auto (a SAM module behind a USB-serial chip)', candidates, 'no serial port of a chip SAM modules use (CH340, CP210x, PL2303, FTDI)');
        }
        const matches = found.filter((f) => f.source === 'serial' && f.id === transport.path);
        if (matches.length === 0 && exists(transport.path)) return { ...base, wanted: transport.path, state: 'found', matches: [], profile: undefined, detail: `${transport.path} exists` };
        return result(transport.path, matches, `${transport.path} does not exist`);
      }
      case 'deviceFile':
        return { ...base, wanted: transport.path, state: exists(transport.path) ? 'found' : 'missing', matches: [], profile: undefined, detail: exists(transport.path) ? `${transport.path} exists` : `${transport.path} does not exist: printer off or unplugged, or usblp not loaded` };
      case 'tcp':
        return { ...base, wanted: `tcp ${transport.host}:${transport.port}`, state: 'notOnBus', matches: [], profile: undefined, detail: `a network device: check it with kioskctl selftest --device ${name} --level external` };
      case 'memory':
        return { ...base, wanted: 'memory', state: 'missing', matches: [], profile: undefined, detail: 'the memory transport connects simulators only' };
    }
  });
}
