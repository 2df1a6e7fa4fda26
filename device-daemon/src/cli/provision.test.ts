import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { findProjectRoot } from '../paths';
import { verifyPin } from '../server/pin-hash';
import { provisionCommand, type ProvisionOptions } from './provision-command';

const ROOT = findProjectRoot(import.meta.dirname);
const work = mkdtempSync(join(tmpdir(), 'kiosk-provision-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const OPS_TOKEN = 'fleet-ops-token-0123456789abcdef-XYZ';
const PIN = '470215';

const ANSWERS = {
  terminalId: 'HZ-XH-0042',
  site: '西湖区转塘街道便民服务中心',
  region: '330106001',
  hotline: '0571-12345',
  dataDir: '/var/lib/kiosk',
  devices: {
    idCardReader: { profile: 'routon-idr200-usb' },
    receiptPrinter: { profile: 'pos80-winbond' },
    faceCamera: { profile: 'uvc-face-camera', device: '/dev/v4l/by-id/usb-Camera_Face-video-index0' },
    documentCamera: { profile: 'uvc-document-camera', device: '/dev/v4l/by-id/usb-Camera_Doc-video-index0' },
    scanner: 'none',
    a4Printer: { profile: 'cups-a4', queue: 'HP_A4' },
  },
  backends: {
    platform: { url: 'https://zwfw.example.gov.cn/kiosk', appId: 'kiosk-hz-xh', secret: 'platform-shared-secret-0042' },
    payments: { url: 'https://pay.example.cn/v1', merchantId: 'merchant-hz-0042', secret: 'gateway-shared-secret-0042' },
  },
  ops: { host: '0.0.0.0' },
  opsToken: OPS_TOKEN,
  technicianPin: PIN,
};

const sink = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });

function options(overrides: Partial<ProvisionOptions>): ProvisionOptions {
  return { projectRoot: ROOT, answersFile: undefined, out: undefined, force: false, catalogue: undefined, input: new PassThrough(), output: sink(), detect: async () => [], ...overrides };
}

async function provision(answers: unknown, name: string, extra: Partial<ProvisionOptions> = {}): Promise<{ code: number; text: string; out: string }> {
  const answersFile = join(work, `${name}-answers.json`);
  writeFileSync(answersFile, JSON.stringify(answers));
  const out = join(work, `${name}-site.json`);
  const lines: string[] = [];
  const code = await provisionCommand(options({ answersFile, out, ...extra }), (line) => lines.push(line));
  return { code, text: lines.join('\n'), out };
}

