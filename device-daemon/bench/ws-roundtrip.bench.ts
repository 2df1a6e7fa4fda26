// A WebSocket command round trip on loopback, send to completion, one command at a time: against
// the built daemon (a child process on the tests' full default simulated site) for Common.Status
// (served from cache) and Printer.PrintRaw of ESC @ (through the receipt printer's queue, the
// virtual printer's GS r confirmation and the status refresh after it). The peer is a bare `ws`
// server in this process that answers each command with an acknowledge and a completion of the
// same size as the daemon's, so the ratio is the daemon's cost over the socket itself.
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { startDaemon, stopAllDaemons } from '../../tests/support/daemon-process';
import { report, summarise } from './stats';
import { RttClient } from './ws-rtt-client';

const SAMPLES = Number(process.env.BENCH_WS_SAMPLES ?? 5_000);
const WARMUP = Number(process.env.BENCH_WS_WARMUP ?? 500);
const TARGET = 'p99 under 5 ms (PRODUCT.md section 7)';
// ESC @: initialises the printer; no paper is used, so thousands of them do not fill the roll.
const ESC_AT = Buffer.from([0x1b, 0x40]).toString('base64');

const completionSchema = z.object({ header: z.object({ completionCode: z.string() }).passthrough(), payload: z.unknown() });

function expectSuccess(what: string): (raw: string) => void {
  return (raw) => {
    const parsed = completionSchema.parse(JSON.parse(raw));
    if (parsed.header.completionCode !== 'success') throw new Error(`${what} completed ${parsed.header.completionCode}: ${raw.slice(0, 300)}`);
  };
}

/** A server that does nothing but parse the command and answer like the daemon with `body`. */
async function peerServer(bodies: Record<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
  const templates = new Map(Object.entries(bodies).map(([name, raw]) => [name, completionSchema.parse(JSON.parse(raw))]));
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const commandSchema = z.object({ header: z.object({ name: z.string(), requestId: z.number() }) });
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const command = commandSchema.parse(JSON.parse(data.toString()));
      const { name, requestId } = command.header;
      const template = templates.get(name);
      socket.send(JSON.stringify({ header: { name, requestId, type: 'acknowledge', status: null } }));
      socket.send(JSON.stringify({ header: { ...template?.header, requestId }, payload: template?.payload ?? {} }));
    });
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('peer server has no address');
  return {
    url: `ws://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

let peer: { close: () => Promise<void> } | undefined;
try {
  const daemon = await startDaemon();
  const client = await RttClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  const statusBody = await client.send('Common.Status', {});
  const printBody = await client.send('Printer.PrintRaw', { data: ESC_AT });
  expectSuccess('Common.Status')(statusBody);
  expectSuccess('Printer.PrintRaw')(printBody);

  const status = summarise(await client.time('Common.Status', {}, SAMPLES, WARMUP, expectSuccess('Common.Status')));
  const print = summarise(await client.time('Printer.PrintRaw', { data: ESC_AT }, SAMPLES, WARMUP, expectSuccess('Printer.PrintRaw')));
  await client.close();

  const bare = await peerServer({ 'Common.Status': statusBody, 'Printer.PrintRaw': printBody });
  peer = bare;
  const peerClient = await RttClient.connect(bare.url);
  const peerStatus = summarise(await peerClient.time('Common.Status', {}, SAMPLES, WARMUP));
  const peerPrint = summarise(await peerClient.time('Printer.PrintRaw', { data: ESC_AT }, SAMPLES, WARMUP));
  await peerClient.close();

  const ratio = (ours: number, theirs: number): number => Math.round((ours / theirs) * 10) / 10;
  const bytes = (raw: string): number => Buffer.byteLength(raw);
  report('ws.roundTrip.commonStatus.daemon', 'ms', status, {
    target: TARGET,
    peer: 'ws.roundTrip.commonStatus.bareWs',
    ratioP50: ratio(status.p50, peerStatus.p50),
    ratioP99: ratio(status.p99, peerStatus.p99),
    completionBytes: bytes(statusBody),
    note: `every device's status from cache; completion ${bytes(statusBody)} bytes; ${WARMUP} warm-up trips not counted`,
  });
  report('ws.roundTrip.commonStatus.bareWs', 'ms', peerStatus, { note: 'bare ws server in the bench process: parse, acknowledge, same-size completion' });
  report('ws.roundTrip.printerQueue.daemon', 'ms', print, {
    target: TARGET,
    peer: 'ws.roundTrip.printerQueue.bareWs',
    ratioP50: ratio(print.p50, peerPrint.p50),
    ratioP99: ratio(print.p99, peerPrint.p99),
    note: 'Printer.PrintRaw of ESC @: the printer queue, the virtual printer\'s GS r confirmation, the status refresh (DLE EOT)',
  });
  report('ws.roundTrip.printerQueue.bareWs', 'ms', peerPrint, { note: 'the same bare ws server answering the same completion' });
} finally {
  await peer?.close();
  await stopAllDaemons();
}
