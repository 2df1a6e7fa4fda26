import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../log/logger';
import { MemoryTransport } from '../../transports/memory-transport';
import type { DeviceNotification } from '../device';
import { IdCardReader } from './id-card-reader';
import { NoPhotoDecoder } from './photo-decoder';
import { TEST_CARDS } from './test-cards';
import { VirtualSam, type VirtualSamControl } from './virtual-sam';

const NOW = new Date('2026-11-22T04:00:00Z');

function rig(options: { photo?: 'simulated' | 'none' } = {}) {
  const sam = new VirtualSam(TEST_CARDS, 'sam');
  const reader = new IdCardReader({
    name: 'idCardReader',
    simulated: true,
    createTransport: () => new MemoryTransport(sam.port, 'memory sam'),
    openTimeoutMs: 1_000,
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
    pollIntervalMs: 500,
    photoDecoder: options.photo === 'none' ? new NoPhotoDecoder('idCardReader') : sam.photoDecoder(),
    photoTimeoutMs: 3_000,
    fingerprint: true,
    information: { modelName: 'test reader', revisionNumber: '', modelDescription: '' },
    now: () => NOW,
    log: silentLogger(),
  });
  const notes: DeviceNotification[] = [];
  reader.subscribe((n) => notes.push(n));
  reader.open();
  const control = (c: VirtualSamControl): void => {
    const applied = sam.control(c);
    if (!applied.ok) throw new Error(applied.error);
  };
  return { sam, reader, notes, control };
}

const settle = (): Promise<void> => vi.advanceTimersByTimeAsync(0).then(() => undefined);
const events = (notes: DeviceNotification[]) => notes.flatMap((n) => (n.kind === 'event' ? [`${n.name}${n.payload.readId ? ' with readId' : ''}`] : []));
const faults = (notes: DeviceNotification[]) => notes.flatMap((n) => (n.kind === 'error' ? [`${n.event.action}: ${n.event.vendorDescription}`] : []));

