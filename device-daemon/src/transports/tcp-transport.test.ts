import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortReason } from '../core/deadline';
import { TcpTransport } from './tcp-transport';
import type { TransportError } from './transport';

const signal = new AbortController().signal;
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

function listen(onSocket: (socket: Socket) => void): Promise<number> {
  server = createServer(onSocket);
  return new Promise((resolve) => {
    server?.listen(0, '127.0.0.1', () => {
      const address = server?.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function nextData(transport: TcpTransport): Promise<number[]> {
  return new Promise((resolve) => {
    const stop = transport.onData((bytes) => {
      stop();
      resolve([...bytes]);
    });
  });
}

describe('TcpTransport', () => {
  it('talks to a peer over loopback and notices when the peer goes away', async () => {
    let peer: Socket | undefined;
    const port = await listen((socket) => {
      peer = socket;
      socket.on('data', (chunk) => socket.write(chunk.reverse()));
    });
    const transport = new TcpTransport({ host: '127.0.0.1', port });
    expect((await transport.open(signal)).ok).toBe(true);
    const reply = nextData(transport);
    expect((await transport.write(Uint8Array.of(1, 2, 3), signal)).ok).toBe(true);
    expect(await reply).toEqual([3, 2, 1]);
    const dropped = new Promise<TransportError | undefined>((resolve) => transport.onClose(resolve));
    peer?.destroy();
    expect((await dropped)?.code).toBe('closed');
    expect(transport.isOpen).toBe(false);
  });

  it('reports a refused connection as notFound, and a clean close without error', async () => {
    const port = await listen(() => undefined);
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    await closed;
    const refused = await new TcpTransport({ host: '127.0.0.1', port }).open(signal);
    expect(refused.ok ? 'open' : refused.error.code).toBe('notFound');

    const port2 = await listen(() => undefined);
    const transport = new TcpTransport({ host: '127.0.0.1', port: port2 });
    await transport.open(signal);
    const closedWith = new Promise<TransportError | undefined>((resolve) => transport.onClose(resolve));
    await transport.close();
    expect(await closedWith).toBeUndefined();
  });

  it('gives up opening when its signal aborts', async () => {
    const c = new AbortController();
    c.abort(new AbortReason('timeout', 'open took too long'));
    const result = await new TcpTransport({ host: '127.0.0.1', port: 9 }).open(c.signal);
    expect(result.ok ? 'open' : result.error.code).toBe('canceled');
  });
});
