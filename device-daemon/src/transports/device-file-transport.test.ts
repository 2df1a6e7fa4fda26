import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeviceFileTransport } from './device-file-transport';
import type { TransportError } from './transport';

const signal = new AbortController().signal;

describe('DeviceFileTransport', () => {
  it('writes to and reads from a device file opened non-blocking (a FIFO stands in for usblp)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kiosk-lp-')), 'lp0');
    execFileSync('mkfifo', [path]);
    const transport = new DeviceFileTransport({ path, pollMs: 5 });
    expect((await transport.open(signal)).ok).toBe(true);
    const received: number[] = [];
    const got = new Promise<void>((resolve) =>
      transport.onData((bytes) => {
        received.push(...bytes);
        if (received.length >= 3) resolve();
      }),
    );
    // A FIFO opened for reading and writing hands our own bytes back: the read path is exercised.
    expect((await transport.write(Uint8Array.of(0x10, 0x04, 0x01), signal)).ok).toBe(true);
    await got;
    expect(received).toEqual([0x10, 0x04, 0x01]);
    const closed = new Promise<TransportError | undefined>((resolve) => transport.onClose(resolve));
    await transport.close();
    expect(await closed).toBeUndefined();
  });

  it('reports a missing printer as notFound', async () => {
    const result = await new DeviceFileTransport({ path: '/dev/usb/lp-none' }).open(signal);
    expect(result.ok ? 'open' : result.error.code).toBe('notFound');
  });
});
