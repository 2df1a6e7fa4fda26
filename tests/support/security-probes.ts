// Probes for the security tests: raw HTTP requests whose path and headers go on the wire exactly as
// written (fetch and http.request normalise or refuse them), the address a port listens on as the
// kernel reports it, and the hostile strings fed to every input that reaches SQL.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

export interface RawReply {
  readonly status: number;
  readonly head: string;
  readonly body: Buffer;
}

/** One HTTP/1.1 request over a fresh socket; the path is sent byte for byte (latin1). */
export function rawRequest(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const lines = [`${method} ${path} HTTP/1.1`, ...Object.entries({ host: `127.0.0.1:${port}`, connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`)];
    socket.once('connect', () => socket.write(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('close', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split < 0 ? all.length : split).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split < 0 ? Buffer.alloc(0) : all.subarray(split + 4) });
    });
  });
}

/** The local addresses listening on `port`, from /proc/net/tcp and tcp6 (hex as the kernel writes it). */
export function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [address, portHex] = (cols[1] ?? '').split(':');
      // 0A is TCP_LISTEN.
      if (cols[3] === '0A' && portHex !== undefined && Number.parseInt(portHex, 16) === port && address !== undefined) found.push(decodeAddress(address));
    }
  }
  return found;
}

function decodeAddress(hex: string): string {
  if (hex.length === 8) return [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');
  // IPv6: four little-endian 32-bit words.
  const words = [0, 8, 16, 24].map((i) => hex.slice(i, i + 8).match(/../g)?.reverse().join('') ?? '');
  return words.join('').match(/..../g)?.join(':').toLowerCase() ?? hex;
}

/** Classic SQL injection and LIKE-wildcard strings, odd quotes, NUL, and length. */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '1; DROP TABLE payment_orders; --',
  "'); DELETE FROM outbox; --",
  '" OR ""="',
  '%',
  '_',
  '%%__%%',
  '\u2018 OR \u20181\u2019=\u20191',
  '\uff07 OR \uff071\uff07=\uff071',
  'A\u0000B',
  '\u0000',
  '*/ UNION SELECT * FROM print_jobs /*',
  'x'.repeat(100_000),
  '林志远\u0027--',
];
