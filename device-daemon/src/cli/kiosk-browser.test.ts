import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../config/load-config';
import { findProjectRoot } from '../paths';
import { DAEMON_ENV, DAEMON_NODE_FLAGS } from '../entry/node-flags';
import { displayOf, findChromium, kioskBrowserArgs, kioskBrowserCommand, KIOSK_FLAGS } from './kiosk-browser';

const ROOT = findProjectRoot(import.meta.dirname);
const work = mkdtempSync(join(tmpdir(), 'kiosk-browser-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `Key=value` lines of a unit's section (the last one wins for single-valued keys). */
function unitLines(file: string): string[] {
  return readFileSync(join(ROOT, 'scripts', 'systemd', file), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
}

describe('npm run kiosk', () => {
  it('refuses clearly without a display, and prefers Wayland', () => {
    expect(displayOf({})).toEqual({ ok: false, error: expect.stringContaining('neither $WAYLAND_DISPLAY nor $DISPLAY is set') });
    expect(displayOf({ DISPLAY: ':0' })).toEqual({ ok: true, value: { kind: 'x11', name: ':0' } });
    expect(displayOf({ DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' })).toEqual({ ok: true, value: { kind: 'wayland', name: 'wayland-0' } });
  });

  it('builds Chromium kiosk arguments: the flags, the platform, a private profile, the URL last', () => {
    const args = kioskBrowserArgs({ url: 'http://127.0.0.1:8080/', display: { kind: 'x11', name: ':0' }, userDataDir: '/var/lib/kiosk-ui/profile' });
    expect(args.slice(0, KIOSK_FLAGS.length)).toEqual([...KIOSK_FLAGS]);
    expect(args.slice(KIOSK_FLAGS.length)).toEqual(['--ozone-platform=x11', '--user-data-dir=/var/lib/kiosk-ui/profile', 'http://127.0.0.1:8080/']);
    for (const flag of ['--kiosk', '--no-first-run', '--disable-pinch', '--overscroll-history-navigation=0', '--noerrdialogs']) expect(args).toContain(flag);
    expect(args.some((a) => a.startsWith('--disable-features=') && a.includes('Translate'))).toBe(true);
  });

  it('finds Chromium through $CHROMIUM or the PATH', () => {
    expect(findChromium({ CHROMIUM: '/opt/chromium/chrome' })).toBe('/opt/chromium/chrome');
    expect(findChromium({ PATH: '/a:/b' }, (p) => p === '/b/chromium-browser')).toBe('/b/chromium-browser');
    expect(findChromium({ PATH: '/a' }, () => false)).toBeUndefined();
  });

  it('refuses without a display before touching anything, and when the daemon is not running', async () => {
    const lines: string[] = [];
    expect(await kioskBrowserCommand({ projectRoot: ROOT, env: {}, launch: async () => 0 }, (l) => lines.push(l))).toBe(2);
    expect(lines.at(-1)).toMatch(/^npm run kiosk: no display/);
    const env = { DISPLAY: ':0', KIOSK_DATA_DIR: join(work, 'not-started') };
    expect(await kioskBrowserCommand({ projectRoot: ROOT, env, launch: async () => 0 }, (l) => lines.push(l))).toBe(1);
    expect(lines.at(-1)).toMatch(/the daemon is not running \(no .*ui-token\); start it with npm start$/);
  });

  it('launches Chromium on the daemon\'s UI port with a fresh profile that is removed afterwards', async () => {
    const dataDir = join(work, 'running');
    const sitePath = join(work, 'site.json');
    writeFileSync(sitePath, JSON.stringify({ ui: { port: 18_080 } }));
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'ui-token'), 'token\n');
    const launched: { program: string; args: readonly string[]; profileExisted: boolean }[] = [];
    const probed: string[] = [];
    const code = await kioskBrowserCommand(
      {
        projectRoot: ROOT,
        env: { WAYLAND_DISPLAY: 'wayland-0', KIOSK_DATA_DIR: dataDir, KIOSK_CONFIG: sitePath, CHROMIUM: '/usr/bin/chromium' },
        probe: async (url) => (probed.push(url), true),
        launch: async (program, args) => {
          const profile = args.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length) ?? '';
          launched.push({ program, args, profileExisted: existsSync(profile) });
          return 0;
        },
      },
      () => undefined,
    );
    expect(code).toBe(0);
    expect(probed).toEqual(['http://127.0.0.1:18080/']);
    expect(launched).toHaveLength(1);
    expect(launched[0]?.program).toBe('/usr/bin/chromium');
    expect(launched[0]?.args.at(-1)).toBe('http://127.0.0.1:18080/');
    expect(launched[0]?.args).toContain('--ozone-platform=wayland');
    expect(launched[0]?.profileExisted).toBe(true);
    const profile = launched[0]?.args.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length) ?? '';
    expect(existsSync(profile)).toBe(false);
  });
});

describe('the terminal\'s units and the Chromium policy', () => {
  const defaults = loadConfig({ defaultPath: join(ROOT, 'config', 'default.json'), env: {} });
  if (!defaults.ok) throw new Error(defaults.error);
  const origin = `http://${defaults.value.ui.host}:${defaults.value.ui.port}`;

  it('kiosk-ui.service runs Chromium under cage with the same flags as npm run kiosk, on the daemon\'s origin', () => {
    const exec = unitLines('kiosk-ui.service').find((l) => l.startsWith('ExecStart='));
    const words = exec?.slice('ExecStart='.length).split(' ') ?? [];
    expect(words.slice(0, 4)).toEqual(['/usr/bin/cage', '-s', '--', '/usr/bin/chromium']);
    const chromiumArgs = words.slice(4);
    expect(chromiumArgs.slice(0, KIOSK_FLAGS.length)).toEqual([...KIOSK_FLAGS]);
    expect(chromiumArgs.at(-3)).toBe('--ozone-platform=wayland');
    expect(chromiumArgs.at(-1)).toBe(`${origin}/`);
  });

  it('kiosk-daemon.service is Type=notify with a watchdog, only its main process notifying, hardened, with device access by group', () => {
    const lines = unitLines('kiosk-daemon.service');
    for (const line of ['Type=notify', 'NotifyAccess=main', 'WatchdogSec=30s', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'SupplementaryGroups=kiosk-devices', 'User=kiosk', 'DevicePolicy=closed', 'RestartPreventExitStatus=78']) {
      expect(lines, line).toContain(line);
    }
    expect(lines).toContain('ReadWritePaths=/var/lib/kiosk');
    expect(lines.find((l) => l.startsWith('Environment=KIOSK_DATA_DIR='))).toBe('Environment=KIOSK_DATA_DIR=/var/lib/kiosk');
    // The daemon runs on the terminal with the V8 flags the tests and benchmarks start it with, and npm start too.
    expect(lines.find((l) => l.startsWith('ExecStart='))).toBe(`ExecStart=/usr/bin/node ${DAEMON_NODE_FLAGS.join(' ')} /opt/kiosk/device-daemon/dist/daemon.js`);
    const scripts = z.object({ scripts: z.object({ start: z.string() }) }).parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));
    expect(scripts.scripts.start).toContain(`node ${DAEMON_NODE_FLAGS.join(' ')} device-daemon/dist/daemon.js`);
    // And with the same environment (the malloc settings), in the unit and before node in npm start.
    for (const [name, value] of Object.entries(DAEMON_ENV)) {
      expect(lines).toContain(`Environment=${name}=${value}`);
      expect(scripts.scripts.start).toContain(`${name}=${value} node ${DAEMON_NODE_FLAGS.join(' ')}`);
    }
  });

  it('the managed policy blocks every URL but the daemon\'s origin and turns off downloads, dev tools and passwords', () => {
    const policy = z
      .object({
        URLBlocklist: z.array(z.string()),
        URLAllowlist: z.array(z.string()),
        DownloadRestrictions: z.number(),
        DeveloperToolsAvailability: z.number(),
        PasswordManagerEnabled: z.boolean(),
        IncognitoModeAvailability: z.number(),
        PrintingEnabled: z.boolean(),
      })
      .parse(JSON.parse(readFileSync(join(ROOT, 'scripts', 'chromium-policy', 'kiosk.json'), 'utf8')));
    expect(policy.URLBlocklist).toEqual(['*']);
    expect(policy.URLAllowlist).toEqual([origin, origin.replace(/^http/, 'ws')]);
    expect(policy).toMatchObject({ DownloadRestrictions: 3, DeveloperToolsAvailability: 2, PasswordManagerEnabled: false, IncognitoModeAvailability: 1, PrintingEnabled: false });
  });
});
