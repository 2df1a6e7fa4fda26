// PRODUCT.md section 7 as data: which bench line, which field, which threshold. The verdicts are
// computed from one run's numbers by `verdict` below; nothing here is a measured figure.

/**
 * kind 'value': result[field] compared with the threshold (op '<=' or '<').
 * kind 'ratio': peer[field] / bench[field] (how many times faster ours is) at least the threshold.
 * `minN` (optional): the run must have at least that many of something (`minNFrom`.n) to count.
 */
export const TARGETS = [
  { area: 'Face', target: 'face check on a 640x480 frame, p50 at most 25 ms', kind: 'value', bench: 'face.check.640x480.onnxruntime', field: 'p50', op: '<=', threshold: 25, unit: 'ms' },
  { area: 'Face', target: 'face check on a 640x480 frame, p99 at most 50 ms', kind: 'value', bench: 'face.check.640x480.onnxruntime', field: 'p99', op: '<=', threshold: 50, unit: 'ms' },
  { area: 'Face', target: 'at least 3x faster than the same pipeline on @tensorflow/tfjs (wasm), p50', kind: 'ratio', bench: 'face.check.640x480.onnxruntime', peer: 'face.check.640x480.tfjs-wasm', field: 'p50', threshold: 3 },
  { area: 'Card', target: 'the daemon adds at most 5 ms to a card read (p99)', kind: 'value', bench: 'idcard.read.daemonOverhead', field: 'p99', op: '<=', threshold: 5, unit: 'ms' },
  { area: 'Receipt', target: 'receipt with QR encoded in at most 0.3 ms (p50)', kind: 'value', bench: 'receipt.encode.ours', field: 'p50', op: '<=', threshold: 0.3, unit: 'ms' },
  { area: 'Receipt', target: 'at least 3x faster than receiptline on the same slip (p50)', kind: 'ratio', bench: 'receipt.encode.ours', peer: 'receipt.encode.receiptline', field: 'p50', threshold: 3 },
  { area: 'Receipt', target: 'the virtual printer renders it in at most 50 ms (p99)', kind: 'value', bench: 'receipt.render.virtualPrinter', field: 'p99', op: '<=', threshold: 50, unit: 'ms' },
  { area: 'WebSocket', target: 'command round trip under 5 ms p99 on loopback: Common.Status (cached)', kind: 'value', bench: 'ws.roundTrip.commonStatus.daemon', field: 'p99', op: '<', threshold: 5, unit: 'ms' },
  { area: 'WebSocket', target: 'command round trip under 5 ms p99 on loopback: through the printer queue', kind: 'value', bench: 'ws.roundTrip.printerQueue.daemon', field: 'p99', op: '<', threshold: 5, unit: 'ms' },
  { area: 'Memory', target: 'at most 300 MB resident with models loaded (highest reading after commands)', kind: 'value', bench: 'daemon.rss.modelsLoaded', field: 'value', op: '<=', threshold: 300, unit: 'MB' },
  { area: 'Memory', target: 'at most 300 MB resident with models loaded (highest reading after face checks)', kind: 'value', bench: 'daemon.rss.afterFaceChecks', field: 'value', op: '<=', threshold: 300, unit: 'MB' },
  { area: 'Soak', target: 'at most 300 MB resident with models loaded (highest reading over the soak)', kind: 'value', bench: 'soak.daemon.rss', field: 'maxMB', label: 'max', op: '<=', threshold: 300, unit: 'MB' },
  { area: 'Soak', target: 'memory flat: under 5% growth after warm-up over 10,000 sessions (medians of ten readings)', kind: 'value', bench: 'soak.daemon.rss', field: 'growthPct', label: 'growth', op: '<', threshold: 5, unit: '%', minN: 10_000, minNFrom: 'soak.sessions' },
  { area: 'UI', target: 'initial JavaScript at most 60 KB gzip', kind: 'value', bench: 'ui initial JS (gzip)', field: 'p50', op: '<=', threshold: 60, unit: 'KB' },
  { area: 'UI', target: 'first screen interactive in at most 1 s, CPU throttled 4x (p50)', kind: 'value', bench: 'ui first screen interactive, CPU 4x throttled', field: 'p50', op: '<=', threshold: 1000, unit: 'ms' },
  { area: 'UI', target: 'first screen interactive in at most 1 s, CPU throttled 4x (p99)', kind: 'value', bench: 'ui first screen interactive, CPU 4x throttled', field: 'p99', op: '<=', threshold: 1000, unit: 'ms' },
  { area: 'UI', target: 'no task of the flows blocks the main thread for more than 100 ms, CPU throttled 4x (longest)', kind: 'value', bench: 'ui.longTasks.flow', field: 'max', op: '<=', threshold: 100, unit: 'ms' },
];

/** Peer lines whose ratio is shown beside a result (the peer measured in the same run). */
export const PEERS = [
  { bench: 'face.check.640x480.onnxruntime', peer: 'face.check.640x480.tfjs-wasm' },
  { bench: 'face.check+eyelids.640x480.onnxruntime', peer: 'face.check+eyelids.640x480.tfjs-wasm' },
  ...['blazeface-front', 'facemesh', 'iris', 'dlib-resnet'].map((m) => ({ bench: `face.model.${m}.onnxruntime`, peer: `face.model.${m}.tfjs-wasm` })),
  { bench: 'receipt.encode.ours', peer: 'receipt.encode.receiptline' },
  { bench: 'idcard.read.daemonOverhead', peer: 'idcard.read.transport' },
  { bench: 'ws.roundTrip.commonStatus.daemon', peer: 'ws.roundTrip.commonStatus.bareWs' },
  { bench: 'ws.roundTrip.printerQueue.daemon', peer: 'ws.roundTrip.printerQueue.bareWs' },
  { bench: 'metrics.scrape.daemon', peer: 'metrics.scrape.barePromClient' },
  { bench: 'metrics.scrape.daemon', peer: 'metrics.scrape.staticBody' },
  { bench: 'daemon.rss.modelsLoaded', peer: 'daemon.rss.withoutFace' },
];

