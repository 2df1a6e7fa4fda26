// What is plugged in, from three sources a technician's tool can read without opening a device:
// the USB devices in sysfs (ids, class codes, strings), the HID devices node-hid sees, and the
// serial ports @serialport/bindings-cpp lists. Each source is a function, so tests give fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { err, ok, type Result } from '../../core/result';

export type FoundSource = 'usb' | 'hid' | 'serial';

export interface FoundDevice {
  readonly source: FoundSource;
  /** sysfs name (1-1.2), hidraw path, or serial port path. */
  readonly id: string;
  readonly vendorId: number | undefined;
  readonly productId: number | undefined;
  readonly manufacturer: string | undefined;
  readonly product: string | undefined;
  /** USB: bDeviceClass and every interface's bInterfaceClass; empty elsewhere. */
  readonly deviceClass: number | undefined;
  readonly interfaceClasses: readonly number[];
}

export type DeviceSource = () => Promise<Result<FoundDevice[], string>>;

const hexId = (text: string | undefined): number | undefined => (text !== undefined && /^[0-9a-fA-F]{1,4}$/.test(text.trim()) ? Number.parseInt(text.trim(), 16) : undefined);
/** sysfs strings come from the device: bounded and stripped of control characters. */
const clean = (text: string | undefined): string | undefined => (text === undefined ? undefined : text.replace(/[\x00-\x1f\x7f]/g, '').trim().slice(0, 64) || undefined);

function readAttribute(dir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dir, name), 'utf8').slice(0, 256);
  } catch {
    return undefined;
  }
}

/** /sys/bus/usb/devices: devices (1-1, 1-1.2) with their interfaces (1-1:1.0); hubs are left out. */
export function sysfsUsbSource(root = '/sys/bus/usb/devices'): DeviceSource {
  return async () => {
    let entries: string[];
    try {
      entries = readdirSync(root);
    } catch (cause) {
      const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
      return code === 'ENOENT' ? err(`${root} does not exist: no USB bus is visible here (a container or a VM without USB)`) : err(`${root} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    const devices: FoundDevice[] = [];
    for (const name of entries.sort()) {
      if (name.includes(':')) continue;
      const dir = join(root, name);
      const vendorId = hexId(readAttribute(dir, 'idVendor'));
      if (vendorId === undefined) continue;
      const deviceClass = hexId(readAttribute(dir, 'bDeviceClass'));
      if (deviceClass === 0x09) continue;
      const interfaceClasses = entries
        .filter((e) => e.startsWith(`${name}:`))
        .sort()
        .flatMap((e) => {
          const c = hexId(readAttribute(join(root, e), 'bInterfaceClass'));
          return c === undefined ? [] : [c];
        });
      devices.push({
        source: 'usb',
        id: name,
        vendorId,
        productId: hexId(readAttribute(dir, 'idProduct')),
        manufacturer: clean(readAttribute(dir, 'manufacturer')),
        product: clean(readAttribute(dir, 'product')),
        deviceClass,
        interfaceClasses,
      });
    }
    return ok(devices);
  };
}

const hidDeviceSchema = z.object({
  vendorId: z.int().min(0).max(0xffff),
  productId: z.int().min(0).max(0xffff),
  path: z.string().max(256).optional(),
  manufacturer: z.string().optional(),
  product: z.string().optional(),
  usagePage: z.int().optional(),
  usage: z.int().optional(),
});

/** node-hid's enumeration (hidraw on Linux); loaded only when asked for. */
export function nodeHidSource(list: () => Promise<unknown> = async () => (await import('node-hid')).devicesAsync()): DeviceSource {
  return async () => {
    let listed: unknown;
    try {
      listed = await list();
    } catch (cause) {
      return err(`node-hid could not list HID devices: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    const parsed = z.array(hidDeviceSchema).max(1024).safeParse(listed);
    if (!parsed.success) return err('node-hid answered something that is not a device list');
    return ok(
      parsed.data.map((d, i) => ({
        source: 'hid' as const,
        id: d.path ?? `hid#${i}`,
        vendorId: d.vendorId,
        productId: d.productId,
        manufacturer: clean(d.manufacturer),
        product: clean(d.product),
        deviceClass: undefined,
        interfaceClasses: [],
      })),
    );
  };
}

const portInfoSchema = z.object({
  path: z.string().min(1).max(256),
  manufacturer: z.string().optional(),
  vendorId: z.string().optional(),
  productId: z.string().optional(),
  pnpId: z.string().optional(),
});

/** @serialport/bindings-cpp's list() (udev on Linux). */
export function serialPortSource(list: () => Promise<unknown> = async () => (await import('@serialport/bindings-cpp')).autoDetect().list()): DeviceSource {
  return async () => {
    let listed: unknown;
    try {
      listed = await list();
    } catch (cause) {
      return err(`serial ports could not be listed: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    const parsed = z.array(portInfoSchema).max(1024).safeParse(listed);
    if (!parsed.success) return err('the serial binding answered something that is not a port list');
    return ok(
      parsed.data.map((p) => ({
        source: 'serial' as const,
        id: p.path,
        vendorId: hexId(p.vendorId),
        productId: hexId(p.productId),
        manufacturer: clean(p.manufacturer),
        product: clean(p.pnpId),
        deviceClass: undefined,
        interfaceClasses: [],
      })),
    );
  };
}

export const hex4 = (n: number | undefined): string => (n === undefined ? '????' : n.toString(16).padStart(4, '0'));
