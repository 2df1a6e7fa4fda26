// kioskctl's technician commands on a terminal: devices, provision, selftest, and kiosk (what npm
// run kiosk runs). Flags are parsed here; each command lives in its own module.
import { parseArgs } from 'node:util';
import { nodeHidSource, serialPortSource, sysfsUsbSource } from '../devices/discovery/usb-sources';
import { SELF_TEST_LEVELS, type SelfTestLevel } from '../protocol';
import { findProjectRoot } from '../paths';
import { devicesCommand } from './devices-command';
import { kioskBrowserCommand } from './kiosk-browser';
import { resolveOpsTarget } from './ops-client';
import { provisionCommand } from './provision-command';
import { selfTestCommand } from './selftest-command';

export const TECHNICIAN_USAGE = `  devices [--json]
      USB (sysfs), HID and serial devices with their vendor:product ids, the device profile
      (config/device-profiles.json) each fits, and whether every configured device is plugged in
      (exit 3: one is missing).
  provision (--answers FILE | interactive) --out FILE [--force] [--catalogue FILE]
      Makes this terminal's site configuration: terminal id, site, region (its township service
      list), a device profile per device, backend URLs and secrets, the ops token (stored as
      sha256), the technician PIN (scrypt) and a fresh outbox key. Checked by the daemon's own
      schema before anything is written; written with mode 0600. Exit 1: invalid answers.
  selftest [--device NAME] [--level internal|external|interactive] [--yes] [--json] [--remote URL] [--token T]
      The daemon's self-tests (UnifiedPOS CheckHealth levels): internal changes nothing physical;
      external prints a test slip, reads a card on the reader, grabs a frame, asks CUPS; interactive
      asks you to present a card, a face or a code (Enter when ready; --yes: no waiting). Results are
      stored and shown in /v1/status. Exit 3: a test failed.
  kiosk
      Chromium in kiosk mode on the running daemon's UI (needs $WAYLAND_DISPLAY or $DISPLAY);
      what npm run kiosk runs.`;

/** parseArgs, with a usage error reported instead of thrown. */
function parse<T>(command: string, out: (line: string) => void, run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    out(`kioskctl ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

const isLevel = (value: string): value is SelfTestLevel => (SELF_TEST_LEVELS as readonly string[]).includes(value);

export async function technicianCommand(command: 'devices' | 'provision' | 'selftest' | 'kiosk', rest: readonly string[], out: (line: string) => void): Promise<number> {
  const projectRoot = findProjectRoot(import.meta.dirname);
  switch (command) {
    case 'devices': {
      const parsed = parse(command, out, () => parseArgs({ args: [...rest], options: { json: { type: 'boolean', default: false } }, strict: true }));
      if (!parsed) return 2;
      return devicesCommand({ projectRoot, env: process.env, json: parsed.values.json ?? false }, out);
    }
    case 'provision': {
      const parsed = parse(command, out, () => parseArgs({ args: [...rest], options: { answers: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false }, catalogue: { type: 'string' } }, strict: true }));
      if (!parsed) return 2;
      return provisionCommand(
        {
          projectRoot,
          answersFile: parsed.values.answers,
          out: parsed.values.out,
          force: parsed.values.force ?? false,
          catalogue: parsed.values.catalogue,
          input: process.stdin,
          output: process.stdout,
          detect: async () => {
            const lists = await Promise.all([sysfsUsbSource()(), nodeHidSource()(), serialPortSource()()]);
            return lists.flatMap((l) => (l.ok ? l.value : []));
          },
        },
        out,
      );
    }
    case 'selftest': {
      const parsed = parse(command, out, () =>
        parseArgs({
          args: [...rest],
          options: { device: { type: 'string' }, level: { type: 'string', default: 'internal' }, yes: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, remote: { type: 'string' }, token: { type: 'string' }, timeout: { type: 'string' } },
          strict: true,
        }),
      );
      if (!parsed) return 2;
      const level = parsed.values.level ?? 'internal';
      if (!isLevel(level)) {
        out(`kioskctl selftest: --level is one of ${SELF_TEST_LEVELS.join(', ')}`);
        return 2;
      }
      const seconds = parsed.values.timeout === undefined ? (level === 'internal' ? 30 : 180) : Number(parsed.values.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
        out('kioskctl selftest: --timeout takes seconds (1 to 3600)');
        return 2;
      }
      const target = resolveOpsTarget({ url: parsed.values.remote, token: parsed.values.token }, process.env);
      return selfTestCommand({ target, level, device: parsed.values.device, yes: parsed.values.yes ?? false, json: parsed.values.json ?? false, input: process.stdin, timeoutMs: seconds * 1000 }, out);
    }
    case 'kiosk':
      if (rest.length > 0) {
        out('kioskctl kiosk: takes no arguments');
        return 2;
      }
      return kioskBrowserCommand({ projectRoot, env: process.env }, out);
  }
}
