import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../paths';
import { loadConfig, mergeConfig } from './load-config';

const root = findProjectRoot(import.meta.dirname);
const defaultPath = join(root, 'config', 'default.json');

function siteFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-config-'));
  const path = join(dir, 'site.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loadConfig', () => {
  it('accepts the shipped default configuration with every device simulated', () => {
    const loaded = loadConfig({ defaultPath, env: {} });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.value.ui).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(loaded.value.ops.port).toBe(9464);
    expect(loaded.value.data.dir).toBe('./.kiosk-data');
    expect(Object.values(loaded.value.devices).every((d) => d.simulated)).toBe(true);
  });

  it('applies the site file, then the KIOSK_* environment', () => {
    const overridePath = siteFile({ terminal: { id: 'gz-0042' }, ui: { port: 18080 } });
    const loaded = loadConfig({ defaultPath, overridePath, env: { KIOSK_PORT: '28080', KIOSK_OPS_PORT: '0', KIOSK_DATA_DIR: '/var/lib/kiosk', KIOSK_OPS_TOKEN: 'a-long-enough-ops-token' } });
    expect(loaded.ok && loaded.value.terminal.id).toBe('gz-0042');
    expect(loaded.ok && loaded.value.terminal.site).toBe('开发环境 Development bench');
    expect(loaded.ok && [loaded.value.ui.port, loaded.value.ops.port, loaded.value.data.dir, loaded.value.ops.token]).toEqual([28080, 0, '/var/lib/kiosk', 'a-long-enough-ops-token']);
  });

  it('names the key at fault', () => {
    const cases: [unknown, RegExp][] = [
      [{ ui: { port: 70000 } }, /^ui\.port: /m],
      [{ ui: { prot: 1 } }, /^ui: unknown key "prot"/m],
      [{ ui: { host: '0.0.0.0' } }, /^ui\.host: the UI API listens on loopback only/m],
      [{ devices: { receiptPrinter: { transport: { kind: 'tcp', host: 'printer.local', port: 'x' } } } }, /^devices\.receiptPrinter\.transport\.port: /m],
      [{ devices: { receiptPrinter: { simulated: false } } }, /^devices\.receiptPrinter\.transport: the memory transport connects simulators only/m],
      [{ devices: { 'Bad-Name': { driver: 'escpos', simulated: true, transport: { kind: 'memory' } } } }, /^devices\.Bad-Name: device names are camelCase/m],
      [{ terminal: { region: 'somewhere' } }, /^terminal\.region: a 6-digit county or 9-digit township code/m],
    ];
    for (const [site, message] of cases) {
      const loaded = loadConfig({ defaultPath, overridePath: siteFile(site), env: {} });
      expect(loaded.ok ? 'valid' : loaded.error).toMatch(message);
    }
  });

  it('names a bad environment variable and an unreadable or malformed file', () => {
    const badEnv = loadConfig({ defaultPath, env: { KIOSK_PORT: 'eighty' } });
    expect(badEnv.ok ? 'valid' : badEnv.error).toBe('KIOSK_PORT: expected a port number 0-65535, got "eighty"');
    const malformed = loadConfig({ defaultPath, overridePath: siteFile('{ "ui": '), env: {} });
    expect(malformed.ok ? 'valid' : malformed.error).toMatch(/^KIOSK_CONFIG file .* is not valid JSON/);
    const missing = loadConfig({ defaultPath, overridePath: '/nonexistent/site.json', env: {} });
    expect(missing.ok ? 'valid' : missing.error).toMatch(/^KIOSK_CONFIG file \/nonexistent\/site.json cannot be read/);
  });

  it('switches a transport kind without keeping the old kind\'s keys', () => {
    const overridePath = siteFile({ devices: { receiptPrinter: { simulated: false, transport: { kind: 'usb', vendorId: '0x0416', productId: '5011' } } } });
    const loaded = loadConfig({ defaultPath, overridePath, env: {} });
    const printer = loaded.ok ? loaded.value.devices.receiptPrinter : undefined;
    expect(printer && 'transport' in printer ? printer.transport : undefined).toEqual({ kind: 'usb', vendorId: 0x0416, productId: 0x5011 });
  });
});

describe('mergeConfig', () => {
  it('merges objects, replaces arrays and scalars, and replaces an object whose kind changes', () => {
    expect(mergeConfig({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] } });
    expect(mergeConfig({ t: { kind: 'tcp', host: 'h', port: 1 } }, { t: { kind: 'memory' } })).toEqual({ t: { kind: 'memory' } });
    expect(mergeConfig({ t: { kind: 'tcp', host: 'h', port: 1 } }, { t: { port: 2 } })).toEqual({ t: { kind: 'tcp', host: 'h', port: 2 } });
    expect(mergeConfig({ devices: { a: { x: 1 }, b: { y: 2 } } }, { devices: { b: null } })).toEqual({ devices: { a: { x: 1 } } });
  });

  it('keeps a site file\'s "__proto__" as a key, refused by the schema, never as a prototype', () => {
    // Found by the fuzz run: assigning out["__proto__"] made the overlay the merged object's prototype.
    const site: unknown = JSON.parse('{"ui": {"__proto__": {"polluted": true}}, "__proto__": {"x": 1}}');
    const merged = mergeConfig({ ui: { port: 1 } }, JSON.parse(JSON.stringify(site)));
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(typeof merged === 'object' && merged !== null && Object.hasOwn(merged, '__proto__')).toBe(true);
    const loaded = loadConfig({ defaultPath, overridePath: siteFile('{"ui": {"__proto__": {"port": 1}}}'), env: {} });
    expect(loaded.ok ? 'valid' : loaded.error).toMatch(/^ui: unknown key "__proto__"/m);
  });
});
