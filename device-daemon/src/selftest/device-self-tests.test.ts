import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { delay } from '../core/deadline';
import { FifoQueue } from '../core/fifo-queue';
import { Listeners } from '../core/listeners';
import { err, ok } from '../core/result';
import { CameraFrame } from '../devices/camera/camera-frame';
import type { DeviceNotification, HealthLevel, HealthReport } from '../devices/device';
import type { DeviceStatus } from '../protocol';
import { cameraTarget, idCardReaderTarget, scannerTarget, type CameraUnderTest, type ReaderUnderTest } from './device-self-tests';

const TIMEOUTS = { interactiveMs: 30_000, printMs: 60_000 };
const report = (level: HealthLevel, okay: boolean, text: string): HealthReport => ({ level, ok: okay, text, at: '2026-11-22T02:00:00.000Z' });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A reader whose card comes and goes as the test says, with the driver's notifications. */
function fakeReader(): ReaderUnderTest & { place(): void; readonly checks: HealthLevel[] } {
  const notifications = new Listeners<DeviceNotification>('fake reader');
  let media: 'present' | 'notPresent' = 'notPresent';
  const checks: HealthLevel[] = [];
  const status = (): DeviceStatus => ({ deviceClass: 'idCardReader', common: { device: 'online', devicePosition: 'inPosition' }, idCardReader: { media, sam: 'ok' } });
  return {
    name: 'idCardReader',
    checks,
    queue: new FifoQueue('idCardReader'),
    status,
    subscribe: (listener) => notifications.subscribe(listener),
    async checkHealth(level) {
      checks.push(level);
      return report(level, true, level === 'interactive' ? 'Interactive CheckHealth: read a resident card' : 'External CheckHealth: SAM answered OK');
    },
    read: async () => {
      throw new Error('no card is read in these tests');
    },
    place() {
      media = 'present';
      notifications.emit({ kind: 'statusChanged', event: { device: 'idCardReader', idCardReader: { media: 'present' } } });
    },
  };
}

describe('the ID card reader self-test', () => {
  it('interactive: waits for the technician\'s card, then reads it', async () => {
    const reader = fakeReader();
    const running = idCardReaderTarget(reader, TIMEOUTS).run('interactive', new AbortController().signal);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reader.checks).toEqual([]);
    reader.place();
    expect(await running).toEqual({ outcome: 'passed', text: 'Interactive CheckHealth: read a resident card' });
    expect(reader.checks).toEqual(['interactive']);
  });

  it('interactive: fails, saying so, when no card comes in time', async () => {
    const reader = fakeReader();
    const running = idCardReaderTarget(reader, TIMEOUTS).run('interactive', new AbortController().signal);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await running).toEqual({ outcome: 'failed', text: 'no card presented within 30 s' });
    expect(reader.checks).toEqual([]);
  });

  it('interactive: a cancel ends the wait', async () => {
    const reader = fakeReader();
    const stop = new AbortController();
    const running = idCardReaderTarget(reader, TIMEOUTS).run('interactive', stop.signal);
    stop.abort();
    expect(await running).toEqual({ outcome: 'failed', text: 'canceled before a card was presented' });
  });

  it('external without a card: the SAM round trip only', async () => {
    const reader = fakeReader();
    expect(await idCardReaderTarget(reader, TIMEOUTS).run('external', new AbortController().signal)).toEqual({ outcome: 'passed', text: 'External CheckHealth: SAM answered OK; no card on the reader, none read' });
  });
});

describe('the face camera self-test', () => {
  function fakeCamera(): CameraUnderTest {
    let seq = 0;
    return {
      name: 'faceCamera',
      role: 'face',
      checkHealth: async (level) => report(level, true, 'a new frame arrived'),
      // A frame every 66 ms, as at 15 fps.
      async nextFrame(signal) {
        const waited = await delay(66, signal);
        if (!waited.ok) return err({ code: 'canceled', message: waited.error.message });
        seq += 1;
        return ok(new CameraFrame(Buffer.from([0xff, 0xd8, seq]), seq, seq * 66));
      },
    };
  }

  it('interactive: looks at frames until exactly one face is in one, releasing every frame', async () => {
    const counts = [0, 2, 0, 1];
    const frames: CameraFrame[] = [];
    const running = cameraTarget(
      fakeCamera(),
      async (frame) => {
        frames.push(frame);
        return ok(counts.shift() ?? 0);
      },
      TIMEOUTS,
    ).run('interactive', new AbortController().signal);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await running).toEqual({ outcome: 'passed', text: 'Interactive CheckHealth: one face found in a live frame' });
    expect(frames).toHaveLength(4);
    expect(frames.every((f) => f.wiped)).toBe(true);
  });

  it('interactive: fails with what it last saw when no single face shows in time', async () => {
    const running = cameraTarget(fakeCamera(), async () => ok(2), TIMEOUTS).run('interactive', new AbortController().signal);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await running).toEqual({ outcome: 'failed', text: 'no single face within 30 s (2 faces in the frame)' });
  });

  it('interactive: without the face service there is nothing to look with; a document camera has no interactive test', async () => {
    expect(await cameraTarget(fakeCamera(), undefined, TIMEOUTS).run('interactive', new AbortController().signal)).toEqual({ outcome: 'failed', text: 'the face service is off: no face can be looked for' });
    expect(await cameraTarget({ ...fakeCamera(), role: 'document' }, async () => ok(1), TIMEOUTS).run('interactive', new AbortController().signal)).toEqual({ outcome: 'skipped', text: 'no interactive test for a document camera' });
  });
});

describe('the scanner self-test', () => {
  it('interactive: no scan in time is said plainly', async () => {
    const scanner = {
      name: 'scanner',
      async checkHealth(level: HealthLevel, signal: AbortSignal) {
        await delay(3_600_000, signal);
        return report(level, false, 'Interactive CheckHealth: canceled');
      },
    };
    const running = scannerTarget(scanner, TIMEOUTS).run('interactive', new AbortController().signal);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await running).toEqual({ outcome: 'failed', text: 'no code scanned within 30 s' });
  });
});
