#!/usr/bin/env node
// Builds what is not built: the daemon bundle (esbuild) and the kiosk UI (vite). A target is rebuilt
// when any of its inputs is newer than its stamp, or with --force. `--only daemon|ui` limits targets.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const force = args.includes('--force');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const quiet = args.includes('--quiet');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

const targets = [
  {
    name: 'daemon',
    inputs: ['device-daemon/src', 'package-lock.json', 'scripts/build.mjs'],
    stamp: 'device-daemon/dist/.stamp',
    async build() {
      const { build } = await import('esbuild');
      await build({
        absWorkingDir: join(root, 'device-daemon'),
        entryPoints: { daemon: 'src/entry/daemon.ts', kioskctl: 'src/entry/kioskctl.ts', models: 'src/entry/models.ts', 'virtual-cups': 'src/entry/virtual-cups.ts' },
        outdir: 'dist',
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        // Dependencies stay in node_modules: several are native addons loaded at run time.
        packages: 'external',
        sourcemap: true,
        logLevel: 'warning',
      });
      const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
      const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
      const revision = git.status === 0 ? git.stdout.trim() : 'unknown';
      writeFileSync(join(root, 'device-daemon/dist/build-info.json'), JSON.stringify({ version, revision }) + '\n');
    },
  },
  {
    name: 'ui',
    inputs: ['kiosk-ui/src', 'kiosk-ui/index.html', 'kiosk-ui/vite.config.ts', 'kiosk-ui/public', 'device-daemon/src/protocol', 'package-lock.json'],
    stamp: 'kiosk-ui/dist/.stamp',
    async build() {
      const { build } = await import('vite');
      await build({ root: join(root, 'kiosk-ui'), configFile: join(root, 'kiosk-ui/vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
    },
  },
];

for (const target of targets) {
  if (only && target.name !== only) continue;
  const stampPath = join(root, target.stamp);
  const stampTime = existsSync(stampPath) ? statSync(stampPath).mtimeMs : 0;
  const inputTime = Math.max(...target.inputs.map((p) => newestMtime(join(root, p))));
  if (!force && stampTime > 0 && stampTime >= inputTime) continue;
  const started = Date.now();
  try {
    await target.build();
  } catch (error) {
    console.error(`build: ${target.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  mkdirSync(dirname(stampPath), { recursive: true });
  writeFileSync(stampPath, new Date().toISOString() + '\n');
  if (!quiet) console.error(`build: ${target.name} built in ${Date.now() - started} ms (${relative(root, dirname(stampPath))})`);
}
