// kioskctl provision's answers (a JSON file, or what the prompts collected) and the site
// configuration made from them: the terminal, its region's service list, a device profile per
// device, the backends, and the secrets stored as the daemon checks them (the ops token as sha256,
// the PIN under scrypt, a fresh outbox key). The result is checked by the daemon's own schema,
// merged over config/default.json exactly as the daemon merges it, before anything is written.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { formatIssues, mergeConfig, parseConfig } from '../config/load-config';
import type { KioskConfig } from '../config/schema';
import { err, ok, type Result } from '../core/result';
import type { DeviceProfile } from '../devices/discovery/device-profiles';
import { hashPinScrypt } from '../server/pin-hash';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isJson(value: unknown): value is Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value === 'object') return Object.values(value).every(isJson);
  return false;
}

/** A PIN of one repeated digit or a run (123456, 987654) is the first a thief tries. */
function guessable(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - digits[i]!));
  return steps.size === 1 && [0, 1, -1].includes([...steps][0]!);
}

const deviceAnswerSchema = z.union([
  z.literal('none'),
  z.literal('simulated'),
  z.strictObject({
    profile: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a profile id from config/device-profiles.json'),
    /** The V4L2 device of a camera, e.g. /dev/v4l/by-id/usb-...-video-index0. */
    device: z.string().min(1).max(256).optional(),
    transport: z.record(z.string(), z.unknown()).optional(),
    hidFraming: z.string().min(1).max(256).optional(),
    queue: z.string().min(1).max(64).optional(),
    model: z.string().min(1).max(64).optional(),
    photoDecoder: z.record(z.string(), z.unknown()).optional(),
    fingerprint: z.boolean().optional(),
  }),
]);
export type DeviceAnswer = z.infer<typeof deviceAnswerSchema>;

const backendUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });
const secret = z.string().min(16, 'at least 16 characters').max(256);

export const provisionAnswersSchema = z.strictObject({
  terminalId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'terminal id: 1 to 64 letters, digits, dot, dash or underscore, starting with a letter or digit'),
  site: z.string().trim().min(1, 'the site name is empty').max(128),
  region: z.string().regex(/^\d{6}(\d{3})?$/, 'a 6-digit county or 9-digit township code'),
  hotline: z.string().regex(/^[0-9-]{3,20}$/, 'digits and dashes').optional(),
  /** The daemon's data directory on the terminal (SQLite, per-boot tokens). */
  dataDir: z.string().regex(/^\/[^\0]*$/, 'an absolute path').max(256).optional(),
  devices: z.record(z.string().regex(/^[a-z][A-Za-z0-9]{0,31}$/, 'device names are camelCase letters and digits'), deviceAnswerSchema),
  backends: z.strictObject({
    platform: z.strictObject({ url: backendUrl, appId: z.string().min(1).max(64), secret }),
    payments: z.strictObject({ url: backendUrl, merchantId: z.string().min(1).max(64), secret }),
  }),
  ops: z.strictObject({ host: z.string().min(1).max(64).optional(), port: z.int().min(1).max(65_535).optional() }).optional(),
  /** The ops listener's bearer token; absent: one is generated and shown once. Stored as its sha256. */
  opsToken: z.string().regex(/^[\x21-\x7e]{32,256}$/, 'at least 32 printable characters, no spaces').optional(),
  technicianPin: z
    .string()
    .regex(/^\d+$/, 'the PIN is digits only')
    .min(6, 'the PIN is too short: at least 6 digits')
    .max(12, 'the PIN is at most 12 digits')
    .refine((pin) => !guessable(pin), 'the PIN is a run or one repeated digit: choose another'),
  /** AES-256 key for the outbox, 32 bytes base64; absent: a fresh one. */
  outboxKey: z
    .base64()
    .refine((k) => Buffer.from(k, 'base64').length === 32, 'the outbox key must be 32 bytes in base64')
    .optional(),
});
export type ProvisionAnswers = z.infer<typeof provisionAnswersSchema>;

export interface SiteInputs {
  /** config/default.json, parsed. */
  readonly defaults: Json;
  readonly profiles: readonly DeviceProfile[];
  /** Region codes with a township service list (the platform catalogue). */
  readonly regions: readonly string[];
  /** For tests: scrypt and randomness made cheap and fixed. */
  readonly hashPin?: (pin: string) => Promise<Json>;
  readonly random?: (bytes: number) => Buffer;
}

export interface ProvisionedSite {
  /** The site file's content. */
  readonly site: { [key: string]: Json };
  /** The configuration the daemon will run with (defaults merged with the site). */
  readonly config: KioskConfig;
  /** Set when the ops token was generated: shown once to the technician, never stored in clear. */
  readonly generatedOpsToken: string | undefined;
}

