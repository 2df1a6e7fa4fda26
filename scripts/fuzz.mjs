#!/usr/bin/env node
// The long fuzz run: every target of device-daemon/src/testing/fuzz-targets.ts, bundled with
// esbuild and run in its own Node process with --expose-gc, under a watchdog that fails a target
// that makes no progress for 30 s. One line per target; the exit code is non-zero on any throw,
// hang, crash or heap growth beyond the bound.
//   node scripts/fuzz.mjs [--runs N] [--only NAME[,NAME]] [--seed S]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000000' },
    only: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'stall-seconds': { type: 'string', default: '30' },
    'heap-growth-mb': { type: 'string', default: '64' },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const stallMs = Number(values['stall-seconds']) * 1000;
const heapBoundMb = Number(values['heap-growth-mb']);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('fuzz: --runs must be a positive integer and --seed an integer');
  process.exit(2);
}

const root = join(import.meta.dirname, '..');
// Inside the project, so that the bundle resolves the project's node_modules.
const out = join(root, 'device-daemon', 'dist', 'fuzz');
mkdirSync(out, { recursive: true });
const bundle = join(out, 'fuzz-main.mjs');
await build({
  entryPoints: [join(root, 'device-daemon', 'src', 'testing', 'fuzz-main.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  absWorkingDir: join(root, 'device-daemon'),
  logLevel: 'warning',
});

const listed = spawnSync(process.execPath, [bundle, '--list'], { cwd: root, encoding: 'utf8' });
if (listed.status !== 0) {
  console.error(listed.stdout, listed.stderr);
  process.exit(1);
}
const all = listed.stdout.split('\n').filter(Boolean);
const wanted = values.only ? values.only.split(',') : all;
const unknown = wanted.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  console.error(`fuzz: no target ${unknown.join(', ')} (targets: ${all.join(', ')})`);
  process.exit(2);
}

/** Runs one target; resolves with its report, or with the reason it failed to give one. */
function runTarget(name) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--expose-gc', '--enable-source-maps', bundle, name, String(runs), String(seed)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastProgressAt = performance.now();
    let progress = 0;
    let pending = '';
    let stderr = '';
    let report;
    let hung = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('PROGRESS ')) {
          progress = Number(line.slice(9));
          lastProgressAt = performance.now();
        } else if (line.startsWith('RESULT ')) report = JSON.parse(line.slice(7));
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    const watchdog = setInterval(() => {
      if (performance.now() - lastProgressAt > stallMs) {
        hung = true;
        child.kill('SIGKILL');
      }
    }, 1000);
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      const seconds = (performance.now() - started) / 1000;
      if (hung) resolve({ name, problem: `hang: no progress for ${stallMs / 1000} s after ${progress} inputs`, seconds, stderr });
      else if (!report) resolve({ name, problem: `crashed (exit ${code ?? signal}) after ${progress} inputs`, seconds, stderr });
      else resolve({ name, report, seconds, stderr });
    });
  });
}

const fmt = (n) => n.toFixed(1);
console.log(['target', 'inputs', 'throws', 'slowest ms', 'heap start MB', 'heap end MB', 'seconds', 'verdict'].join('\t'));
let failed = false;
for (const name of wanted) {
  const result = await runTarget(name);
  if (!result.report) {
    failed = true;
    console.log([name, '-', '-', '-', '-', '-', fmt(result.seconds), `FAIL ${result.problem}`].join('\t'));
    if (result.stderr) console.error(result.stderr);
    continue;
  }
  const r = result.report;
  const growth = r.heapMb.end - r.heapMb.start;
  const problems = [];
  if (r.throws > 0) problems.push(`${r.throws} throws`);
  if (growth > heapBoundMb) problems.push(`heap grew ${fmt(growth)} MB (bound ${heapBoundMb})`);
  if (!r.gc) problems.push('no gc: run with --expose-gc');
  if (r.throws > 0) {
    // Every failing input in full, for reproduction; the first one's message here.
    const file = join(out, `${name}.failures.json`);
    writeFileSync(file, JSON.stringify(r, null, 2));
    console.error(`${name}: first failure at input ${r.failures[0]?.index}: ${r.failures[0]?.message.split('\n')[0]}\n  input: ${r.failures[0]?.input.slice(0, 600)}\n  all kept failures: ${file}`);
  }
  failed ||= problems.length > 0;
  console.log([name, r.inputs, r.throws, r.slowestMs.toFixed(2), fmt(r.heapMb.start), fmt(r.heapMb.end), fmt(r.seconds), problems.length > 0 ? `FAIL ${problems.join('; ')}` : 'ok'].join('\t'));
}
console.log(`seed ${seed}, ${runs} inputs per target${failed ? ': FAILED' : ''}`);
process.exit(failed ? 1 : 0);
