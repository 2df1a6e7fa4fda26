// kioskctl provision (--answers FILE | interactive) --out FILE [--force]: makes a terminal's site
// configuration. Answers are validated, the site is checked by the daemon's schema over
// config/default.json, and only then written, owner-only (0600), through a temporary file and a
// rename, so nothing (not even half a file) is left behind by invalid answers.
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { err, ok, type Result } from '../core/result';
import { loadDeviceProfiles } from '../devices/discovery/device-profiles';
import type { FoundDevice } from '../devices/discovery/usb-sources';
import { buildSite, isJson, parseAnswers, type SiteInputs } from './provision-answers';
import { promptAnswers } from './provision-prompts';

export interface ProvisionOptions {
  readonly projectRoot: string;
  readonly answersFile: string | undefined;
  readonly out: string | undefined;
  readonly force: boolean;
  /** The platform catalogue whose township lists the region must be in; config/catalogue.json by default. */
  readonly catalogue: string | undefined;
  /** Interactive mode: the technician's terminal. */
  readonly input: Readable;
  readonly output: Writable;
  /** Interactive mode: what is plugged in, to suggest profiles. */
  readonly detect: () => Promise<FoundDevice[]>;
  /** For tests: cheap scrypt and fixed randomness. */
  readonly site?: Pick<SiteInputs, 'hashPin' | 'random'>;
}

const defaultDevicesSchema = z.object({ devices: z.record(z.string(), z.object({ driver: z.string() })) });
const catalogueRegionsSchema = z.object({ regions: z.array(z.object({ region: z.string(), name: z.object({ zh: z.string(), en: z.string() }) })) });

function readJsonFile(path: string, what: string): Result<unknown, string> {
  try {
    return ok(JSON.parse(readFileSync(path, 'utf8')));
  } catch (cause) {
    return err(`${what} ${path} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Owner-only from the first byte: the temporary file is created 0600, then renamed into place. */
export function writePrivateFile(path: string, text: string): Result<void, string> {
  const temp = join(dirname(path), `.${process.pid}.provision.tmp`);
  try {
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
    return ok(undefined);
  } catch (cause) {
    rmSync(temp, { force: true });
    return err(`cannot write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export async function provisionCommand(options: ProvisionOptions, out: (line: string) => void): Promise<number> {
  const target = options.out ?? process.env.KIOSK_CONFIG;
  if (!target) {
    out('kioskctl provision: name the site file with --out FILE (the daemon reads it through KIOSK_CONFIG)');
    return 2;
  }
  const path = resolve(target);
  if (existsSync(path) && !options.force) {
    out(`kioskctl provision: ${path} exists; pass --force to replace it`);
    return 2;
  }
  const defaults = readJsonFile(join(options.projectRoot, 'config', 'default.json'), 'default config');
  if (!defaults.ok || !isJson(defaults.value)) {
    out(`kioskctl provision: ${defaults.ok ? 'config/default.json is not JSON' : defaults.error}`);
    return 1;
  }
  const profiles = loadDeviceProfiles(join(options.projectRoot, 'config', 'device-profiles.json'));
  if (!profiles.ok) {
    out(`kioskctl provision: ${profiles.error}`);
    return 1;
  }
  const cataloguePath = options.catalogue ?? join(options.projectRoot, 'config', 'catalogue.json');
  const catalogue = readJsonFile(cataloguePath, 'catalogue');
  const regionList = catalogue.ok ? catalogueRegionsSchema.safeParse(catalogue.value) : undefined;
  if (!catalogue.ok || !regionList?.success) {
    out(`kioskctl provision: ${catalogue.ok ? `${cataloguePath} has no township lists (regions)` : catalogue.error}`);
    return 1;
  }
  const regions = regionList.data.regions;

  let raw: unknown;
  if (options.answersFile !== undefined) {
    const read = readJsonFile(options.answersFile, 'answers');
    if (!read.ok) {
      out(`kioskctl provision: ${read.error}`);
      return 1;
    }
    raw = read.value;
  } else {
    const listed = defaultDevicesSchema.safeParse(defaults.value);
    const devices = listed.success ? Object.entries(listed.data.devices).map(([name, d]) => ({ name, driver: d.driver })) : [];
    const asked = await promptAnswers({ input: options.input, output: options.output, regions, devices, profiles: profiles.value, detect: options.detect });
    if (!asked.ok) {
      out(`kioskctl provision: ${asked.error}`);
      return 1;
    }
    raw = asked.value;
  }
  const answers = parseAnswers(raw);
  if (!answers.ok) {
    out(`kioskctl provision: ${answers.error}\nnothing was written`);
    return 1;
  }
  const built = await buildSite(answers.value, { defaults: defaults.value, profiles: profiles.value, regions: regions.map((r) => r.region), ...options.site });
  if (!built.ok) {
    out(`kioskctl provision: ${built.error}\nnothing was written`);
    return 1;
  }
  const written = writePrivateFile(path, JSON.stringify(built.value.site, null, 2) + '\n');
  if (!written.ok) {
    out(`kioskctl provision: ${written.error}`);
    return 1;
  }
  const region = regions.find((r) => r.region === built.value.config.terminal.region) ?? regions.find((r) => r.region === built.value.config.terminal.region.slice(0, 6));
  out(`site configuration for ${built.value.config.terminal.id} written to ${path} (mode 0600)`);
  out(`region ${built.value.config.terminal.region}: the service list of ${region ? `${region.name.zh} ${region.name.en}` : 'its county'}`);
  out(`devices: ${Object.entries(built.value.config.devices).map(([name, d]) => `${name} ${d.simulated ? 'simulated' : d.driver}`).join(', ')}`);
  if (built.value.generatedOpsToken) out(`ops token (shown once; the file keeps only its sha256): ${built.value.generatedOpsToken}`);
  out(`start the daemon with KIOSK_CONFIG=${path}`);
  return 0;
}
