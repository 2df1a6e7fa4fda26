#!/usr/bin/env node
// Checks the Debian packages that `npm start` or `npm test` needs (scripts/system-packages.json).
// As root with apt-get it installs what is missing; otherwise it prints the exact command and stops,
// so that a fresh machine needs nothing but the README's two command lines.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const purpose = process.argv[2];
if (purpose !== 'start' && purpose !== 'test') {
  console.error('usage: ensure-system.mjs start|test');
  process.exit(2);
}
if (process.env.KIOSK_SKIP_SYSTEM_CHECK === '1') {
  console.error('ensure-system: KIOSK_SKIP_SYSTEM_CHECK=1, not checking system packages');
  process.exit(0);
}

const listPath = join(dirname(fileURLToPath(import.meta.url)), 'system-packages.json');
const list = JSON.parse(readFileSync(listPath, 'utf8'));
const wanted = list.packages.filter((p) => p.for.includes(purpose));

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

if (!has('dpkg-query')) {
  console.error(`ensure-system: this is not a Debian system; install the equivalents of these packages,`);
  console.error(`then set KIOSK_SKIP_SYSTEM_CHECK=1:`);
  for (const p of wanted) console.error(`  ${p.name}: ${p.why}`);
  process.exit(1);
}

const installed = (name) => {
  const r = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === 'installed';
};
const missing = wanted.filter((p) => !installed(p.name));
if (missing.length === 0) process.exit(0);

const names = missing.map((p) => p.name);
const installArgs = ['install', '-y', '--no-install-recommends', ...names];
const command = `apt-get update && apt-get install -y --no-install-recommends ${names.join(' ')}`;
for (const p of missing) console.error(`ensure-system: missing ${p.name} (${p.why})`);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !has('apt-get')) {
  console.error(`ensure-system: run this as root, then try again:\n  sudo sh -c '${command}'`);
  process.exit(1);
}

const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
console.error(`ensure-system: installing ${names.join(' ')}`);
// A fresh machine has empty package lists: the first install fails, so update once and retry.
const done = apt(installArgs) || (apt(['update']) && apt(installArgs));
if (!done || missing.some((p) => !installed(p.name))) {
  console.error(`ensure-system: the install failed; run this as root and try again:\n  ${command}`);
  process.exit(1);
}
