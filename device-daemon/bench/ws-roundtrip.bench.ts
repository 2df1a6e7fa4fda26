// WebSocket command round trip on loopback (PRODUCT.md section 7: under 5 ms p99): Common.Status,
// served from cache, against the built daemon on the default simulated site; the peer is a bare `ws`
// echo server in this process measured the same way, so the ratio is the daemon's own cost.
import { once } from 'node:events';
import { WebSocket, WebSocketServer } from 'ws';
import { startDaemon, stopAllDaemons } from '../../tests/support/daemon-process';
import { WsTestClient } from '../src/testing/ws-test-client';
import { report, summarise } from './stats';

const WARM_UP = 200;
const SAMPLES = 3_000;

async function daemonRoundTrips(): Promise<number[]> {
  const daemon = await startDaemon();
  try {
    const client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
    const samples: number[] = [];
    for (let i = 0; i < WARM_UP + SAMPLES; i += 1) {
      const began = performance.now();
      const done = await client.completion(client.command('Common.Status', {}));
      if (done.header.completionCode !== 'success') throw new Error(`Common.Status: ${done.header.completionCode}`);
      if (i >= WARM_UP) samples.push(performance.now() - began);
      // The test client keeps every message; drop them so the client's memory does not skew the run.
      client.messages.length = 0;
    }
    client.close();
    return samples;
  } finally {
    await stopAllDaemons();
  }
}

async function echoRoundTrips(): Promise<number[]> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  server.on('connection', (socket) => socket.on('message', (data) => socket.send(data.toString())));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('echo server has no address');
  const socket = new WebSocket(`ws://127.0.0.1:${address.port}`);
  await once(socket, 'open');
  const body = JSON.stringify({ header: { name: 'Common.Status', requestId: 1, type: 'command' }, payload: {} });
  const samples: number[] = [];
  for (let i = 0; i < WARM_UP + SAMPLES; i += 1) {
    const began = performance.now();
    const reply = once(socket, 'message');
    socket.send(body);
    await reply;
    if (i >= WARM_UP) samples.push(performance.now() - began);
  }
  socket.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return samples;
}

const ours = summarise(await daemonRoundTrips());
const peer = summarise(await echoRoundTrips());
report('ws.roundTrip.daemon.CommonStatus', 'ms', ours, { target: 'p99 under 5 ms', targetP99: 5, peerName: 'ws.roundTrip.bareEcho', ratio: `${(ours.p50 / peer.p50).toFixed(1)}x a bare ws echo at p50` });
report('ws.roundTrip.bareEcho', 'ms', peer, { note: 'the socket alone: ws echo server in the bench process' });
