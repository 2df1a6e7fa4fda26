#!/usr/bin/env node
// Runs the benchmarks (device-daemon/bench/*.bench.ts): each is bundled with esbuild and run in its
// own Node process, and prints BENCH lines of JSON that are collected here. The whole run
// (`npm run bench`) is the record and is written to BENCHMARKS.md; a filtered one
// (`npm run bench -- face`, `npm run soak`) only prints its table.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { printTable, writeBenchmarks } from './bench-report.mjs';

const root = join(import.meta.dirname, '..');
const benchDir = join(root, 'device-daemon', 'bench');
const only = process.argv[2];
const entries = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
if (entries.length === 0) {
  console.error(`bench: no benchmark matches ${only}`);
  process.exit(1);
}
// Inside the project, so that the bundles resolve the project's node_modules.
const out = join(root, 'device-daemon', 'dist', 'bench');
mkdirSync(out, { recursive: true });
const results = [];
const timings = [];
const began = performance.now();
for (const entry of entries) {
  const bundle = join(out, entry.replace(/\.ts$/, '.mjs'));
  await build({ entryPoints: [join(benchDir, entry)], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', absWorkingDir: join(root, 'device-daemon'), logLevel: 'warning' });
  console.error(`bench: ${entry}`);
  const started = performance.now();
  // stderr straight through (progress, failures); stdout carries the BENCH lines.
  const run = spawnSync(process.execPath, [bundle], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const ok = run.status === 0;
  timings.push({ entry, seconds, ok, status: run.status ?? run.signal });
  if (!ok) console.error(`bench: ${entry} failed (exit ${run.status ?? run.signal})\n${run.stdout ?? ''}${run.error ? String(run.error) : ''}`);
  for (const line of (run.stdout ?? '').split('\n')) if (line.startsWith('BENCH ')) results.push(JSON.parse(line.slice(6)));
  console.error(`bench: ${entry} took ${seconds.toFixed(0)} s`);
}
const seconds = (performance.now() - began) / 1000;
printTable(results);
if (!only) {
  writeBenchmarks(root, results, { date: new Date().toISOString().slice(0, 10), seconds, timings });
  console.error(`bench: BENCHMARKS.md written (${seconds.toFixed(0)} s)`);
}
if (timings.some((t) => !t.ok)) process.exit(1);
