// PRODUCT.md section 7 as checks over the bench results of one run: each target names the result
// lines it reads and computes its verdict from their numbers (nothing here is a measured figure).
const find = (results, name) => results.find((r) => r.name === name);

/** Each check returns { value, met } or undefined when its bench did not run. */
export const TARGETS = [
  { area: 'Face', target: 'face check 640x480, p50 at most 25 ms', check: (rs) => at(find(rs, 'face.check.640x480.onnxruntime'), 'p50', (v) => v <= 25, 'ms') },
  { area: 'Face', target: 'face check 640x480, p99 at most 50 ms', check: (rs) => at(find(rs, 'face.check.640x480.onnxruntime'), 'p99', (v) => v <= 50, 'ms') },
  { area: 'Face', target: 'at least 3x faster than @tensorflow/tfjs (wasm) on the same models, p50', check: (rs) => ratio(find(rs, 'face.check.640x480.tfjs-wasm'), find(rs, 'face.check.640x480.onnxruntime'), 3) },
  { area: 'Card', target: 'the daemon adds at most 5 ms to a card read (p99)', check: (rs) => at(find(rs, 'idcard.read.daemonOverhead'), 'p99', (v) => v <= 5, 'ms') },
  { area: 'Receipt', target: 'receipt with QR encoded in at most 0.3 ms (p50)', check: (rs) => at(find(rs, 'receipt.encode.ours'), 'p50', (v) => v <= 0.3, 'ms') },
  { area: 'Receipt', target: 'at least 3x faster than receiptline on the same slip (p50)', check: (rs) => ratio(find(rs, 'receipt.encode.receiptline'), find(rs, 'receipt.encode.ours'), 3) },
  { area: 'Receipt', target: 'the virtual printer renders it in at most 50 ms (p99)', check: (rs) => at(find(rs, 'receipt.render.virtualPrinter'), 'p99', (v) => v <= 50, 'ms') },
  { area: 'UI', target: 'initial JavaScript at most 60 KB gzip', check: (rs) => at(find(rs, 'ui initial JS (gzip)'), 'p50', (v) => v <= 60, 'KB') },
  { area: 'UI', target: 'first screen interactive in at most 1 s, CPU throttled 4x (p50)', check: (rs) => at(find(rs, 'ui first screen interactive, CPU 4x throttled'), 'p50', (v) => v <= 1000, 'ms') },
  { area: 'UI', target: 'first screen interactive in at most 1 s, CPU throttled 4x (p99)', check: (rs) => at(find(rs, 'ui first screen interactive, CPU 4x throttled'), 'p99', (v) => v <= 1000, 'ms') },
  { area: 'Daemon', target: 'WebSocket command round trip under 5 ms p99 on loopback', check: (rs) => at(find(rs, 'ws.roundTrip.daemon.CommonStatus'), 'p99', (v) => v < 5, 'ms') },
  { area: 'Daemon', target: 'at most 300 MB resident with models loaded (max over the soak)', check: (rs) => field(find(rs, 'soak.daemon.rss'), 'maxMB', (v) => v <= 300, 'MB') },
  { area: 'Daemon', target: 'memory flat: under 5% growth after warm-up over 10,000 sessions', check: (rs) => soakGrowth(find(rs, 'soak.daemon.rss'), find(rs, 'soak.sessions')) },
];

function fmt(v) {
  return v < 10 ? v.toFixed(3) : v.toFixed(1);
}

function at(result, key, ok, unit) {
  if (!result || typeof result[key] !== 'number') return undefined;
  return { value: `${key} ${fmt(result[key])} ${unit}`, met: ok(result[key]) };
}

function field(result, key, ok, unit) {
  if (!result || typeof result[key] !== 'number') return undefined;
  return { value: `${fmt(result[key])} ${unit}`, met: ok(result[key]) };
}

function ratio(peer, ours, atLeast) {
  if (!peer || !ours) return undefined;
  const r = peer.p50 / ours.p50;
  return { value: `${r.toFixed(1)}x (${fmt(peer.p50)} / ${fmt(ours.p50)} ms)`, met: r >= atLeast };
}

function soakGrowth(rss, sessions) {
  if (!rss || typeof rss.growthPct !== 'number') return undefined;
  const n = sessions?.n ?? 0;
  return { value: `${rss.growthPct}% over ${n} sessions (point to point ${rss.pointGrowthPct}%)`, met: rss.growthPct < 5 && n >= 10_000 };
}
