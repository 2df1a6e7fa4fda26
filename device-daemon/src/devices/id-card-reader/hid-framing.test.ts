import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log/logger';
import { SimulatedPort } from '../../simulators/simulated-port';
import { MemoryTransport } from '../../transports/memory-transport';
import { FramedHidTransport } from './hid-framing';
import { SamClient } from './sam-client';
import { SAM_COMMANDS } from './sam-commands';
import { TEST_CARDS } from './test-cards';
import { VirtualSam } from './virtual-sam';

const signal = new AbortController().signal;

// A made-up vendor framing: 64-byte reports, the first byte saying how many SAM bytes follow.
const FRAMING = `
export function createFraming() {
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

function moduleFile(source: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kiosk-hid-')), 'framing.mjs');
  writeFileSync(path, source);
  return path;
}

describe('FramedHidTransport', () => {
  it('carries SAM frames in the reports a framing module defines', async () => {
    const sam = new VirtualSam(TEST_CARDS);
    const toSam = new MemoryTransport(sam.port, 'memory sam');
    await toSam.open(signal);
    // The "HID device": unwraps reports to the SAM, wraps the SAM's replies into reports.
    const hidDevice = new SimulatedPort('hid reader');
    const reports: number[] = [];
    hidDevice.onConnection((end) => {
      end.onData((report) => {
        reports.push(report.length);
        void toSam.write(report.subarray(1, 1 + (report[0] ?? 0)), signal);
      });
      toSam.onData((bytes) => {
        const report = new Uint8Array(64);
        report[0] = bytes.length;
        report.set(bytes, 1);
        end.write(report);
      });
    });
    const transport = new FramedHidTransport(new MemoryTransport(hidDevice, 'memory hid'), moduleFile(FRAMING));
    expect((await transport.open(signal)).ok).toBe(true);
    const client = new SamClient(silentLogger());
    client.attach(transport);
    const status = await client.call(SAM_COMMANDS.samStatus, signal);
    expect(status.ok && status.value.sw3).toBe(0x90);
    expect(reports).toEqual([64]);
    await transport.close();
  });

  it('says what is wrong with a framing module that does not fit', async () => {
    const bad = new FramedHidTransport(new MemoryTransport(new SimulatedPort('x'), 'm'), moduleFile('export const nothing = 1;'));
    const opened = await bad.open(signal);
    expect(opened.ok ? 'open' : opened.error).toEqual({ code: 'driverUnavailable', message: expect.stringMatching(/does not export createFraming\(\)$/) });
    const missing = await new FramedHidTransport(new MemoryTransport(new SimulatedPort('x'), 'm'), '/nonexistent/framing.mjs').open(signal);
    expect(missing.ok ? 'open' : missing.error.code).toBe('driverUnavailable');
  });
});
