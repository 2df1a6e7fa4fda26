import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../core/bytes';
import { ok } from '../../core/result';
import { silentLogger } from '../../log/logger';
import type { MemoryEndpoint } from '../../transports/memory-transport';
import { SamClient } from './sam-client';
import { SAM_COMMANDS } from './sam-commands';
import { IDR_ENDPOINTS, SamUsbTransport, type BulkDevice } from './sam-usb-transport';
import { TEST_CARDS } from './test-cards';
import { VirtualSam } from './virtual-sam';

const signal = new AbortController().signal;

/** An iDR200-style device: header and body on separate endpoints, in front of the virtual SAM. */
class FakeIdr implements BulkDevice {
  readonly outgoing: { endpoint: number; length: number }[] = [];
  #header: Uint8Array | undefined;
  readonly #queues = new Map<number, number[]>([
    [1, []],
    [5, []],
  ]);
  #waiters: (() => void)[] = [];

  constructor(private readonly sam: MemoryEndpoint) {
    sam.onData((frame) => {
      this.#queues.get(1)?.push(...frame.subarray(0, 7));
      this.#queues.get(5)?.push(...frame.subarray(7));
      this.#waiters.splice(0).forEach((w) => w());
    });
  }

  async transferOut(endpoint: number, data: Uint8Array): Promise<{ status: string }> {
    this.outgoing.push({ endpoint, length: data.length });
    if (endpoint === 2) this.#header = Uint8Array.from(data);
    else if (endpoint === 6 && this.#header) this.sam.write(concatBytes(this.#header, data));
    return { status: 'ok' };
  }

  async transferIn(endpoint: number, length: number): Promise<{ status: string; data: DataView }> {
    const queue = this.#queues.get(endpoint) ?? [];
    while (queue.length === 0) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    const bytes = Uint8Array.from(queue.splice(0, Math.min(length, 64)));
    return { status: 'ok', data: new DataView(bytes.buffer) };
  }

  async close(): Promise<void> {
    this.sam.close();
  }
}

describe('SamUsbTransport', () => {
  it('splits each frame into header and body endpoints and joins replies back', async () => {
    const sam = new VirtualSam(TEST_CARDS);
    sam.control({ action: 'place', card: 'resident' });
    const connected = await sam.port.connect(signal);
    if (!connected.ok) throw new Error(connected.error.message);
    const device = new FakeIdr(connected.value);
    const transport = new SamUsbTransport(async () => ok(device), IDR_ENDPOINTS, 'usb 0400:c35a (split endpoints)');
    expect((await transport.open(signal)).ok).toBe(true);
    const client = new SamClient(silentLogger());
    client.attach(transport);
    const status = await client.call(SAM_COMMANDS.samStatus, signal);
    expect(status.ok && status.value.sw3).toBe(0x90);
    expect(device.outgoing.slice(0, 2)).toEqual([
      { endpoint: 2, length: 7 },
      { endpoint: 6, length: 3 },
    ]);
    expect((await client.call(SAM_COMMANDS.findCard, signal)).ok).toBe(true);
    expect((await client.call(SAM_COMMANDS.selectCard, signal)).ok).toBe(true);
    // 1295 bytes of reply come back over 64-byte packets on 0x81 and 0x85.
    const read = await client.call(SAM_COMMANDS.readText, signal);
    expect(read.ok && [read.value.sw3, read.value.data.length]).toEqual([0x90, 4 + 256 + 1024]);
    await transport.close();
  });

  it('refuses to write something that is not a whole frame', async () => {
    const transport = new SamUsbTransport(async () => ok(new FakeIdr({ write: () => undefined, onData: () => () => undefined, onClose: () => () => undefined, close: () => undefined, isOpen: true })), IDR_ENDPOINTS, 'usb');
    await transport.open(signal);
    const written = await transport.write(Uint8Array.of(0xaa, 0xaa), signal);
    expect(written.ok ? 'written' : written.error.code).toBe('invalidConfig');
    await transport.close();
  });
});