describe('kioskctl provision --answers', () => {
  it('writes a 0600 site file the daemon loads, with the secrets only as the daemon checks them', async () => {
    const { code, text, out } = await provision(ANSWERS, 'valid');
    expect(code, text).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const raw = readFileSync(out, 'utf8');
    expect(raw).not.toContain(OPS_TOKEN);
    expect(raw).not.toContain(PIN);
    const loaded = loadConfig({ defaultPath: join(ROOT, 'config', 'default.json'), overridePath: out, env: {} });
    if (!loaded.ok) throw new Error(loaded.error);
    const config = loaded.value;
    expect(config.terminal).toEqual({ id: 'HZ-XH-0042', site: '西湖区转塘街道便民服务中心', region: '330106001', hotline: '0571-12345' });
    expect(config.data.dir).toBe('/var/lib/kiosk');
    expect(config.ops).toMatchObject({ host: '0.0.0.0', tokenSha256: createHash('sha256').update(OPS_TOKEN).digest('hex') });
    expect(config.ops.token).toBeUndefined();
    expect(config.technician.pinSha256).toBeUndefined();
    expect(await verifyPin(PIN, config.technician)).toBe(true);
    expect(await verifyPin('470216', config.technician)).toBe(false);
    expect(Buffer.from(config.outbox.key, 'base64')).toHaveLength(32);
    expect(config.outbox.key).not.toBe('ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItdGVybWluYWw=');
    expect(config.backends.platform.url).toBe('https://zwfw.example.gov.cn/kiosk');
    const devices = config.devices;
    expect(Object.keys(devices).sort()).toEqual(['a4Printer', 'documentCamera', 'faceCamera', 'idCardReader', 'receiptPrinter']);
    expect(Object.values(devices).every((d) => !d.simulated)).toBe(true);
    const reader = devices.idCardReader;
    expect(reader?.driver === 'sam' && [reader.transport, reader.fingerprint, reader.photoDecoder, reader.simulator.cards]).toEqual([{ kind: 'usb', vendorId: 0x0400, productId: 0xc35a }, false, { kind: 'none' }, []]);
    expect(devices.faceCamera?.driver === 'uvc' && devices.faceCamera.device).toBe('/dev/v4l/by-id/usb-Camera_Face-video-index0');
    expect(devices.a4Printer?.driver === 'cups' && devices.a4Printer.queue).toBe('HP_A4');
    // KIOSK_OPS_TOKEN still overrides the stored hash.
    const withEnv = loadConfig({ defaultPath: join(ROOT, 'config', 'default.json'), overridePath: out, env: { KIOSK_OPS_TOKEN: 'another-token-from-the-environment' } });
    expect(withEnv.ok && withEnv.value.ops.token).toBe('another-token-from-the-environment');
  });

  it('generates the ops token when none is given and shows it once; the file keeps its sha256', async () => {
    const { opsToken: _given, ...answers } = ANSWERS;
    const { code, text, out } = await provision(answers, 'generated');
    expect(code, text).toBe(0);
    const token = /ops token \(shown once; the file keeps only its sha256\): (\S+)/.exec(text)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const site: unknown = JSON.parse(readFileSync(out, 'utf8'));
    expect(site).toMatchObject({ ops: { tokenSha256: createHash('sha256').update(token ?? '').digest('hex') } });
    expect(readFileSync(out, 'utf8')).not.toContain(token ?? '');
  });

  it.each([
    ['a bad terminal id', { terminalId: 'HZ XH/0042' }, /terminalId: terminal id: 1 to 64 letters/],
    ['a bad URL', { backends: { ...ANSWERS.backends, platform: { ...ANSWERS.backends.platform, url: 'zwfw.example.gov.cn' } } }, /backends\.platform\.url: an http:\/\/ or https:\/\/ URL/],
    ['a URL of another scheme', { backends: { ...ANSWERS.backends, payments: { ...ANSWERS.backends.payments, url: 'ftp://pay.example.cn' } } }, /backends\.payments\.url: /],
    ['a short PIN', { technicianPin: '4702' }, /technicianPin: the PIN is too short: at least 6 digits/],
    ['a guessable PIN', { technicianPin: '123456' }, /technicianPin: the PIN is a run or one repeated digit/],
    ['an unknown region', { region: '110101' }, /region: no township service list for 110101 \(known: 330106, 330106001/],
    ['a profile missing what it needs', { devices: { ...ANSWERS.devices, faceCamera: { profile: 'uvc-face-camera' } } }, /devices\.faceCamera: profile uvc-face-camera needs device/],
    ['an unknown profile', { devices: { ...ANSWERS.devices, receiptPrinter: { profile: 'no-such-printer' } } }, /devices\.receiptPrinter: unknown profile "no-such-printer"/],
    ['a device left unanswered', { devices: { ...ANSWERS.devices, scanner: undefined } }, /devices\.scanner: say which profile, "simulated" or "none"/],
    ['a bad outbox key', { outboxKey: Buffer.alloc(16).toString('base64') }, /outboxKey: the outbox key must be 32 bytes/],
    ['an answer the schema does not know', { colour: 'red' }, /unknown key "colour"/],
  ])('refuses %s with a clear error and writes nothing', async (_what, change, message) => {
    const { code, text, out } = await provision({ ...ANSWERS, ...change }, `invalid-${Math.random().toString(36).slice(2)}`);
    expect(code).toBe(1);
    expect(text).toMatch(message);
    expect(text).toMatch(/nothing was written$/);
    expect(existsSync(out)).toBe(false);
  });

  it('a device configuration the daemon would refuse is caught before writing (the real schema runs)', async () => {
    const { code, text, out } = await provision({ ...ANSWERS, devices: { ...ANSWERS.devices, receiptPrinter: { profile: 'pos80-winbond', transport: { kind: 'tcp', host: 'printer.local' } } } }, 'schema');
    expect(code).toBe(1);
    expect(text).toMatch(/devices\.receiptPrinter\.transport\.port: /);
    expect(existsSync(out)).toBe(false);
  });

  it('does not overwrite an existing site file without --force', async () => {
    const out = join(work, 'existing.json');
    writeFileSync(out, '{"keep": true}\n');
    const lines: string[] = [];
    const answersFile = join(work, 'existing-answers.json');
    writeFileSync(answersFile, JSON.stringify(ANSWERS));
    expect(await provisionCommand(options({ answersFile, out }), (l) => lines.push(l))).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('{"keep": true}\n');
    expect(await provisionCommand(options({ answersFile, out, force: true }), (l) => lines.push(l))).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});

describe('kioskctl provision, interactive', () => {
  it('asks each question, offers the plugged-in reader as the default, hides secrets, and writes the same file', async () => {
    const input = new PassThrough();
    let screen = '';
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        screen += chunk.toString('utf8');
        done();
      },
    });
    const answers = [
      'HZ-XH-0043',
      '转塘街道便民服务中心',
      '330106001',
      '',
      'pos80-winbond',
      '', // idCardReader: the detected reader's profile
      'uvc-face-camera',
      '/dev/video2',
      'simulated',
      'none',
      'cups-a4',
      'https://zwfw.example.gov.cn/kiosk',
      'kiosk-hz-xh',
      'platform-shared-secret-0043',
      'https://pay.example.cn/v1',
      'merchant-hz-0043',
      'gateway-shared-secret-0043',
      '',
      '580316',
      '580316',
    ];
    input.end(answers.join('\n') + '\n');
    const out = join(work, 'interactive-site.json');
    const lines: string[] = [];
    const detect = async () => [{ source: 'usb' as const, id: '1-1', vendorId: 0x0400, productId: 0xc35a, manufacturer: 'Routon', product: 'USBIDR', deviceClass: 0, interfaceClasses: [0xff] }];
    const code = await provisionCommand(options({ out, input, output, detect }), (l) => lines.push(l));
    expect(code, lines.join('\n') + screen).toBe(0);
    expect(screen).toContain('profile for idCardReader [routon-idr200-usb]');
    expect(screen).not.toContain('580316');
    expect(screen).not.toContain('platform-shared-secret-0043');
    const loaded = loadConfig({ defaultPath: join(ROOT, 'config', 'default.json'), overridePath: out, env: {} });
    if (!loaded.ok) throw new Error(loaded.error);
    expect(loaded.value.terminal.id).toBe('HZ-XH-0043');
    expect(loaded.value.devices.idCardReader).toMatchObject({ simulated: false, transport: { kind: 'usb', vendorId: 0x0400 } });
    expect(loaded.value.devices.documentCamera?.simulated).toBe(true);
    expect(loaded.value.devices.scanner).toBeUndefined();
    expect(await verifyPin('580316', loaded.value.technician)).toBe(true);
    expect(lines.join('\n')).toMatch(/ops token \(shown once/);
  });

  it('stops, writing nothing, when the input ends early', async () => {
    const input = new PassThrough();
    input.end('HZ-XH-0044\n');
    const out = join(work, 'early-end.json');
    const lines: string[] = [];
    expect(await provisionCommand(options({ out, input }), (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(/the input ended before every question was answered/);
    expect(existsSync(out)).toBe(false);
  });
});
