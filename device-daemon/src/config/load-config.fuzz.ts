// Fuzz target of the configuration: random and mutated site overlays (as JSON text, cut or with
// bytes changed, wrong types, unknown and prototype-pollution keys, huge values, deep nesting)
// merged over config/default.json and validated; some through loadConfig with a site file and
// KIOSK_* variables. Every one gives a Result, never a throw; an intact overlay still validates.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProjectRoot } from '../paths';
import { expectThat, int, mutateJson, mutateJsonText, pick, randomJson, randomString, type FuzzTarget, type Random } from '../testing/fuzz-harness';
import { loadConfig, mergeConfig, parseConfig } from './load-config';

let defaultPath = '';
let defaultText = '';
let dir = '';
let sitePath = '';

const OVERLAYS: readonly unknown[] = [
  { terminal: { id: 'gz-0042' }, ui: { port: 18080 } },
  { devices: { documentCamera: null } },
  { devices: { receiptPrinter: { simulated: false, transport: { kind: 'tcp', host: '127.0.0.1', port: 9100 } } } },
  { devices: { scanner: { simulated: false, transport: { kind: 'hid', vendorId: '0x0c2e', productId: 'c35a' } } } },
  { log: { level: 'debug' }, ops: { token: 'a-long-enough-ops-token' } },
  {},
];

export interface ConfigInput {
  readonly text: string;
  /** An intact overlay, which must validate. */
  readonly intact: boolean;
  /** Through loadConfig with a file and these variables. */
  readonly env: Record<string, string> | undefined;
}

function generate(random: Random): ConfigInput {
  const r = random();
  let text: string;
  let intact = false;
  if (r < 0.1) {
    text = JSON.stringify(pick(random, OVERLAYS));
    intact = true;
  } else if (r < 0.5) text = JSON.stringify(mutateJson(random, pick(random, OVERLAYS))) ?? 'null';
  else if (r < 0.8) text = JSON.stringify(mutateJson(random, JSON.parse(defaultText))) ?? 'null';
  else if (r < 0.9) text = mutateJsonText(random, JSON.stringify(pick(random, OVERLAYS)));
  else text = JSON.stringify(randomJson(random, 5)) ?? 'null';
  const env =
    random() < 0.03
      ? Object.fromEntries(['KIOSK_PORT', 'KIOSK_OPS_PORT', 'KIOSK_DATA_DIR', 'KIOSK_OPS_TOKEN', 'KIOSK_LOG_LEVEL'].filter(() => random() < 0.4).map((k) => [k, random() < 0.5 ? String(int(random, 100_000)) : randomString(random, 20)]))
      : undefined;
  return { text, intact, env };
}

function check(input: ConfigInput): void {
  if (input.env) {
    writeFileSync(sitePath, input.text);
    const loaded = loadConfig({ defaultPath, overridePath: sitePath, env: input.env });
    expectThat(loaded.ok || (typeof loaded.error === 'string' && loaded.error.length > 0), 'loadConfig gave no Result');
    return;
  }
  // As loadConfig reads a site file: JSON, an object, merged over the defaults, validated.
  let site: unknown;
  try {
    site = JSON.parse(input.text);
  } catch {
    return;
  }
  if (typeof site !== 'object' || site === null || Array.isArray(site)) return;
  const merged = mergeConfig(JSON.parse(defaultText), JSON.parse(input.text));
  const parsed = parseConfig(merged, 'fuzz');
  expectThat(parsed.ok || parsed.error.startsWith('invalid configuration'), 'parseConfig gave no Result');
  if (input.intact) expectThat(parsed.ok, `an intact overlay did not validate: ${parsed.ok ? '' : parsed.error}`);
  expectThat(plainPrototypes(merged, 0), 'the merge gave an object a prototype of its own');
}

/** Every object in a merged value is a plain object or array (no "__proto__" turned into a prototype). */
function plainPrototypes(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null || depth > 50) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype) return false;
  return Object.values(value).every((v) => plainPrototypes(v, depth + 1));
}

export const loadConfigTarget: FuzzTarget<ConfigInput> = {
  name: 'config',
  setup() {
    defaultPath = join(findProjectRoot(import.meta.dirname), 'config', 'default.json');
    defaultText = readFileSync(defaultPath, 'utf8');
    dir = mkdtempSync(join(tmpdir(), 'kiosk-fuzz-config-'));
    sitePath = join(dir, 'site.json');
  },
  teardown() {
    rmSync(dir, { recursive: true, force: true });
  },
  generate,
  check,
  show: (input) => JSON.stringify(input),
};
