import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devicesCommand } from '../../cli/devices-command';
import { findProjectRoot } from '../../paths';
import { ok } from '../../core/result';
import { checkConfiguredDevices } from './configured-devices';
import { loadDeviceProfiles, profilesFor } from './device-profiles';
import { nodeHidSource, serialPortSource, sysfsUsbSource, type FoundDevice } from './usb-sources';
import { parseConfig } from '../../config/load-config';

const ROOT = findProjectRoot(import.meta.dirname);
const work = mkdtempSync(join(tmpdir(), 'kiosk-discovery-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A sysfs tree as the kernel lays it out: device folders with attributes, interface folders beside them. */
function sysfs(devices: Record<string, { attrs: Record<string, string>; interfaces?: Record<string, string> }>): string {
  const root = mkdtempSync(join(work, 'sys-'));
  for (const [name, { attrs, interfaces }] of Object.entries(devices)) {
    mkdirSync(join(root, name));
    for (const [key, value] of Object.entries(attrs)) writeFileSync(join(root, name, key), `${value}\n`);
    for (const [iface, cls] of Object.entries(interfaces ?? {})) {
      mkdirSync(join(root, `${name}:${iface}`));
      writeFileSync(join(root, `${name}:${iface}`, 'bInterfaceClass'), `${cls}\n`);
    }
  }
  return root;
}

const FIXTURE = {
  usb1: { attrs: { idVendor: '1d6b', idProduct: '0002', bDeviceClass: '09', product: 'xHCI Host Controller' } },
  '1-1': { attrs: { idVendor: '0400', idProduct: 'c35a', bDeviceClass: '00', manufacturer: 'Routon', product: 'USBIDR' }, interfaces: { '1.0': 'ff' } },
  '1-2': { attrs: { idVendor: '6868', idProduct: '0500', bDeviceClass: '00', manufacturer: 'Gprinter', product: 'Gprinter USB Printer\u0007' }, interfaces: { '1.0': '07' } },
  '1-3': { attrs: { idVendor: '0c45', idProduct: '6366', bDeviceClass: 'ef', product: 'USB 2.0 Camera' }, interfaces: { '1.0': '0e', '1.1': '0e', '1.2': '01' } },
  '1-4': { attrs: { idVendor: '1234', idProduct: '5678', bDeviceClass: '00', product: 'Mystery' }, interfaces: { '1.0': '08' } },
};

describe('enumeration sources', () => {
  it('reads USB devices from sysfs with ids, strings and interface classes, leaving hubs out', async () => {
    const listed = await sysfsUsbSource(sysfs(FIXTURE))();
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    expect(listed.value.map((d) => [d.id, d.vendorId, d.productId, d.interfaceClasses])).toEqual([
      ['1-1', 0x0400, 0xc35a, [0xff]],
      ['1-2', 0x6868, 0x0500, [0x07]],
      ['1-3', 0x0c45, 0x6366, [0x0e, 0x0e, 0x01]],
      ['1-4', 0x1234, 0x5678, [0x08]],
    ]);
    expect(listed.value[1]?.product).toBe('Gprinter USB Printer');
  });

  it('says so when there is no USB bus (as on this build machine: a container without /sys/bus/usb)', async () => {
    const listed = await sysfsUsbSource(join(work, 'no-such-sysfs'))();
    expect(listed).toEqual({ ok: false, error: expect.stringContaining('no USB bus is visible here') });
  });

  it('validates what node-hid and the serial binding answer', async () => {
    const hid = await nodeHidSource(async () => [{ vendorId: 0x0425, productId: 0x8159, path: '/dev/hidraw0', product: 'HIDIDR', release: 1, interface: 0 }])();
    expect(hid.ok && hid.value.map((d) => [d.source, d.id, d.vendorId])).toEqual([['hid', '/dev/hidraw0', 0x0425]]);
    expect((await nodeHidSource(async () => [{ vendorId: 'x' }])()).ok).toBe(false);
    expect((await nodeHidSource(async () => Promise.reject(new Error('libusb missing')))()).ok).toBe(false);
    const serial = await serialPortSource(async () => [{ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', manufacturer: 'QinHeng' }])();
    expect(serial.ok && serial.value.map((d) => [d.id, d.vendorId, d.productId])).toEqual([['/dev/ttyUSB0', 0x1a86, 0x7523]]);
    expect((await serialPortSource(async () => Promise.reject(new Error('spawn udevadm ENOENT')))()).ok).toBe(false);
  });
});

describe('device profiles', () => {
  const profiles = loadDeviceProfiles(join(ROOT, 'config', 'device-profiles.json'));
  if (!profiles.ok) throw new Error(profiles.error);
  const known = profiles.value;

  it('match by ids and by class, exact ones first', async () => {
    const listed = await sysfsUsbSource(sysfs(FIXTURE))();
    if (!listed.ok) throw new Error(listed.error);
    const fits = Object.fromEntries(listed.value.map((d) => [d.id, profilesFor(known, d).map((p) => p.id)]));
    expect(fits).toEqual({
      '1-1': ['routon-idr200-usb'],
      '1-2': ['gprinter-r222c', 'usb-printer-class-usblp'],
      '1-3': ['uvc-face-camera', 'uvc-document-camera'],
      '1-4': [],
    });
  });

  it('every profile makes a valid device configuration once its needs are given', () => {
    const needs = { device: '/dev/v4l/by-id/usb-camera-video-index0', transport: { kind: 'hid', vendorId: '0x0c2e', productId: '0x0b61' }, hidFraming: '/opt/vendor/framing.mjs' };
    for (const profile of known) {
      const device = { ...profile.config, simulated: false, ...Object.fromEntries(profile.needs.map((n) => [n, needs[n]])) };
      const config = parseConfig({ terminal: { id: 't', site: 's', region: '330106' }, ui: {}, ops: {}, data: { dir: '/var/lib/kiosk' }, log: {}, commands: {}, devices: { d: device } }, profile.id);
      expect(config.ok ? 'valid' : config.error, profile.id).toBe('valid');
    }
  });

  it('the udev rules give the kiosk group every USB id the profiles name', () => {
    const rules = readFileSync(join(ROOT, 'scripts', 'udev', '99-kiosk.rules'), 'utf8');
    const lines = rules.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    for (const line of lines) expect(line, line).toMatch(/^(ACTION|LABEL|SUBSYSTEM)=|GROUP="kiosk-devices"|LIBINPUT_IGNORE_DEVICE/);
    for (const profile of known) {
      for (const m of profile.match) {
        if (m.vendorId === undefined) continue;
        const vendor = m.vendorId.toString(16).padStart(4, '0');
        const product = m.productId?.toString(16).padStart(4, '0');
        const covered = lines.some((l) => new RegExp(`idVendor}=="[^"]*${vendor}`).test(l) && (product === undefined || l.includes(`idProduct}=="${product}"`)) && l.includes('kiosk-devices'));
        expect(covered, `${profile.id} ${vendor}:${product ?? '*'}`).toBe(true);
      }
    }
  });
});

describe('configured devices', () => {
  const profiles = loadDeviceProfiles(join(ROOT, 'config', 'device-profiles.json'));
  if (!profiles.ok) throw new Error(profiles.error);
  const site = {
    terminal: { id: 't', site: 's', region: '330106' },
    ui: {},
    ops: {},
    data: { dir: '/var/lib/kiosk' },
    log: {},
    commands: {},
    devices: {
      idCardReader: { driver: 'sam', simulated: false, transport: { kind: 'usb', vendorId: '0x0400', productId: '0xc35a' }, photoDecoder: { kind: 'none' } },
      receiptPrinter: { driver: 'escpos', simulated: false, transport: { kind: 'usb', vendorId: '0x0416', productId: '0x5011' } },
      faceCamera: { driver: 'uvc', simulated: false, role: 'face', device: '/dev/video0' },
      documentCamera: { driver: 'uvc', simulated: true, role: 'document' },
      backupReader: { driver: 'sam', simulated: false, transport: { kind: 'serial', path: 'auto' } },
      a4Printer: { driver: 'cups', simulated: false, queue: 'A4' },
    },
  };
  const config = parseConfig(site, 'test');
  if (!config.ok) throw new Error(config.error);
  const found: FoundDevice[] = [
    { source: 'usb', id: '1-1', vendorId: 0x0400, productId: 0xc35a, manufacturer: undefined, product: undefined, deviceClass: 0, interfaceClasses: [0xff] },
    { source: 'serial', id: '/dev/ttyUSB0', vendorId: 0x1a86, productId: 0x7523, manufacturer: undefined, product: undefined, deviceClass: undefined, interfaceClasses: [] },
  ];

  it('says which configured device is there, with the profile that fits, and which is missing', () => {
    const presence = checkConfiguredDevices(config.value, found, profiles.value, (path) => path === '/dev/video0');
    expect(Object.fromEntries(presence.map((p) => [p.name, [p.state, p.profile]]))).toEqual({
      idCardReader: ['found', 'routon-idr200-usb'],
      receiptPrinter: ['missing', undefined],
      faceCamera: ['found', undefined],
      documentCamera: ['simulated', undefined],
      backupReader: ['found', 'sam-usb-serial'],
      a4Printer: ['notOnBus', 'cups-a4'],
    });
    expect(presence.find((p) => p.name === 'receiptPrinter')?.detail).toBe('nothing with 0416:5011 is plugged in');
  });

  it('kioskctl devices prints it all and exits 3 for the missing printer', async () => {
    const sitePath = join(work, 'site.json');
    writeFileSync(sitePath, JSON.stringify({ terminal: site.terminal, devices: { ...site.devices, scanner: null } }));
    const lines: string[] = [];
    const code = await devicesCommand(
      {
        projectRoot: ROOT,
        env: { KIOSK_CONFIG: sitePath },
        json: false,
        sources: { usb: async () => ok(found.filter((d) => d.source === 'usb')), hid: async () => ok([]), serial: async () => ok(found.filter((d) => d.source === 'serial')) },
        exists: () => false,
      },
      (line) => lines.push(line),
    );
    const text = lines.join('\n');
    expect(code, text).toBe(3);
    expect(text).toMatch(/^USB devices \(sysfs\): 1$/m);
    expect(text).toMatch(/^ {2}1-1 +0400:c35a .* fits routon-idr200-usb \(idCardReader, exact\)$/m);
    expect(text).toMatch(/^ {2}receiptPrinter +MISSING +usb 0416:5011: nothing with 0416:5011 is plugged in$/m);
    expect(text).toMatch(/^ {2}faceCamera +MISSING +\/dev\/video0: /m);
  });
});
