// Metrics scrape time: GET /metrics with the bearer token on the daemon's ops listener (the tests'
// default simulated site, every device registered and ready), one scrape at a time over a kept-alive
// connection. Two peers in this process, measured the same way: a plain node:http server returning
// the daemon's own body (the cost of HTTP and the bytes), and a bare prom-client registry with as
// many series in as many families, rendered on every scrape (the cost of prom-client itself). The
// ratios are what the daemon's own collection adds.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import { OPS_TOKEN, startDaemon, stopAllDaemons } from '../../tests/support/daemon-process';
import { report, summarise } from './stats';

const WARM_UP = Number(process.env.BENCH_METRICS_WARMUP ?? 100);
const SAMPLES = Number(process.env.BENCH_METRICS_SAMPLES ?? 1_000);

async function scrape(url: string, headers: Record<string, string>): Promise<{ ms: number; body: string }> {
  const began = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.text();
  const ms = performance.now() - began;
  if (response.status !== 200) throw new Error(`scrape ${url}: ${response.status}`);
  return { ms, body };
}

async function series(url: string, headers: Record<string, string> = {}): Promise<{ samples: number[]; body: string }> {
  const samples: number[] = [];
  let body = '';
  for (let i = 0; i < WARM_UP + SAMPLES; i += 1) {
    const one = await scrape(url, headers);
    body = one.body;
    if (i >= WARM_UP) samples.push(one.ms);
  }
  return { samples, body };
}

/** Sample lines per family (`# TYPE` names it; histogram buckets, sums and counts count as its series). */
function familySizes(body: string): Map<string, number> {
  const sizes = new Map<string, number>();
  let family = '';
  for (const line of body.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type?.[1]) {
      family = type[1];
      sizes.set(family, 0);
    } else if (line !== '' && !line.startsWith('#') && family !== '') sizes.set(family, (sizes.get(family) ?? 0) + 1);
  }
  return sizes;
}

function bareRegistry(sizes: Map<string, number>): Registry {
  const registry = new Registry();
  for (const [name, count] of sizes) {
    const gauge = new Gauge({ name, help: `${name} (bench peer)`, labelNames: ['series'], registers: [registry] });
    for (let i = 0; i < count; i += 1) gauge.set({ series: String(i) }, i);
  }
  return registry;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('peer has no address');
  return `http://127.0.0.1:${address.port}/metrics`;
}

const servers: Server[] = [];
try {
  const daemon = await startDaemon();
  const ours = await series(`http://127.0.0.1:${daemon.opsPort}/metrics`, { authorization: `Bearer ${OPS_TOKEN}` });
  await stopAllDaemons();

  const body = ours.body;
  const staticServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body));
  servers.push(staticServer);
  const staticPeer = await series(await listen(staticServer));

  const sizes = familySizes(body);
  const registry = bareRegistry(sizes);
  const promServer = createServer((_request, response) => {
    void registry.metrics().then((text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text));
  });
  servers.push(promServer);
  const promPeer = await series(await listen(promServer));

  const seriesCount = [...sizes.values()].reduce((a, b) => a + b, 0);
  const kb = (text: string): number => Math.round((Buffer.byteLength(text) / 1024) * 10) / 10;
  const oursSummary = summarise(ours.samples);
  const staticSummary = summarise(staticPeer.samples);
  const promSummary = summarise(promPeer.samples);
  const ratio = (a: number, b: number): number => Math.round((a / b) * 10) / 10;
  report('metrics.scrape.daemon', 'ms', oursSummary, {
    peer: 'metrics.scrape.barePromClient',
    ratioP50: ratio(oursSummary.p50, promSummary.p50),
    ratioP99: ratio(oursSummary.p99, promSummary.p99),
    staticRatioP50: ratio(oursSummary.p50, staticSummary.p50),
    series: seriesCount,
    families: sizes.size,
    bodyKB: kb(body),
    note: `${seriesCount} series in ${sizes.size} families, ${kb(body)} KB; ${ratio(oursSummary.p50, staticSummary.p50)}x the same body served statically at p50; fetch over a kept-alive connection, ${WARM_UP} warm-up scrapes`,
  });
  report('metrics.scrape.barePromClient', 'ms', promSummary, { note: `prom-client registry with ${seriesCount} gauge series in ${sizes.size} families, ${kb(promPeer.body)} KB, rendered per scrape` });
  report('metrics.scrape.staticBody', 'ms', staticSummary, { note: 'plain node:http returning the daemon\'s body' });
} finally {
  await stopAllDaemons();
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
}
