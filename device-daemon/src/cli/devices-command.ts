// kioskctl devices [--json]: what is plugged in (USB from sysfs, HID from node-hid, serial ports),
// which device profile fits each, and whether every configured device is there. Exit 3 when a
// configured device is missing, 1 when the configuration or the profiles cannot be read.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config';
import { checkConfiguredDevices, type Presence } from '../devices/discovery/configured-devices';
import { loadDeviceProfiles, profilesFor } from '../devices/discovery/device-profiles';
import { hex4, nodeHidSource, serialPortSource, sysfsUsbSource, type DeviceSource, type FoundDevice } from '../devices/discovery/usb-sources';

export interface DevicesCommandOptions {
  readonly projectRoot: string;
  readonly env: NodeJS.ProcessEnv;
  readonly json: boolean;
  readonly sources?: { readonly usb: DeviceSource; readonly hid: DeviceSource; readonly serial: DeviceSource };
  readonly exists?: (path: string) => boolean;
}

const SOURCE_TITLES = { usb: 'USB devices (sysfs)', hid: 'HID devices (node-hid)', serial: 'Serial ports' } as const;

export async function devicesCommand(options: DevicesCommandOptions, out: (line: string) => void): Promise<number> {
  const config = loadConfig({ defaultPath: join(options.projectRoot, 'config', 'default.json'), overridePath: options.env.KIOSK_CONFIG, env: options.env });
  if (!config.ok) {
    out(`kioskctl devices: ${config.error}`);
    return 1;
  }
  const profiles = loadDeviceProfiles(join(options.projectRoot, 'config', 'device-profiles.json'));
  if (!profiles.ok) {
    out(`kioskctl devices: ${profiles.error}`);
    return 1;
  }
  const sources = options.sources ?? { usb: sysfsUsbSource(), hid: nodeHidSource(), serial: serialPortSource() };
  const found: FoundDevice[] = [];
  const problems: Partial<Record<keyof typeof SOURCE_TITLES, string>> = {};
  for (const key of ['usb', 'hid', 'serial'] as const) {
    const listed = await sources[key]();
    if (listed.ok) found.push(...listed.value);
    else problems[key] = listed.error;
  }
  const presence = checkConfiguredDevices(config.value, found, profiles.value, options.exists ?? existsSync);
  if (options.json) {
    out(
      JSON.stringify(
        {
          found: found.map((d) => ({ ...d, vendorId: hex4(d.vendorId), productId: hex4(d.productId), profiles: profilesFor(profiles.value, d).map((p) => ({ id: p.id, kind: p.kind, certainty: p.certainty })) })),
          sourceErrors: problems,
          configured: presence.map((p) => ({ ...p, matches: p.matches.map((m) => `${m.source} ${m.id}`) })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const key of ['usb', 'hid', 'serial'] as const) {
      const mine = found.filter((d) => d.source === key);
      out(`${SOURCE_TITLES[key]}: ${problems[key] ? `not listed (${problems[key]})` : mine.length}`);
      for (const d of mine) {
        const fits = profilesFor(profiles.value, d);
        const name = [d.manufacturer, d.product].filter(Boolean).join(' ') || '(no name)';
        out(`  ${d.id.padEnd(14)} ${hex4(d.vendorId)}:${hex4(d.productId)}  ${name.padEnd(32)}  ${fits.length > 0 ? `fits ${fits.map((p) => `${p.id} (${p.kind}, ${p.certainty})`).join(', ')}` : 'no known profile'}`);
      }
    }
    out('');
    out('Configured devices:');
    const width = Math.max(6, ...presence.map((p) => p.name.length));
    for (const p of presence) out(`  ${p.name.padEnd(width)}  ${stateWord(p)}  ${p.wanted}: ${p.detail}${p.profile ? ` (profile ${p.profile})` : ''}`);
  }
  return presence.some((p) => p.state === 'missing') ? 3 : 0;
}

function stateWord(p: Presence): string {
  return { found: 'found    ', missing: 'MISSING  ', simulated: 'simulated', notOnBus: 'not USB  ' }[p.state];
}
