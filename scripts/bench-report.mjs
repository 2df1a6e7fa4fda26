// Writes BENCHMARKS.md from one `npm run bench` run: the machine, the date, every result with its
// median and p99, the peers' ratios from the same run, and each PRODUCT.md section 7 target with a
// verdict computed from the numbers.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { TARGETS } from './bench-targets.mjs';

function osName() {
  try {
    const line = readFileSync('/etc/os-release', 'utf8').split('\n').find((l) => l.startsWith('PRETTY_NAME='));
    return line ? line.slice('PRETTY_NAME='.length).replace(/^"|"$/g, '') : process.platform;
  } catch {
    return process.platform;
  }
}

function packageVersion(root, name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

const fmt = (v) => (typeof v === 'number' ? (v < 10 ? v.toFixed(3) : v.toFixed(1)) : '');
const cell = (s) => String(s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

export function writeBenchmarks(root, results, seconds) {
  const lines = [];
  lines.push('# Benchmarks', '');
  lines.push('Written by `npm run bench` (every `device-daemon/bench/*.bench.ts`, each in its own process); do not edit by hand.', '');
  lines.push('| | |', '|---|---|');
  lines.push(`| date | ${new Date().toISOString()} |`);
  lines.push(`| CPU | ${cell(cpus()[0]?.model ?? 'unknown')}, ${cpus().length} cores |`);
  lines.push(`| memory | ${(totalmem() / 1024 ** 3).toFixed(1)} GiB |`);
  lines.push(`| OS | ${cell(osName())} |`);
  lines.push(`| Node | ${process.version}; onnxruntime-node ${packageVersion(root, 'onnxruntime-node')}, @tensorflow/tfjs ${packageVersion(root, '@tensorflow/tfjs')}, receiptline ${packageVersion(root, 'receiptline')} |`);
  lines.push(`| run | ${Math.round(seconds)} s for the whole bench |`, '');
  lines.push('## Targets (PRODUCT.md section 7)', '');
  lines.push('| area | target | measured | verdict |', '|---|---|---|---|');
  const missed = [];
  for (const t of TARGETS) {
    const v = t.check(results);
    const verdict = v === undefined ? 'not measured in this run' : v.met ? 'met' : 'MISSED';
    if (v !== undefined && !v.met) missed.push(`${t.target}: ${v.value}`);
    lines.push(`| ${t.area} | ${cell(t.target)} | ${cell(v?.value ?? '')} | ${verdict} |`);
  }
  lines.push('');
  lines.push(missed.length === 0 ? 'Every target measured in this run is met.' : `Missed in this run: ${missed.map((m) => `${m}`).join('; ')}.`, '');
  lines.push('## Every result', '');
  lines.push('Medians and tails from the run above; `ratio` compares against the peer measured in the same run.', '');
  lines.push('| benchmark | unit | n | p50 | p90 | p99 | max | ratio / target / note |', '|---|---|---|---|---|---|---|---|');
  for (const r of results) lines.push(`| ${cell(r.name)} | ${cell(r.unit)} | ${r.n} | ${fmt(r.p50)} | ${fmt(r.p90)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${cell([r.ratio, r.target, r.note].filter(Boolean).join('; '))} |`);
  lines.push('');
  writeFileSync(join(root, 'BENCHMARKS.md'), `${lines.join('\n')}`);
}