describe('IdCardReader against the virtual SAM', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] }));
  afterEach(() => vi.useRealTimers());

  it('comes online with the SAM id as its serial number', async () => {
    const { reader } = rig();
    await settle();
    // The first look for a card comes at once.
    expect(reader.status()).toEqual({ deviceClass: 'idCardReader', common: { device: 'online', devicePosition: 'inPosition' }, idCardReader: { media: 'notPresent', sam: 'ok' } });
    expect(reader.capabilities().common.deviceInformation[0]?.serialNumber).toBe('05.02-123456789-0012345678-0073301937');
    await reader.close();
  });

  it('announces a card when it is placed and when it is taken away, polling every 500 ms', async () => {
    const { reader, notes, control, sam } = rig();
    await settle();
    await vi.advanceTimersByTimeAsync(500);
    const before = sam.state().commands;
    await vi.advanceTimersByTimeAsync(2_000);
    // Four polls in two seconds: never faster than the interval.
    expect(sam.state().commands - before).toBe(4);
    control({ action: 'place', card: 'resident' });
    await vi.advanceTimersByTimeAsync(500);
    expect(events(notes)).toEqual(['IdCard.CardInserted']);
    expect(reader.status().idCardReader?.media).toBe('present');
    control({ action: 'remove' });
    await vi.advanceTimersByTimeAsync(500);
    expect(events(notes)).toEqual(['IdCard.CardInserted', 'IdCard.CardRemoved']);
    expect(reader.status().idCardReader?.media).toBe('notPresent');
    await reader.close();
  });

  it('reads a card, keeps the read while it stays, and wipes it when the card leaves', async () => {
    const { reader, notes, control } = rig();
    await settle();
    control({ action: 'place', card: 'resident' });
    const read = await read_(reader);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const session = read.value;
    expect(session.record).toMatchObject({ type: 'resident', name: '张伟明', sex: '男', nation: '汉', birthDate: '1985-04-09', idNumber: '330106198504091230', validFrom: '2015-06-01', validTo: '2035-06-01' });
    expect(session.expired).toBe(false);
    expect(session.photo?.rgb.length).toBe(102 * 126 * 3);
    expect(session.photo?.rgb.some((b) => b !== 0)).toBe(true);
    expect(reader.session(session.readId)).toBe(session);
    // Still there: polls check with 30 03 and a second read gives the same read.
    await vi.advanceTimersByTimeAsync(1_500);
    const again = await read_(reader);
    expect(again.ok && again.value.readId).toBe(session.readId);
    control({ action: 'remove' });
    await vi.advanceTimersByTimeAsync(500);
    expect(events(notes)).toEqual(['IdCard.CardInserted', 'IdCard.CardRemoved with readId']);
    expect(reader.session(session.readId)).toBeUndefined();
    expect(session.photo?.rgb.every((b) => b === 0)).toBe(true);
    await reader.close();
  });

  it('reads all four layouts', async () => {
    const { reader, control } = rig();
    await settle();
    const seen: string[] = [];
    for (const id of ['resident', 'hmt', 'foreign-2017', 'foreign-2023']) {
      control({ action: 'remove' });
      await vi.advanceTimersByTimeAsync(500);
      control({ action: 'place', card: id });
      const read = await read_(reader);
      expect(read.ok, id).toBe(true);
      if (read.ok) seen.push(`${read.value.record.type} ${read.value.record.englishName ?? read.value.record.name} ${read.value.record.idNumber}`);
    }
    expect(seen).toEqual([
      'resident 张伟明 330106198504091230',
      'hmtPermit 陈家豪 810000199007210070',
      'foreignPermanent2017 SMITH, JOHN ROBERT USA310085030101',
      'foreignPermanent2023 GARCIA LOPEZ, MARIA DEL CARMEN ISABELLA 931724198812050025',
    ]);
    await reader.close();
  });

  it('reports an expired card as expired, a long-term one with its additional address, and the fingerprint block', async () => {
    const { reader, control } = rig();
    await settle();
    control({ action: 'place', card: 'expired' });
    const expired = await read_(reader);
    expect(expired.ok && [expired.value.expired, expired.value.checks.notExpired]).toEqual([true, 'fail']);
    control({ action: 'remove' });
    await vi.advanceTimersByTimeAsync(500);
    control({ action: 'place', card: 'long-term' });
    const longTerm = await read_(reader);
    expect(longTerm.ok && [longTerm.value.record.validTo, longTerm.value.record.newAddress]).toEqual(['长期', '浙江省杭州市西湖区示例路8号']);
    control({ action: 'remove' });
    await vi.advanceTimersByTimeAsync(500);
    control({ action: 'place', card: 'resident' });
    const withPrint = await reader.queue.run((s) => reader.read(s, true), new AbortController().signal);
    expect(withPrint.ok && withPrint.value.ok && withPrint.value.value.fingerprint?.length).toBe(1024);
    await reader.close();
  });

  it('answers noCard when there is none, and reads fine despite stray bytes and split frames', async () => {
    const { reader, control } = rig();
    await settle();
    const none = await read_(reader);
    expect(none.ok ? 'read' : [none.error.completionCode, none.error.errorCode]).toEqual(['commandErrorCode', 'noCard']);
    control({ action: 'fault', fault: 'strayBytes', on: true });
    control({ action: 'fault', fault: 'splitFrames', on: true });
    control({ action: 'place', card: 'foreign-2023' });
    const read = await read_(reader);
    expect(read.ok && read.value.record.type).toBe('foreignPermanent2023');
    await reader.close();
  });

  it('gives clear error codes for a corrupted line, garbage, silence, a pulled card and a SAM fault, and recovers', async () => {
    const { reader, control, notes } = rig();
    await settle();
    control({ action: 'place', card: 'resident' });
    const codeOf = async (): Promise<string> => {
      const pending = read_(reader);
      await vi.advanceTimersByTimeAsync(3_000);
      const r = await pending;
      return r.ok ? 'read' : `${r.error.completionCode}/${r.error.errorCode}`;
    };
    control({ action: 'fault', fault: 'badChecksum', on: true });
    expect(await codeOf()).toBe('hardwareError/checksumError');
    control({ action: 'clearFaults' });
    control({ action: 'fault', fault: 'garbage', on: true });
    expect(await codeOf()).toBe('hardwareError/noResponse');
    control({ action: 'clearFaults' });
    control({ action: 'fault', fault: 'silent', on: true });
    expect(await codeOf()).toBe('hardwareError/noResponse');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reader.status().common.device).toBe('offline');
    control({ action: 'clearFaults' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reader.status().common.device).toBe('online');
    control({ action: 'fault', fault: 'readFailed', on: true });
    expect(await codeOf()).toBe('commandErrorCode/readFailed');
    control({ action: 'clearFaults' });
    control({ action: 'fault', fault: 'pullMidRead', on: true });
    expect(await codeOf()).toBe('commandErrorCode/readFailed');
    expect(await codeOf()).toBe('commandErrorCode/noCard');
    control({ action: 'clearFaults' });
    control({ action: 'fault', fault: 'samNotAuthorised', on: true });
    control({ action: 'place', card: 'resident' });
    expect(await codeOf()).toBe('hardwareError/samNotAuthorised');
    expect(reader.status().common.device).toBe('hardwareError');
    control({ action: 'clearFaults' });
    control({ action: 'fault', fault: 'samSelfTestFailed', on: true });
    await vi.advanceTimersByTimeAsync(500);
    expect(reader.status()).toMatchObject({ common: { device: 'hardwareError' }, idCardReader: { sam: 'inoperable' } });
    expect(faults(notes)).toContain('maintenance: the SAM failed its self-test and accepts no commands (0x60)');
    control({ action: 'clearFaults' });
    await vi.advanceTimersByTimeAsync(500);
    expect(reader.status().common.device).toBe('online');
    // After all that, the next card reads fine.
    const fine = await read_(reader);
    expect(fine.ok && fine.value.record.name).toBe('张伟明');
    await reader.close();
  });

  it('survives slow answers within the command timeouts', async () => {
    // No photo decoding here: the fixture picture is decoded on a real thread, outside fake time.
    const { reader, control } = rig({ photo: 'none' });
    await settle();
    control({ action: 'place', card: 'hmt' });
    control({ action: 'latency', ms: 250 });
    const pending = read_(reader);
    await vi.advanceTimersByTimeAsync(2_000);
    const read = await pending;
    expect(read.ok && read.value.record.type).toBe('hmtPermit');
    await reader.close();
  });

  it('refuses corrupted card data with unknownCardType or invalidCardData', async () => {
    const { reader, control } = rig();
    await settle();
    control({ action: 'place', card: 'resident' });
    const attempt = async (fault: 'unknownCardType' | 'badUtf16' | 'badCheckDigit'): Promise<string> => {
      control({ action: 'clearFaults' });
      control({ action: 'remove' });
      await vi.advanceTimersByTimeAsync(500);
      control({ action: 'place', card: 'resident' });
      control({ action: 'fault', fault, on: true });
      const r = await read_(reader);
      return r.ok ? 'read' : `${r.error.errorCode}: ${r.error.description}`;
    };
    expect(await attempt('unknownCardType')).toBe("unknownCardType: type character 'X' at byte 248 is not a known card layout");
    expect(await attempt('badUtf16')).toBe('invalidCardData: name is not valid UTF-16');
    expect(await attempt('badCheckDigit')).toMatch(/^invalidCardData: card data failed its checks: idNumberCheckDigit failed/);
    await reader.close();
  });

  it('keeps the card data usable when no photo decoder is configured', async () => {
    const { reader, control } = rig({ photo: 'none' });
    await settle();
    control({ action: 'place', card: 'resident' });
    const read = await read_(reader);
    expect(read.ok && [read.value.photo, read.value.photoError?.code, read.value.record.name]).toEqual([undefined, 'notConfigured', '张伟明']);
    await reader.close();
  });

  it('reports noDevice when unplugged, drops the read, and comes back when replugged', async () => {
    const { reader, control, notes } = rig();
    await settle();
    control({ action: 'place', card: 'resident' });
    const read = await read_(reader);
    expect(read.ok).toBe(true);
    control({ action: 'unplug' });
    await settle();
    expect(reader.status().common.device).toBe('noDevice');
    expect(events(notes)).toContain('IdCard.CardRemoved with readId');
    control({ action: 'plug' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reader.status().common.device).toBe('online');
    await reader.close();
  });

  it('ends a read on the wire with notConnected when the cable is pulled, without waiting out the reply timeout', async () => {
    const { reader, control } = rig({ photo: 'none' });
    await settle();
    control({ action: 'place', card: 'resident' });
    control({ action: 'latency', ms: 250 });
    const pending = read_(reader);
    await vi.advanceTimersByTimeAsync(0);
    control({ action: 'unplug' });
    await vi.advanceTimersByTimeAsync(0);
    const read = await pending;
    expect(read.ok ? 'read' : [read.error.completionCode, read.error.errorCode]).toEqual(['deviceNotReady', 'notConnected']);
    await reader.close();
  });

  it('answers internal, external and interactive health checks', async () => {
    const { reader, control } = rig();
    await settle();
    expect((await reader.checkHealth('internal', new AbortController().signal)).ok).toBe(true);
    expect(await reader.checkHealth('external', new AbortController().signal)).toMatchObject({ ok: true, text: 'External CheckHealth: SAM answered OK (05.02-123456789-0012345678-0073301937)' });
    const nothing = await reader.checkHealth('interactive', new AbortController().signal);
    expect([nothing.ok, nothing.text]).toEqual([false, 'Interactive CheckHealth: no card on the reader (0x80)']);
    control({ action: 'place', card: 'foreign-2017' });
    expect(await reader.checkHealth('interactive', new AbortController().signal)).toMatchObject({ ok: true, text: 'Interactive CheckHealth: read a foreignPermanent2017 card' });
    await reader.close();
  });
});

function read_(reader: IdCardReader) {
  return reader.queue.run((s) => reader.read(s, false), new AbortController().signal).then((r) => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
}