/** A region has a list when it is listed itself, or its county (the first 6 digits) is. */
export function regionKnown(region: string, regions: readonly string[]): boolean {
  return regions.includes(region) || (region.length === 9 && regions.includes(region.slice(0, 6)));
}

function deviceConfig(name: string, answer: Exclude<DeviceAnswer, 'none' | 'simulated'>, profiles: readonly DeviceProfile[]): Result<Json, string> {
  const profile = profiles.find((p) => p.id === answer.profile);
  if (!profile) return err(`devices.${name}: unknown profile "${answer.profile}" (known: ${profiles.map((p) => p.id).join(', ')})`);
  const given = { device: answer.device, transport: answer.transport, hidFraming: answer.hidFraming };
  const missing = profile.needs.filter((need) => given[need] === undefined);
  if (missing.length > 0) return err(`devices.${name}: profile ${profile.id} needs ${missing.join(', ')}${profile.note ? ` (${profile.note})` : ''}`);
  const driver = profile.config.driver;
  const out: { [key: string]: unknown } = { ...profile.config, simulated: false };
  for (const key of ['device', 'transport', 'hidFraming', 'queue', 'model', 'photoDecoder', 'fingerprint'] as const) if (answer[key] !== undefined) out[key] = answer[key];
  // The defaults' simulator settings (scripted cards, scenes) and the virtual reader's fingerprint module do not carry over.
  if (driver === 'sam' || driver === 'uvc') out.simulator = null;
  if (driver === 'sam' && out.fingerprint === undefined) out.fingerprint = false;
  return isJson(out) ? ok(out) : err(`devices.${name}: the profile's configuration is not JSON`);
}

export async function buildSite(answers: ProvisionAnswers, inputs: SiteInputs): Promise<Result<ProvisionedSite, string>> {
  const problems: string[] = [];
  if (!regionKnown(answers.region, inputs.regions)) problems.push(`region: no township service list for ${answers.region} (known: ${inputs.regions.join(', ')})`);
  const defaultDevices = typeof inputs.defaults === 'object' && inputs.defaults !== null && !Array.isArray(inputs.defaults) ? inputs.defaults.devices : undefined;
  const defaultNames = typeof defaultDevices === 'object' && defaultDevices !== null && !Array.isArray(defaultDevices) ? Object.keys(defaultDevices) : [];
  // Every default device is answered for, so that no simulator stays on a real terminal unnoticed.
  for (const name of defaultNames) if (!(name in answers.devices)) problems.push(`devices.${name}: say which profile, "simulated" or "none"`);
  const devices: { [key: string]: Json } = {};
  for (const [name, answer] of Object.entries(answers.devices)) {
    if (answer === 'simulated') continue;
    if (answer === 'none') {
      devices[name] = null;
      continue;
    }
    const made = deviceConfig(name, answer, inputs.profiles);
    if (made.ok) devices[name] = made.value;
    else problems.push(made.error);
  }
  if (problems.length > 0) return err(problems.join('\n'));

  const random = inputs.random ?? randomBytes;
  const generatedOpsToken = answers.opsToken === undefined ? random(32).toString('base64url') : undefined;
  const opsToken = answers.opsToken ?? generatedOpsToken ?? '';
  const pin = inputs.hashPin ? await inputs.hashPin(answers.technicianPin) : await hashPinScrypt(answers.technicianPin);
  if (!isJson(pin)) return err('the PIN hash is not JSON');
  const site: { [key: string]: Json } = {
    terminal: { id: answers.terminalId, site: answers.site, region: answers.region, ...(answers.hotline ? { hotline: answers.hotline } : {}) },
    ...(answers.dataDir ? { data: { dir: answers.dataDir } } : {}),
    ops: { ...(answers.ops?.host ? { host: answers.ops.host } : {}), ...(answers.ops?.port ? { port: answers.ops.port } : {}), token: null, tokenSha256: createHash('sha256').update(opsToken, 'utf8').digest('hex') },
    technician: { pinSha256: null, pinScrypt: pin },
    outbox: { key: answers.outboxKey ?? random(32).toString('base64') },
    backends: {
      platform: { url: answers.backends.platform.url, appId: answers.backends.platform.appId, secret: answers.backends.platform.secret },
      payments: { url: answers.backends.payments.url, merchantId: answers.backends.payments.merchantId, secret: answers.backends.payments.secret },
    },
    devices,
  };
  const config = parseConfig(mergeConfig(inputs.defaults, site), 'the provisioned site merged over config/default.json');
  if (!config.ok) return config;
  return ok({ site, config: config.value, generatedOpsToken });
}

export function parseAnswers(value: unknown): Result<ProvisionAnswers, string> {
  const parsed = provisionAnswersSchema.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(`invalid answers:\n${formatIssues(parsed.error.issues)}`);
}
