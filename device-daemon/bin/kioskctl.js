#!/usr/bin/env node
// npx kioskctl: runs the bundled CLI, building it first on a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, '..', 'dist', 'kioskctl.js');
const build = spawnSync(process.execPath, [join(here, '..', '..', 'scripts', 'build.mjs'), '--only', 'daemon', '--quiet'], { stdio: 'inherit' });
if (build.status !== 0 || !existsSync(bundle)) {
  console.error('kioskctl: the daemon bundle could not be built');
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
