import { describe, expect, it } from 'vitest';
import { formatSamId, parseNewAddress, parseReadData } from './sam-response';
import { samOutcome } from './sam-status';

const lengths = (...n: number[]): number[] => n.flatMap((v) => [v >> 8, v & 0xff]);

describe('parseReadData', () => {
  it('splits a 30 01 reply by its declared lengths', () => {
    const data = Uint8Array.from([...lengths(256, 1024), ...new Array(256).fill(1), ...new Array(1024).fill(2)]);
    const blocks = parseReadData(data, false);
    expect(blocks.ok && [blocks.value.text.length, blocks.value.photo.length, blocks.value.fingerprint.length, blocks.value.text[0], blocks.value.photo[0]]).toEqual([256, 1024, 0, 1, 2]);
  });

  it('splits a 30 10 reply with 0, 512 or 1024 fingerprint bytes', () => {
    for (const fp of [0, 512, 1024]) {
      const data = Uint8Array.from([...lengths(256, 1024, fp), ...new Array(256 + 1024).fill(0), ...new Array(fp).fill(3)]);
      const blocks = parseReadData(data, true);
      expect(blocks.ok && blocks.value.fingerprint.length).toBe(fp);
    }
  });

  it('refuses declared lengths that do not match the frame', () => {
    const data = Uint8Array.from([...lengths(256, 1024), ...new Array(1000).fill(0)]);
    expect(parseReadData(data, false)).toEqual({ ok: false, error: 'declared lengths 256+1024+0 do not match the 1000 bytes in the frame' });
    const odd = Uint8Array.from([...lengths(200, 1080), ...new Array(1280).fill(0)]);
    expect(parseReadData(odd, false)).toEqual({ ok: false, error: 'text block declared as 200 bytes, not 256' });
    expect(parseReadData(Uint8Array.of(1), false).ok).toBe(false);
  });
});

describe('other replies', () => {
  it('formats the SAM id from its five little-endian numbers', () => {
    const id = Uint8Array.of(0x05, 0x00, 0x02, 0x00, 0x15, 0xcd, 0x5b, 0x07, 0x4e, 0x61, 0xbc, 0x00, 0xb1, 0x7f, 0x5e, 0x04);
    expect(formatSamId(id)).toEqual({ ok: true, value: '05.02-123456789-0012345678-0073301937' });
    expect(formatSamId(new Uint8Array(15)).ok).toBe(false);
  });

  it('reads the additional address, or none', () => {
    const text = '新地址一号';
    const data = new Uint8Array(70).fill(0x20);
    for (let i = 0; i < 35; i += 1) data[i * 2 + 1] = 0;
    for (let i = 0; i < text.length; i += 1) {
      data[i * 2] = text.charCodeAt(i) & 0xff;
      data[i * 2 + 1] = text.charCodeAt(i) >> 8;
    }
    expect(parseNewAddress(data)).toEqual({ ok: true, value: '新地址一号' });
    expect(parseNewAddress(new Uint8Array(0))).toEqual({ ok: true, value: undefined });
    expect(parseNewAddress(new Uint8Array(20)).ok).toBe(false);
  });
});

describe('samOutcome', () => {
  it('maps each status byte to a completion code and an error code', () => {
    const table: [number, string, string][] = [
      [0x10, 'hardwareError', 'checksumError'],
      [0x11, 'hardwareError', 'lengthError'],
      [0x21, 'hardwareError', 'commandRejected'],
      [0x23, 'hardwareError', 'commandRejected'],
      [0x24, 'hardwareError', 'commandRejected'],
      [0x31, 'commandErrorCode', 'cardAuthenticationFailed'],
      [0x32, 'commandErrorCode', 'samAuthenticationFailed'],
      [0x33, 'commandErrorCode', 'verificationFailed'],
      [0x40, 'commandErrorCode', 'unknownCardType'],
      [0x41, 'commandErrorCode', 'readFailed'],
      [0x47, 'commandErrorCode', 'readFailed'],
      [0x60, 'hardwareError', 'samSelfTestFailed'],
      [0x66, 'hardwareError', 'samNotAuthorised'],
      [0x80, 'commandErrorCode', 'noCard'],
      [0x81, 'commandErrorCode', 'selectFailed'],
      [0x55, 'hardwareError', 'unknownStatus'],
    ];
    for (const [sw3, completionCode, errorCode] of table) {
      expect(samOutcome(sw3, [0x90]), sw3.toString(16)).toMatchObject({ kind: 'failure', completionCode, errorCode });
    }
    expect(samOutcome(0x90, [0x90])).toEqual({ kind: 'success' });
    expect(samOutcome(0x91, [0x90, 0x91])).toEqual({ kind: 'success' });
    expect(samOutcome(0x9f, [0x9f])).toEqual({ kind: 'success' });
  });
});
