// Writes BENCHMARKS.md from one whole `npm run bench` run: the machine, the date, every result with
// its median and tail, the peers' ratios from the same run, and each PRODUCT.md section 7 target with
// a verdict computed from the numbers (scripts/bench-targets.mjs). No hostnames or paths.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { AREAS, fmt, PEERS, peerRatio, TARGETS, verdict } from './bench-targets.mjs';

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function machine(root) {
  const cpuinfo = read('/proc/cpuinfo');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const cores = cpuinfo.match(/^processor\s*:/gm)?.length ?? cpus().length;
  const memKb = Number(/^MemTotal:\s+(\d+) kB$/m.exec(read('/proc/meminfo'))?.[1] ?? 0);
  const memory = memKb > 0 ? memKb * 1024 : totalmem();
  const os = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(read('/etc/os-release'))?.[1] ?? process.platform;
  const version = (name) => {
    try {
      return JSON.parse(read(join(root, 'node_modules', name, 'package.json'))).version ?? 'unknown';
    } catch {
      return 'not installed';
    }
  };
  return {
    cpu: `${model.trim()}, ${cores} cores`,
    memory: `${(memory / 1024 ** 3).toFixed(1)} GiB`,
    os,
    node: process.version,
    libraries: ['onnxruntime-node', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'receiptline', 'prom-client', 'ws'].map((n) => `${n} ${version(n)}`).join(', '),
  };
}

const cell = (s) => String(s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

function areaOf(name) {
  return AREAS.find((a) => a.prefix.some((p) => name.startsWith(p)))?.area ?? 'Other';
}

function resultRows(results, rs) {
  const rows = ['| benchmark | unit | n | p50 | p90 | p99 | max | peer in this run: ratio | notes |', '|---|---|---|---|---|---|---|---|---|'];
  for (const r of rs) {
    const peers = PEERS.filter((p) => p.bench === r.name)
      .map((p) => ({ name: p.peer, line: results.find((x) => x.name === p.peer) }))
      .filter((p) => p.line)
      .map((p) => `${p.name}: ${peerRatio(r, p.line)}`);
    rows.push(`| ${cell(r.name)} | ${cell(r.unit)} | ${r.n} | ${fmt(r.p50)} | ${fmt(r.p90)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${cell(peers.join('; '))} | ${cell(r.note ?? '')} |`);
  }
  return rows;
}

export function renderBenchmarks(root, results, run) {
  const m = machine(root);
  const lines = ['# Benchmarks', '', 'Written by `npm run bench` (every `device-daemon/bench/*.bench.ts`, each in its own process, one after another); do not edit by hand. Verdicts are computed from the figures of this run against PRODUCT.md section 7 (`scripts/bench-targets.mjs`).', ''];
  lines.push('| | |', '|---|---|');
  lines.push(`| date | ${run.date} |`);
  lines.push(`| CPU | ${cell(m.cpu)} |`);
  lines.push(`| memory | ${m.memory} |`);
  lines.push(`| OS | ${cell(m.os)} |`);
  lines.push(`| Node | ${m.node} |`);
  lines.push(`| libraries | ${cell(m.libraries)} |`);
  lines.push(`| run | ${Math.round(run.seconds)} s in all: ${run.timings.map((t) => `${t.entry} ${Math.round(t.seconds)} s${t.ok ? '' : ' (FAILED)'}`).join(', ')} |`, '');

  const checked = TARGETS.map((t) => ({ t, v: verdict(t, results) }));
  const missed = checked.filter((c) => c.v && !c.v.met);
  const unmeasured = checked.filter((c) => !c.v);
  lines.push('## Summary', '');
  const met = checked.filter((c) => c.v?.met).length;
  lines.push(`${met} of ${TARGETS.length} targets met in this run; ${missed.length} missed; ${unmeasured.length} not measured.`, '');
  for (const c of missed) lines.push(`- MISSED: ${c.t.target}: ${c.v.measured}; ${c.v.verdict}.`);
  for (const c of unmeasured) lines.push(`- Not measured in this run: ${c.t.target} (no \`${c.t.bench}\` line).`);
  for (const f of run.timings.filter((t) => !t.ok)) lines.push(`- FAILED to run: ${f.entry} (exit ${f.status}); its figures are missing.`);
  if (missed.length + unmeasured.length === 0 && run.timings.every((t) => t.ok)) lines.push('Every target is met.');
  lines.push('');

  const areas = [...AREAS.map((a) => a.area), 'Other'];
  for (const area of areas) {
    const rs = results.filter((r) => areaOf(r.name) === area);
    const ts = checked.filter((c) => c.t.area === area);
    if (rs.length === 0 && ts.every((c) => !c.v)) continue;
    lines.push(`## ${area}`, '');
    const method = AREAS.find((a) => a.area === area)?.method;
    if (method) lines.push(method, '');
    if (ts.length > 0) {
      lines.push('| target (PRODUCT.md section 7) | measured | verdict |', '|---|---|---|');
      for (const c of ts) lines.push(`| ${cell(c.t.target)} | ${cell(c.v?.measured ?? '')} | ${c.v ? c.v.verdict : 'not measured in this run'} |`);
      lines.push('');
    }
    if (rs.length > 0) lines.push(...resultRows(results, rs), '');
  }
  return `${lines.join('\n')}`;
}

export function writeBenchmarks(root, results, run) {
  writeFileSync(join(root, 'BENCHMARKS.md'), renderBenchmarks(root, results, run));
}

/** The console table for a filtered run: each line with its verdicts. */
export function printTable(results) {
  console.log(['benchmark', 'unit', 'n', 'p50', 'p90', 'p99', 'max', 'verdicts / note'].join('\t'));
  for (const r of results) {
    const vs = TARGETS.filter((t) => t.bench === r.name)
      .map((t) => ({ t, v: verdict(t, results) }))
      .filter((c) => c.v)
      .map((c) => `${c.t.target}: ${c.v.measured} ${c.v.verdict}`);
    console.log([r.name, r.unit, r.n, fmt(r.p50), fmt(r.p90), fmt(r.p99), fmt(r.max), [...vs, r.note].filter(Boolean).join('; ')].join('\t'));
  }
}
