import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKioskctl } from './kioskctl';
import { idcardDecodeCommand } from './idcard-command';

const NOW = new Date('2026-11-22T04:00:00Z');

/** A 30 01 reply assembled by hand: preamble, LEN, 00 00 90, lengths, text, photo, XOR. */
function readReply(text: Uint8Array, photo: Uint8Array, fingerprint?: Uint8Array): Uint8Array {
  const lengths = fingerprint ? [0x01, 0x00, 0x04, 0x00, fingerprint.length >> 8, fingerprint.length & 0xff] : [0x01, 0x00, 0x04, 0x00];
  const body = [0x00, 0x00, 0x90, ...lengths, ...text, ...photo, ...(fingerprint ?? [])];
  const len = body.length + 1;
  const frame = [0xaa, 0xaa, 0xaa, 0x96, 0x69, len >> 8, len & 0xff, ...body];
  let x = 0;
  for (let i = 5; i < frame.length; i += 1) x ^= frame[i] ?? 0;
  return Uint8Array.from([...frame, x]);
}

function residentText(): Uint8Array {
  const b = new Uint8Array(256);
  for (let i = 0; i < 256; i += 2) b[i] = 0x20;
  const put = (offset: number, s: string): void => {
    for (let i = 0; i < s.length; i += 1) {
      b[offset + 2 * i] = s.charCodeAt(i) & 0xff;
      b[offset + 2 * i + 1] = s.charCodeAt(i) >> 8;
    }
  };
  put(0, '周小川');
  put(30, '1');
  put(32, '01');
  put(36, '19850409');
  put(52, '上海市黄浦区示例路5号');
  put(122, '310112198504095219');
  put(158, '上海市公安局黄浦分局');
  put(188, '20160101');
  put(204, '20360101');
  return b;
}

const PHOTO = Uint8Array.from({ length: 1024 }, (_, i) => [0x57, 0x4c, 0x66, 0x00][i] ?? 0x11);

function file(content: string | Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kiosk-frame-')), 'frame');
  writeFileSync(path, content);
  return path;
}

function run(path: string): { code: number; out: string } {
  const lines: string[] = [];
  const code = idcardDecodeCommand(path, (l) => lines.push(l), NOW);
  return { code, out: lines.join('\n') };
}

describe('kioskctl idcard decode', () => {
  it('decodes a binary 30 01 frame to JSON with every check', () => {
    const { code, out } = run(file(readReply(residentText(), PHOTO)));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      type: 'resident',
      name: '周小川',
      sex: '男',
      nationCode: '01',
      nation: '汉',
      birthDate: '1985-04-09',
      address: '上海市黄浦区示例路5号',
      idNumber: '310112198504095219',
      authority: '上海市公安局黄浦分局',
      validFrom: '2016-01-01',
      validTo: '2036-01-01',
      sexCode: '1',
      photo: { format: 'wlt', bytes: 1024 },
      expired: false,
      checks: { idNumberFormat: 'pass', idNumberCheckDigit: 'pass', birthDateMatchesNumber: 'pass', sexMatchesNumber: 'pass', datesValid: 'pass', notExpired: 'pass', nationCodeKnown: 'pass', photoHeader: 'pass' },
    });
  });

  it('reads hex text with any whitespace, and 30 10 frames', () => {
    const frame = readReply(residentText(), PHOTO, new Uint8Array(512).fill(7));
    const hex = Buffer.from(frame).toString('hex').toUpperCase().replace(/(..)/g, '$1 ').replace(/(.{48})/g, '$1\n');
    const { code, out } = run(file(hex));
    expect(code).toBe(0);
    expect(JSON.parse(out).fingerprint).toEqual({ bytes: 512 });
  });

  it('keeps 长期 as the string and exits 3 when a check fails', () => {
    const text = residentText();
    const put = (offset: number, s: string): void => {
      for (let i = 0; i < 8; i += 1) {
        text[offset + 2 * i] = i < s.length ? s.charCodeAt(i) & 0xff : 0x20;
        text[offset + 2 * i + 1] = i < s.length ? s.charCodeAt(i) >> 8 : 0;
      }
    };
    put(204, '长期');
    // The check digit, the 18th character of the number (bytes 156-157), made wrong.
    text[156] = 0x30;
    text[157] = 0x00;
    const { code, out } = run(file(readReply(text, PHOTO)));
    expect(code).toBe(3);
    expect(JSON.parse(out)).toMatchObject({ validTo: '长期', checks: { idNumberCheckDigit: 'fail' } });
  });

  it('exits 1 with the reason for an invalid frame', () => {
    const good = readReply(residentText(), PHOTO);
    const badChecksum = Uint8Array.from(good);
    badChecksum[badChecksum.length - 1] = (badChecksum[badChecksum.length - 1] ?? 0) ^ 0x01;
    expect(run(file(badChecksum)).out).toMatch(/^kioskctl idcard decode: invalid frame: bad checksum: the frame says 0x[0-9a-f]{2}, its bytes give 0x[0-9a-f]{2}$/);
    expect(run(file(good.subarray(0, 600)))).toEqual({ code: 1, out: 'kioskctl idcard decode: invalid frame: no complete frame in the file (it is truncated or not a SAM frame)' });
    expect(run(file('AAAAAA9669000400008084'))).toEqual({ code: 1, out: 'kioskctl idcard decode: invalid frame: the reader answered status 0x80: no card on the reader (0x80)' });
    expect(run(file('AAA'))).toEqual({ code: 1, out: 'kioskctl idcard decode: hex text has an odd number of digits (3)' });
    const text = residentText();
    text[248] = 0x51;
    expect(run(file(readReply(text, PHOTO))).out).toBe("kioskctl idcard decode: invalid frame: type character 'Q' at byte 248 is not a known card layout");
    expect(run('/nonexistent/frame.bin').code).toBe(1);
  });

  it('is reached through kioskctl, with usage errors as exit code 2', async () => {
    const lines: string[] = [];
    expect(await runKioskctl(['idcard', 'decode', file('AAAAAA9669000400008084')], (l) => lines.push(l))).toBe(1);
    expect(await runKioskctl(['idcard', 'frobnicate'], () => undefined)).toBe(2);
    expect(await runKioskctl(['idcard', 'decode'], () => undefined)).toBe(2);
  });
});
