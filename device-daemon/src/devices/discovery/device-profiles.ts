// The device profiles of config/device-profiles.json: how a known reader, printer, camera or scanner
// shows on USB, HID or serial, and the device configuration it needs. Matching is by vendor and
// product id, or by USB interface class (printer 07, video 0e) for whole classes of devices.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatIssues } from '../../config/load-config';
import { err, ok, type Result } from '../../core/result';
import type { FoundDevice } from './usb-sources';

const hex = (digits: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${digits}}$`), `${digits} hex digits`)
    .transform((s) => Number.parseInt(s, 16));

export const PROFILE_KINDS = ['idCardReader', 'receiptPrinter', 'camera', 'scanner', 'documentPrinter'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

export const PROFILE_NEEDS = ['device', 'transport', 'hidFraming'] as const;

const matchSchema = z.strictObject({
  source: z.enum(['usb', 'hid', 'serial']),
  vendorId: hex(4).optional(),
  productId: hex(4).optional(),
  interfaceClass: hex(2).optional(),
});

export const deviceProfileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  kind: z.enum(PROFILE_KINDS),
  name: z.string().min(1).max(200),
  certainty: z.enum(['exact', 'possible']),
  match: z.array(matchSchema).max(32),
  /** A device configuration without `simulated`; the configuration schema checks it when provisioned. */
  config: z.record(z.string(), z.unknown()),
  /** What provisioning must add: the V4L2 device, the HID transport's ids, the vendor's HID framing. */
  needs: z.array(z.enum(PROFILE_NEEDS)).default([]),
  note: z.string().max(400).optional(),
});
export type DeviceProfile = z.infer<typeof deviceProfileSchema>;

export const deviceProfilesSchema = z
  .strictObject({ $comment: z.string().optional(), profiles: z.array(deviceProfileSchema).max(256) })
  .refine((p) => new Set(p.profiles.map((x) => x.id)).size === p.profiles.length, 'profile ids must be unique');

export function loadDeviceProfiles(path: string): Result<DeviceProfile[], string> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    return err(`device profiles ${path} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const parsed = deviceProfilesSchema.safeParse(json);
  return parsed.success ? ok(parsed.data.profiles) : err(`device profiles ${path}:\n${formatIssues(parsed.error.issues)}`);
}

/** The configuration's driver for each kind of device. */
export const KIND_OF_DRIVER: Record<string, ProfileKind> = { sam: 'idCardReader', escpos: 'receiptPrinter', uvc: 'camera', hidKeyboard: 'scanner', cups: 'documentPrinter' };

export function matchesDevice(profile: DeviceProfile, device: FoundDevice): boolean {
  return profile.match.some(
    (m) =>
      m.source === device.source &&
      (m.vendorId === undefined || m.vendorId === device.vendorId) &&
      (m.productId === undefined || m.productId === device.productId) &&
      (m.interfaceClass === undefined || device.interfaceClasses.includes(m.interfaceClass) || device.deviceClass === m.interfaceClass),
  );
}

/** Profiles that fit a device, exact ones first. */
export function profilesFor(profiles: readonly DeviceProfile[], device: FoundDevice): DeviceProfile[] {
  return profiles.filter((p) => matchesDevice(p, device)).sort((a, b) => (a.certainty === b.certainty ? 0 : a.certainty === 'exact' ? -1 : 1));
}
