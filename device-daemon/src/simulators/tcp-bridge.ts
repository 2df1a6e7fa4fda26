// Serves a simulator over TCP on loopback: each accepted socket becomes a fresh connection to the
// simulator, so the real TCP transport (network printers on port 9100) runs against it.
import { createServer, type Socket } from 'node:net';
import { err, ok, type Result } from '../core/result';
import type { MemoryConnector } from '../transports/memory-transport';

export interface TcpBridge {
  readonly port: number;
  close(): Promise<void>;
}

export async function serveOverTcp(simulator: MemoryConnector, host: string, port: number): Promise<Result<TcpBridge, string>> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    void simulator.connect(new AbortController().signal).then((connected) => {
      if (!connected.ok) {
        socket.destroy();
        return;
      }
      const end = connected.value;
      end.onData((bytes) => socket.write(bytes));
      end.onClose(() => socket.destroy());
      socket.on('data', (chunk: Buffer) => end.write(chunk));
      socket.on('close', () => end.close());
    });
  });
  const listening = await new Promise<Result<number, string>>((resolve) => {
    server.once('error', (error) => resolve(err(`cannot listen on ${host}:${port}: ${error.message}`)));
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? ok(address.port) : err('no address'));
    });
  });
  if (!listening.ok) return listening;
  return ok({
    port: listening.value,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}