/** The areas in the order BENCHMARKS.md shows them, each with the bench lines it holds and its method. */
export const AREAS = [
  { area: 'Face', prefix: ['face.'], method: 'The whole check in one process on 640x480 JPEG frames synthesised from the evaluation faces (decode, detection, landmarks, alignment, descriptor of the chip and its mirror, distance), 2 onnxruntime threads; the peer runs the same pipeline code with the same models on @tensorflow/tfjs with the wasm backend (SIMD), its fastest backend here. Each model alone as well.' },
  { area: 'Card', prefix: ['idcard.'], method: 'A card read through the driver against the virtual SAM on the in-memory transport; the transport time (write to end of reply frame) is subtracted, so the overhead is parsing, checks and masking. The transport line is shown for scale.' },
  { area: 'Receipt', prefix: ['receipt.'], method: 'The acceptance slip with a QR code: our encoder and receiptline (GB18030, 48 columns) on the same content; the virtual printer renders the encoded bytes to a 576-dot PNG (warm font cache).' },
  { area: 'WebSocket', prefix: ['ws.'], method: 'Send to completion, one command at a time on loopback, thousands of trips after a warm-up, against the built daemon in a child process on the default simulated site. The peer is a bare `ws` server in the bench process that parses the command and answers with an acknowledge and a completion of the same size, so the ratio is the daemon\'s cost over the socket (the peer shares the client\'s process; the daemon is a separate process).' },
  { area: 'Metrics', prefix: ['metrics.'], method: 'GET /metrics with the bearer token on the ops listener, one at a time over a kept-alive connection. Peers: a bare prom-client registry with the same number of series and families, and a plain HTTP server returning the daemon\'s own body. PRODUCT.md section 7 sets no target for the scrape.' },
  { area: 'Memory', prefix: ['daemon.rss.'], method: 'VmRSS of the daemon from /proc/<pid>/status: ten readings 200 ms apart once the face service is ready, again after rounds of face-free commands, and again after face checks of the card holder; the same daemon without the face camera and face service for scale.' },
  { area: 'Soak', prefix: ['soak.'], method: 'npm run soak: 10,000 mixed simulated sessions over the WebSocket on the full default site with the face models loaded; resident memory read from /proc every 100 sessions, the first 1,000 sessions are the warm-up. Present only when the soak ran in this run.' },
  { area: 'UI', prefix: ['ui'], method: 'Initial JavaScript: the entry and its preloaded chunks, gzip. First screen and long tasks: Debian\'s Chromium with the CPU throttled 4x through CDP, fresh context per run, against the daemon in simulation.' },
];

const ops = { '<=': (a, b) => a <= b, '<': (a, b) => a < b };

export function fmt(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '';
  const abs = Math.abs(v);
  return abs < 1 ? v.toFixed(3) : abs < 10 ? v.toFixed(2) : v.toFixed(1);
}

const find = (results, name) => results.find((r) => r.name === name);

/** { measured, verdict, met } for one target over one run's results; undefined when its bench did not run. */
export function verdict(t, results) {
  const ours = find(results, t.bench);
  if (!ours || typeof ours[t.field] !== 'number') return undefined;
  if (t.kind === 'ratio') {
    const peer = find(results, t.peer);
    if (!peer || typeof peer[t.field] !== 'number') return undefined;
    const r = peer[t.field] / ours[t.field];
    const measured = `${r.toFixed(1)}x (${fmt(peer[t.field])} vs ${fmt(ours[t.field])} ms at ${t.field})`;
    return r >= t.threshold ? { measured, verdict: 'met', met: true } : { measured, verdict: `MISSED (by ${(t.threshold - r).toFixed(1)}x: ${r.toFixed(1)}x, not ${t.threshold}x)`, met: false };
  }
  const v = ours[t.field];
  const label = t.label ?? (t.field === 'value' ? '' : t.field);
  const measured = `${label ? `${label} ` : ''}${fmt(v)} ${t.unit}`;
  if (t.minN !== undefined) {
    const n = find(results, t.minNFrom)?.n ?? 0;
    if (n < t.minN) return { measured: `${measured} over ${n}`, verdict: `not comparable (${n} < ${t.minN})`, met: false };
  }
  if (ops[t.op](v, t.threshold)) return { measured, verdict: 'met', met: true };
  const over = v - t.threshold;
  const pct = t.threshold !== 0 && t.unit !== '%' ? ` (${Math.round((over / t.threshold) * 100)}%)` : '';
  return { measured, verdict: `MISSED (by ${fmt(over)} ${t.unit}${pct})`, met: false };
}

/** "ours vs peer" at p50 and p99: times the peer's figure, or how many times faster. */
export function peerRatio(result, peer) {
  const at = (f) => {
    if (typeof result[f] !== 'number' || typeof peer[f] !== 'number' || result[f] === 0 || peer[f] === 0) return '';
    const r = result[f] / peer[f];
    return r < 1 ? `${(1 / r).toFixed(1)}x faster at ${f}` : `${r.toFixed(1)}x at ${f}`;
  };
  return [at('p50'), at('p99')].filter(Boolean).join(', ');
}
