#!/usr/bin/env node
// Runs every benchmark (device-daemon/bench/*.bench.ts): each is bundled with esbuild and run in its
// own Node process, and prints BENCH lines of JSON that are collected and shown as a table here.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { writeBenchmarks } from './bench-report.mjs';

const root = join(import.meta.dirname, '..');
const benchDir = join(root, 'device-daemon', 'bench');
const only = process.argv[2];
const entries = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)));
// Inside the project, so that the bundles resolve the project's node_modules.
const out = join(root, 'device-daemon', 'dist', 'bench');
mkdirSync(out, { recursive: true });
const results = [];
const began = performance.now();
for (const entry of entries) {
  const bundle = join(out, entry.replace(/\.ts$/, '.mjs'));
  await build({ entryPoints: [join(benchDir, entry)], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', absWorkingDir: join(root, 'device-daemon'), logLevel: 'warning' });
  console.error(`bench: ${entry}`);
  const run = spawnSync(process.execPath, [bundle], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    process.exit(1);
  }
  for (const line of run.stdout.split('\n')) if (line.startsWith('BENCH ')) results.push(JSON.parse(line.slice(6)));
}
const fmt = (v) => (typeof v === 'number' ? (v < 10 ? v.toFixed(3) : v.toFixed(1)) : String(v));
console.log(['benchmark', 'unit', 'n', 'p50', 'p90', 'p99', 'max', 'note'].join('\t'));
for (const r of results) console.log([r.name, r.unit, r.n, fmt(r.p50), fmt(r.p90), fmt(r.p99), fmt(r.max), [r.target, r.ratio, r.note].filter(Boolean).join('; ')].join('\t'));
// The whole run (no filter) is the record: it is written to BENCHMARKS.md.
if (!only) {
  writeBenchmarks(root, results, (performance.now() - began) / 1000);
  console.error('bench: BENCHMARKS.md written');
}
