// Metrics scrape time: GET /metrics with the bearer token on the daemon's ops listener (default
// simulated site, every device registered); the peer is a plain node:http server in this process
// returning the same body, so the ratio is what building the exposition costs the daemon.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { OPS_TOKEN, startDaemon, stopAllDaemons } from '../../tests/support/daemon-process';
import { report, summarise } from './stats';

const WARM_UP = 50;
const SAMPLES = 500;

async function scrape(url: string, headers: Record<string, string>): Promise<{ ms: number; bytes: number }> {
  const began = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`scrape ${url}: ${response.status}`);
  return { ms: performance.now() - began, bytes: Buffer.byteLength(body) };
}

async function series(url: string, headers: Record<string, string>): Promise<{ samples: number[]; bytes: number }> {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < WARM_UP + SAMPLES; i += 1) {
    const one = await scrape(url, headers);
    bytes = one.bytes;
    if (i >= WARM_UP) samples.push(one.ms);
  }
  return { samples, bytes };
}

const daemon = await startDaemon();
let body = '';
let ours: { samples: number[]; bytes: number };
try {
  const url = `http://127.0.0.1:${daemon.opsPort}/metrics`;
  const headers = { authorization: `Bearer ${OPS_TOKEN}` };
  ours = await series(url, headers);
  body = await (await fetch(url, { headers })).text();
} finally {
  await stopAllDaemons();
}
const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body));
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const address = server.address();
if (typeof address !== 'object' || address === null) throw new Error('peer has no address');
const peer = await series(`http://127.0.0.1:${address.port}/metrics`, {});
await new Promise<void>((resolve) => server.close(() => resolve()));
const seriesCount = body.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
const oursSummary = summarise(ours.samples);
const peerSummary = summarise(peer.samples);
report('metrics.scrape.daemon', 'ms', oursSummary, { peerName: 'metrics.scrape.staticBody', ratio: `${(oursSummary.p50 / peerSummary.p50).toFixed(1)}x serving the same body statically at p50`, note: `${seriesCount} series, ${(ours.bytes / 1024).toFixed(1)} KB` });
report('metrics.scrape.staticBody', 'ms', peerSummary, { note: 'plain node:http returning the same text' });
