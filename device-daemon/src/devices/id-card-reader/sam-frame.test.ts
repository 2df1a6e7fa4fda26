import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeRequest, MAX_BUFFER, SamFrameDecoder, type FrameEvent } from './sam-frame';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const frames = (events: FrameEvent[]): string[] => events.flatMap((e) => (e.kind === 'frame' ? [Buffer.from(e.body).toString('hex')] : []));

describe('requests', () => {
  // The request bytes published with their checksums (reference/idcard-reader.md, section 1).
  it.each([
    ['reset SAM', 0x10, 0xff, 'AAAAAA96690003 10FF EC'],
    ['SAM status', 0x11, 0xff, 'AAAAAA96690003 11FF ED'],
    ['SAM id', 0x12, 0xff, 'AAAAAA96690003 12FF EE'],
    ['find card', 0x20, 0x01, 'AAAAAA96690003 2001 22'],
    ['select card', 0x20, 0x02, 'AAAAAA96690003 2002 21'],
    ['read text and photo', 0x30, 0x01, 'AAAAAA96690003 3001 32'],
    ['read new address', 0x30, 0x03, 'AAAAAA96690003 3003 30'],
    ['read with fingerprint', 0x30, 0x10, 'AAAAAA96690003 3010 23'],
  ])('encodes %s as the published bytes', (_name, cmd, para, expected) => {
    expect(Buffer.from(encodeRequest(cmd, para)).toString('hex')).toBe(Buffer.from(hex(expected)).toString('hex'));
  });

  it('encodes a request with data (set RF frame size 61 FF 50)', () => {
    expect(Buffer.from(encodeRequest(0x61, 0xff, Uint8Array.of(0x50))).toString('hex')).toBe('aaaaaa9669000461ff50ca');
  });
});

describe('SamFrameDecoder', () => {
  // Replies published by vendors and open drivers (reference/idcard-reader.md, section 6).
  it.each([
    ['find card ok', 'AAAAAA9669000800009F0000000097', '00009f00000000'],
    ['select card ok', 'AAAAAA9669000C00009000000000000000009C', '0000900000000000000000'],
    ['no card', 'AAAAAA9669000400008084', '000080'],
    ['select failed', 'AAAAAA9669000400008185', '000081'],
    ['read failed', 'AAAAAA9669000400004145', '000041'],
    ['SAM status ok', 'AA AA AA 96 69 00 04 00 00 90 94', '000090'],
    ['SAM authentication failed', 'aa aa aa 96 69 00 04 00 00 32 36', '000032'],
  ])('decodes the published %s reply', (_name, frame, body) => {
    expect(frames(new SamFrameDecoder().feed(hex(frame)))).toEqual([body]);
  });

  it('resynchronises after stray bytes, including the AA 00 AA AA 96 69 glitch seen on real readers', () => {
    const events = new SamFrameDecoder().feed(hex('AA 00 AA AA 96 69 00 04 00 00 90 94'));
    expect(events[0]).toEqual({ kind: 'skipped', bytes: 2 });
    expect(frames(events)).toEqual(['000090']);
    const clean = new SamFrameDecoder().feed(hex('00 13 FF AA AA AA 96 69 00 04 00 00 90 94 77'));
    // Three stray bytes before the frame and one after it.
    expect(clean[0]).toEqual({ kind: 'skipped', bytes: 4 });
    expect(frames(clean)).toEqual(['000090']);
  });

  it('reassembles a frame split across reads, one byte at a time', () => {
    const decoder = new SamFrameDecoder();
    const bytes = hex('AAAAAA9669000C00009000000000000000009C');
    const seen: string[] = [];
    for (const b of bytes) seen.push(...frames(decoder.feed(Uint8Array.of(b))));
    expect(seen).toEqual(['0000900000000000000000']);
    expect(decoder.buffered).toBe(0);
  });

  it('reports a bad checksum and still reads the next frame', () => {
    // The public 1295-byte dump with a wrong final byte is such a negative vector; a short one here.
    const events = new SamFrameDecoder().feed(hex('AAAAAA9669000400008085 AAAAAA9669000400008084'));
    expect(events.filter((e) => e.kind === 'checksumError')).toEqual([{ kind: 'checksumError', expected: 0x84, actual: 0x85 }]);
    expect(frames(events)).toEqual(['000080']);
  });

  it('refuses impossible lengths and resynchronises', () => {
    const events = new SamFrameDecoder().feed(hex('AAAAAA9669FFFF00 AAAAAA9669000400008084'));
    expect(events.some((e) => e.kind === 'lengthError' && e.len === 0xffff)).toBe(true);
    expect(frames(events)).toEqual(['000080']);
    const short = new SamFrameDecoder().feed(hex('AAAAAA96690002 0002 AAAAAA9669000400008084'));
    expect(short.some((e) => e.kind === 'lengthError' && e.len === 2)).toBe(true);
    expect(frames(short)).toEqual(['000080']);
    // Requests may be as short as CMD CHK (sleep and wake).
    expect(frames(new SamFrameDecoder(2).feed(hex('AAAAAA9669000200 02')))).toEqual(['00']);
  });

  it('keeps its buffer bounded under a flood of bytes that never form a frame', () => {
    const decoder = new SamFrameDecoder();
    // A preamble with a large length, then endless filler.
    decoder.feed(hex('AAAAAA96690A00'));
    for (let i = 0; i < 200; i += 1) decoder.feed(new Uint8Array(4096).fill(0x55));
    expect(decoder.buffered).toBeLessThanOrEqual(MAX_BUFFER);
  });

  it('round-trips any body through encodeFrame', () => {
    const body = Uint8Array.from({ length: 1290 }, (_, i) => (i * 31) & 0xff);
    expect(frames(new SamFrameDecoder().feed(encodeFrame(body)))).toEqual([Buffer.from(body).toString('hex')]);
  });
});
