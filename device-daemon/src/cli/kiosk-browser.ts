// npm run kiosk (kioskctl kiosk): Chromium in kiosk mode on the running daemon's UI, on a machine
// with a screen. The flags are the ones scripts/systemd/kiosk-ui.service gives Chromium under cage
// (a test keeps the two equal); the profile is a fresh temporary folder, removed on exit, so nothing
// of a session outlives the browser. The managed policy (scripts/chromium-policy) is system-wide.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { loadConfig } from '../config/load-config';
import { err, ok, type Result } from '../core/result';

/** Kiosk flags: full screen without chrome, no first-run or crash bubbles, no pinch or swipe-back, no translate prompts. */
export const KIOSK_FLAGS = [
  '--kiosk',
  '--no-first-run',
  '--no-default-browser-check',
  '--noerrdialogs',
  '--disable-session-crashed-bubble',
  '--disable-infobars',
  '--disable-pinch',
  '--overscroll-history-navigation=0',
  '--disable-features=Translate,TranslateUI',
  '--disable-component-update',
  '--disable-background-networking',
  '--check-for-update-interval=31536000',
  '--autoplay-policy=no-user-gesture-required',
  '--password-store=basic',
] as const;

export type Display = { readonly kind: 'wayland'; readonly name: string } | { readonly kind: 'x11'; readonly name: string };

/** Wayland first (cage, a Wayland session), then X11. */
export function displayOf(env: NodeJS.ProcessEnv): Result<Display, string> {
  if (env.WAYLAND_DISPLAY) return ok({ kind: 'wayland', name: env.WAYLAND_DISPLAY });
  if (env.DISPLAY) return ok({ kind: 'x11', name: env.DISPLAY });
  return err('no display: neither $WAYLAND_DISPLAY nor $DISPLAY is set. Run this in the kiosk screen\'s session; on a terminal the kiosk-ui systemd unit starts Chromium under cage');
}

export function kioskBrowserArgs(options: { readonly url: string; readonly display: Display; readonly userDataDir: string }): string[] {
  return [...KIOSK_FLAGS, `--ozone-platform=${options.display.kind}`, `--user-data-dir=${options.userDataDir}`, options.url];
}

/** $CHROMIUM, else chromium or chromium-browser on the PATH. */
export function findChromium(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = existsSync): string | undefined {
  if (env.CHROMIUM) return env.CHROMIUM;
  for (const name of ['chromium', 'chromium-browser']) {
    for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) if (exists(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export interface KioskBrowserOptions {
  readonly projectRoot: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs Chromium and resolves with its exit code. */
  readonly launch?: (program: string, args: readonly string[]) => Promise<number>;
  /** Is the UI answering? */
  readonly probe?: (url: string) => Promise<boolean>;
}

const defaultLaunch = (program: string, args: readonly string[]): Promise<number> =>
  new Promise((done) => {
    const child = spawn(program, [...args], { stdio: 'inherit' });
    child.once('error', () => done(1));
    child.once('exit', (code) => done(code ?? 1));
  });

const defaultProbe = async (url: string): Promise<boolean> => {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
};

export async function kioskBrowserCommand(options: KioskBrowserOptions, out: (line: string) => void): Promise<number> {
  const display = displayOf(options.env);
  if (!display.ok) {
    out(`npm run kiosk: ${display.error}`);
    return 2;
  }
  const config = loadConfig({ defaultPath: join(options.projectRoot, 'config', 'default.json'), overridePath: options.env.KIOSK_CONFIG, env: options.env });
  if (!config.ok) {
    out(`npm run kiosk: ${config.error}`);
    return 1;
  }
  const { ui, data } = config.value;
  const dataDir = isAbsolute(data.dir) ? data.dir : resolve(options.projectRoot, data.dir);
  // The daemon writes its per-boot UI token here when it starts; the page it serves carries the token.
  if (!existsSync(join(dataDir, 'ui-token'))) {
    out(`npm run kiosk: the daemon is not running (no ${join(dataDir, 'ui-token')}); start it with npm start`);
    return 1;
  }
  const host = ui.host === '::1' ? '[::1]' : ui.host;
  const url = `http://${host}:${ui.port}/`;
  if (!(await (options.probe ?? defaultProbe)(url))) {
    out(`npm run kiosk: nothing answers at ${url}; is the daemon running with this configuration?`);
    return 1;
  }
  const chromium = findChromium(options.env);
  if (!chromium) {
    out('npm run kiosk: no Chromium found (set $CHROMIUM, or apt-get install chromium)');
    return 1;
  }
  const profile = mkdtempSync(join(tmpdir(), 'kiosk-chromium-'));
  try {
    out(`npm run kiosk: ${chromium} on ${url} (${display.value.kind} ${display.value.name})`);
    return await (options.launch ?? defaultLaunch)(chromium, kioskBrowserArgs({ url, display: display.value, userDataDir: profile }));
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
