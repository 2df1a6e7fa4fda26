import { describe, expect, it } from 'vitest';
import { chinaTime, initialTrack, terminalPrefix, trackingNumberFrom, trackTransition, type ProgressReport, type TrackEvent, type TrackState } from './track-machine';

const NUMBER = 'HZXH0042-20261122-000123';

function run(events: TrackEvent[], from: TrackState = initialTrack): TrackState {
  return events.reduce(trackTransition, from);
}

const progress: ProgressReport = {
  trackingNumber: NUMBER,
  itemName: { zh: '城乡居民医保参保登记', en: 'Medical insurance enrolment' },
  status: 'inReview',
  timeline: [
    { at: '2026-11-22T02:15:00.000Z', status: 'inReview', note: '审查中 In review' },
    { at: '2026-11-22T02:05:00.000Z', status: 'received', note: '自助终端提交' },
    { at: '2026-11-22T02:05:01.000Z', status: 'accepted', note: '受理 Accepted' },
  ],
};

describe('J6 track machine', () => {
  it('looks a typed number up (upper-cased) and shows the timeline oldest first, in China time', () => {
    const looking = run([{ type: 'entry', entry: 'hzxh0042-20261122-000123' }, { type: 'submit' }]);
    expect(looking).toEqual({ kind: 'looking', trackingNumber: NUMBER, entry: NUMBER });
    const found = trackTransition(looking, { type: 'found', progress });
    expect(found.kind).toBe('found');
    if (found.kind !== 'found') return;
    expect(found.progress.timeline.map((s) => s.status)).toEqual(['received', 'accepted', 'inReview']);
    expect(found.progress.timeline[0]?.time).toBe('2026-11-22 10:05');
    expect(run([{ type: 'another' }], found)).toEqual(initialTrack);
  });

  it('refuses what is not a tracking number before asking the platform', () => {
    expect(run([{ type: 'entry', entry: 'ABC' }, { type: 'submit' }])).toMatchObject({ kind: 'enter', problem: 'format' });
    expect(run([{ type: 'entry', entry: '--------' }, { type: 'submit' }])).toMatchObject({ kind: 'enter', problem: 'format' });
  });

  it('reads the number from the slip\'s QR code, whatever the track URL looks like', () => {
    expect(trackingNumberFrom(`https://zwfw.example.gov.cn/track?n=${NUMBER}`)).toBe(NUMBER);
    expect(trackingNumberFrom(`https://zwfw.example.gov.cn/track/${NUMBER}`)).toBe(NUMBER);
    expect(trackingNumberFrom(`https://zwfw.example.gov.cn/t?trackingNumber=${NUMBER.toLowerCase()}&src=kiosk`)).toBe(NUMBER);
    expect(trackingNumberFrom(`办件编号:${NUMBER}`)).toBe(NUMBER);
    expect(trackingNumberFrom(` ${NUMBER}\r\n`)).toBe(NUMBER);
    expect(trackingNumberFrom('https://example.cn/')).toBeUndefined();
    expect(run([{ type: 'scanned', text: `https://zwfw.example.gov.cn/track?n=${NUMBER}` }])).toMatchObject({ kind: 'looking', trackingNumber: NUMBER });
    expect(run([{ type: 'scanned', text: 'https://example.cn/' }])).toMatchObject({ kind: 'enter', problem: 'notATrackingCode' });
  });

  it('tells an unknown number from an unreachable platform, each with its way on', () => {
    const looking = run([{ type: 'entry', entry: NUMBER }, { type: 'submit' }]);
    const notFound = trackTransition(looking, { type: 'failed', code: 'unknownItem' });
    expect(notFound).toEqual({ kind: 'notFound', trackingNumber: NUMBER, entry: NUMBER });
    expect(trackTransition(notFound, { type: 'edit' })).toEqual({ kind: 'enter', entry: NUMBER, problem: undefined });
    const down = trackTransition(looking, { type: 'failed', code: 'platformUnavailable' });
    expect(down.kind).toBe('unavailable');
    expect(trackTransition(down, { type: 'retry' })).toEqual(looking);
    expect(trackTransition(looking, { type: 'failed', code: 'timeOut' }).kind).toBe('unavailable');
  });

  it('ignores late answers and keys outside their screen', () => {
    const enter = run([{ type: 'entry', entry: NUMBER }]);
    expect(trackTransition(enter, { type: 'found', progress })).toBe(enter);
    const looking = trackTransition(enter, { type: 'submit' });
    expect(trackTransition(looking, { type: 'entry', entry: 'X' })).toBe(looking);
  });

  it('makes this kiosk\'s prefix key the way the daemon makes numbers, and keeps odd times as they are', () => {
    expect(terminalPrefix('HZ-XH-0042')).toBe('HZXH0042-');
    expect(terminalPrefix('')).toBeUndefined();
    expect(chinaTime('not a time')).toBe('not a time');
  });
});
