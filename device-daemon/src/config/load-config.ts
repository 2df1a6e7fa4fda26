// Loads the configuration: config/default.json, then the JSON file named by KIOSK_CONFIG merged over
// it, then KIOSK_* environment overrides; validated as a whole. Errors name the key at fault.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { err, ok, type Result } from '../core/result';
import { configSchema, type KioskConfig } from './schema';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Objects merge key by key; anything else is replaced. An object whose `kind` or `driver` differs
 * replaces the whole object, so switching a transport from memory to tcp leaves no stale keys.
 * null removes a key: a site without a document camera says so with "documentCamera": null.
 */
export function mergeConfig(base: Json, override: Json): Json {
  if (!isObject(base) || !isObject(override)) return override;
  for (const tag of ['kind', 'driver']) {
    if (tag in override && tag in base && override[tag] !== base[tag]) return override;
  }
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    // Own keys only, set as data properties: a site file's "__proto__" stays a key (which the schema
    // refuses) instead of becoming the merged object's prototype.
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    if (value === null) delete out[key];
    else Object.defineProperty(out, key, { value: current === undefined ? value : mergeConfig(current, value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function readJson(path: string, what: string): Result<Json, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    return err(`${what} ${path} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) return err(`${what} ${path} must hold a JSON object`);
    return ok(parsed);
  } catch (cause) {
    return err(`${what} ${path} is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const ENV_OVERRIDES = [
  { variable: 'KIOSK_PORT', path: ['ui', 'port'], type: 'port' },
  { variable: 'KIOSK_OPS_PORT', path: ['ops', 'port'], type: 'port' },
  { variable: 'KIOSK_DATA_DIR', path: ['data', 'dir'], type: 'string' },
  { variable: 'KIOSK_OPS_TOKEN', path: ['ops', 'token'], type: 'string' },
  { variable: 'KIOSK_LOG_LEVEL', path: ['log', 'level'], type: 'string' },
] as const;

function applyEnv(config: Json, env: NodeJS.ProcessEnv): Result<Json, string> {
  let out = config;
  for (const o of ENV_OVERRIDES) {
    const raw = env[o.variable];
    if (raw === undefined || raw === '') continue;
    let value: Json = raw;
    if (o.type === 'port') {
      if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) return err(`${o.variable}: expected a port number 0-65535, got "${raw.slice(0, 32)}"`);
      value = Number(raw);
    }
    const patch: Json = o.path.reduceRight<Json>((inner, key) => ({ [key]: inner }), value);
    out = mergeConfig(out, patch);
  }
  return ok(out);
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
      if (issue.code === 'unrecognized_keys') return `${where}: unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      if (issue.code === 'invalid_key') return `${where}: ${issue.issues.map((i) => i.message).join('; ')}`;
      return `${where}: ${issue.message}`;
    })
    .join('\n');
}

export interface ConfigSources {
  readonly defaultPath: string;
  /** KIOSK_CONFIG: a site file merged over the defaults. */
  readonly overridePath?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}

export function loadConfig(sources: ConfigSources): Result<KioskConfig, string> {
  const base = readJson(sources.defaultPath, 'default config');
  if (!base.ok) return base;
  let merged = base.value;
  if (sources.overridePath) {
    const site = readJson(sources.overridePath, 'KIOSK_CONFIG file');
    if (!site.ok) return site;
    merged = mergeConfig(merged, site.value);
  }
  const withEnv = applyEnv(merged, sources.env);
  if (!withEnv.ok) return withEnv;
  return parseConfig(withEnv.value, sources.overridePath ? `${sources.defaultPath} merged with ${sources.overridePath}` : sources.defaultPath);
}

export function parseConfig(value: unknown, origin: string): Result<KioskConfig, string> {
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) return err(`invalid configuration (${origin}):\n${formatIssues(parsed.error.issues)}`);
  return ok(parsed.data);
}
