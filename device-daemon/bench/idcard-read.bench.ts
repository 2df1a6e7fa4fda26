// What the daemon adds on top of the transport for one card read: the whole read (find, select,
// read, additional address, parsing, checks, masking) minus the time each command spent on the
// wire and in the reader. The transport here is the in-memory pair to the virtual SAM; its round
// trips are timed at the transport, so only the daemon's own work remains.
import { silentLogger } from '../src/log/logger';
import { IdCardReader } from '../src/devices/id-card-reader/id-card-reader';
import { maskCard } from '../src/devices/id-card-reader/masking';
import { NoPhotoDecoder } from '../src/devices/id-card-reader/photo-decoder';
import { SamFrameDecoder } from '../src/devices/id-card-reader/sam-frame';
import { TEST_CARDS } from '../src/devices/id-card-reader/test-cards';
import { VirtualSam } from '../src/devices/id-card-reader/virtual-sam';
import { Listeners } from '../src/core/listeners';
import { MemoryTransport } from '../src/transports/memory-transport';
import type { ByteTransport } from '../src/transports/transport';
import { report, summarise } from './stats';

/** Wraps a transport and times each request from its write to the end of its reply frame. */
class TimedTransport implements ByteTransport {
  readonly kind;
  readonly label;
  #sentAt = 0;
  #wire = 0;
  readonly #decoder = new SamFrameDecoder(4);
  readonly #data = new Listeners<Uint8Array>('timed data');

  constructor(private readonly inner: ByteTransport) {
    this.kind = inner.kind;
    this.label = inner.label;
    inner.onData((bytes) => {
      for (const event of this.#decoder.feed(bytes)) if (event.kind === 'frame') this.#wire += performance.now() - this.#sentAt;
      this.#data.emit(bytes);
    });
  }

  takeWireTime(): number {
    const t = this.#wire;
    this.#wire = 0;
    return t;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  open(signal: AbortSignal) {
    return this.inner.open(signal);
  }

  write(bytes: Uint8Array, signal: AbortSignal) {
    this.#sentAt = performance.now();
    return this.inner.write(bytes, signal);
  }

  onData(listener: (bytes: Uint8Array) => void) {
    return this.#data.subscribe(listener);
  }

  onClose(listener: Parameters<ByteTransport['onClose']>[0]) {
    return this.inner.onClose(listener);
  }

  close() {
    return this.inner.close();
  }
}

async function main(): Promise<void> {
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 2_000);
  const sam = new VirtualSam(TEST_CARDS);
  let transport: TimedTransport | undefined;
  const reader = new IdCardReader({
    name: 'idCardReader',
    simulated: true,
    createTransport: () => (transport = new TimedTransport(new MemoryTransport(sam.port, 'memory'))),
    openTimeoutMs: 1_000,
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
    pollIntervalMs: 10_000,
    photoDecoder: new NoPhotoDecoder('idCardReader'),
    photoTimeoutMs: 1_000,
    fingerprint: false,
    information: { modelName: 'bench', revisionNumber: '', modelDescription: '' },
    now: () => new Date(),
    log: silentLogger(),
  });
  reader.open();
  while (reader.status().common.device !== 'online') await new Promise((resolve) => setTimeout(resolve, 5));
  const overhead: number[] = [];
  const total: number[] = [];
  const wire: number[] = [];
  const signal = new AbortController().signal;
  for (let i = 0; i < iterations + 200; i += 1) {
    sam.control({ action: 'remove' });
    sam.control({ action: 'place', card: TEST_CARDS[i % TEST_CARDS.length]?.id ?? 'resident' });
    transport?.takeWireTime();
    const started = performance.now();
    const read = await reader.read(signal, false);
    if (!read.ok) throw new Error(`read failed: ${read.error.description}`);
    maskCard(read.value.record, read.value.expired);
    const elapsed = performance.now() - started;
    const onWire = transport?.takeWireTime() ?? 0;
    // The first 200 reads warm the JIT up and are not counted.
    if (i >= 200) {
      total.push(elapsed);
      wire.push(onWire);
      overhead.push(elapsed - onWire);
    }
  }
  await reader.close();
  report('idcard.read.daemonOverhead', 'ms', summarise(overhead), { target: 'p50 at most 5 ms (PRODUCT.md section 7)' });
  report('idcard.read.total', 'ms', summarise(total));
  report('idcard.read.transport', 'ms', summarise(wire));
}

void main();
