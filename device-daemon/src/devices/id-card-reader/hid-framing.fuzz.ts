// Fuzz target of HID readers' input: reports through a framing module (a length-prefixed one like a
// vendor's, and a careless one that returns odd values) into the SAM frame decoder, as the reader
// stacks them. Nothing throws or is reported as a bug, the decoder stays bounded, and a clean frame
// sent in reports after the garbage comes out.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBugReporter, type Unsubscribe } from '../../core/listeners';
import { OK_VOID } from '../../core/result';
import { bytesFrom, expectThat, int, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import type { ByteTransport, TransportError } from '../../transports/transport';
import { FramedHidTransport, loadFraming } from './hid-framing';
import { encodeFrame, MAX_BUFFER, SamFrameDecoder } from './sam-frame';

const VENDOR = `export function createFraming() {
  return {
    toReports(frame) {
      const reports = [];
      for (let i = 0; i < frame.length; i += 63) {
        const chunk = frame.subarray(i, i + 63);
        const report = new Uint8Array(64);
        report[0] = chunk.length;
        report.set(chunk, 1);
        reports.push(report);
      }
      return reports;
    },
    fromReport(report) { return report.subarray(1, 1 + report[0]); },
  };
}`;

// Returns whatever a buggy module might: arrays, strings, undefined, views past the report.
const CARELESS = `export function createFraming() {
  return {
    toReports(frame) { return frame.length % 2 === 0 ? [frame, 'x', null] : 'nope'; },
    fromReport(report) {
      const k = report.length === 0 ? 0 : report[0] % 6;
      if (k === 0) return Array.from(report);
      if (k === 1) return 'bytes';
      if (k === 2) return undefined;
      if (k === 3) return new Uint8Array(report.buffer, 0, report.buffer.byteLength);
      if (k === 4) return Buffer.from(report).subarray(2);
      return report.subarray(1);
    },
  };
}`;

/** The driver's side of a HID device, fed by the fuzzer: listeners called directly so a throw shows. */
class FuzzHid implements ByteTransport {
  readonly kind = 'hid' as const;
  readonly label = 'fuzz hid';
  readonly isOpen = true;
  readonly #data: ((bytes: Uint8Array) => void)[] = [];
  open = (): Promise<typeof OK_VOID> => Promise.resolve(OK_VOID);
  write = (): Promise<typeof OK_VOID> => Promise.resolve(OK_VOID);
  close = (): Promise<void> => Promise.resolve();
  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    this.#data.push(listener);
    return () => undefined;
  }
  onClose(_listener: (error: TransportError | undefined) => void): Unsubscribe {
    return () => undefined;
  }
  deliver(report: Uint8Array): void {
    for (const listener of this.#data) listener(report);
  }
}

let dir = '';
const modules = { vendor: '', careless: '' };
const bugs: string[] = [];
const signal = new AbortController().signal;
const GOOD = encodeFrame(Uint8Array.of(0x00, 0x00, 0x90));

export interface HidFramingInput {
  readonly careless: boolean;
  readonly reports: readonly Uint8Array[];
}

function generate(random: Random): HidFramingInput {
  const samples = [encodeFrame(Uint8Array.of(0x00, 0x00, 0x90, 0x01)), GOOD, Uint8Array.of(3, 0xaa, 0xaa, 0x96, 0x69)];
  const count = 1 + int(random, 40);
  const reports: Uint8Array[] = [];
  for (let r = 0; r < count; r += 1) {
    const body = bytesFrom(random, samples, 70);
    const report = random() < 0.7 ? new Uint8Array(64) : new Uint8Array(int(random, 80));
    report[0] = random() < 0.7 ? Math.min(body.length, 63) : int(random, 256);
    report.set(body.subarray(0, Math.max(0, report.length - 1)), Math.min(1, report.length));
    reports.push(report);
  }
  return { careless: random() < 0.2, reports };
}

async function check(input: HidFramingInput): Promise<void> {
  bugs.length = 0;
  const hid = new FuzzHid();
  const framed = new FramedHidTransport(hid, input.careless ? modules.careless : modules.vendor);
  const opened = await framed.open(signal);
  expectThat(opened.ok, 'the framing module did not load');
  const decoder = new SamFrameDecoder(4);
  let found = 0;
  framed.onData((bytes) => {
    for (const event of decoder.feed(bytes)) if (event.kind === 'frame' && event.body[2] === 0x90) found += 1;
    expectThat(decoder.buffered <= MAX_BUFFER, `decoder holds ${decoder.buffered} bytes`);
  });
  for (const report of input.reports) hid.deliver(report);
  expectThat(bugs.length === 0, `reported as a bug: ${bugs[0]}`);
  if (input.careless) return;
  const framing = await loadFraming(modules.vendor);
  expectThat(framing.ok, 'vendor framing did not load');
  const before = found;
  for (const report of framing.value.toReports(new Uint8Array(MAX_BUFFER))) hid.deliver(report);
  for (const report of framing.value.toReports(GOOD)) hid.deliver(report);
  expectThat(found > before, 'the clean frame after the input was not found');
}

export const hidFramingTarget: FuzzTarget<HidFramingInput> = {
  name: 'hid-framing',
  setup() {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-fuzz-hid-'));
    modules.vendor = join(dir, 'vendor.mjs');
    modules.careless = join(dir, 'careless.mjs');
    writeFileSync(modules.vendor, VENDOR);
    writeFileSync(modules.careless, CARELESS);
    setBugReporter((error, where) => bugs.push(`${where}: ${error instanceof Error ? error.message : String(error)}`));
  },
  teardown() {
    rmSync(dir, { recursive: true, force: true });
    setBugReporter((error, where) => console.error(`bug in ${where}:`, error));
  },
  generate,
  check,
  show: (input) => JSON.stringify({ careless: input.careless, reports: input.reports.map(toHex) }),
};
