import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AbortReason } from '../../core/deadline';
import { BMP_PHOTO_BYTES, CommandPhotoDecoder, LibraryPhotoDecoder, NoPhotoDecoder, PHOTO_HEIGHT, PHOTO_WIDTH, RAW_PHOTO_BYTES, toRgb } from './photo-decoder';

const signal = new AbortController().signal;
const WLT = Uint8Array.from({ length: 1024 }, (_, i) => (i === 11 ? 200 : i & 0xff));

/** A stand-in for a vendor library with the libwlt2bmp calling convention, built from C here. */
const VENDOR_C = `
#include <string.h>
int unpack_bgr(const unsigned char *src, unsigned char *dst, int code) {
  if (code != 602) return -1;
  for (int y = 0; y < 126; y++) for (int x = 0; x < 102; x++) {
    unsigned char *p = dst + (y * 102 + x) * 3;
    p[0] = (unsigned char)x; p[1] = (unsigned char)y; p[2] = src[11];
  }
  return 1;
}
int unpack_bmp(const unsigned char *src, unsigned char *dst, int code) {
  memset(dst, 0, 54 + 126 * 308);
  dst[0] = 'B'; dst[1] = 'M'; dst[10] = 54; dst[14] = 40; dst[18] = 102; dst[22] = 126; dst[26] = 1; dst[28] = 24;
  for (int row = 0; row < 126; row++) for (int x = 0; x < 102; x++) {
    unsigned char *p = dst + 54 + row * 308 + x * 3;
    p[0] = 1; p[1] = (unsigned char)row; p[2] = src[11];
  }
  return 1;
}`;

let library = '';

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-wlt-'));
  writeFileSync(join(dir, 'vendor.c'), VENDOR_C);
  library = join(dir, 'libvendor.so');
  execFileSync('cc', ['-shared', '-fPIC', '-o', library, join(dir, 'vendor.c')]);
});

describe('LibraryPhotoDecoder through koffi', () => {
  it('calls the vendor function and swaps BGR to RGB', async () => {
    const decoder = new LibraryPhotoDecoder({ path: library, functionName: 'unpack_bgr', code: 602, output: 'bgr', successValue: 1 });
    const photo = await decoder.decode(WLT, signal);
    expect(photo.ok).toBe(true);
    if (!photo.ok) return;
    expect([photo.value.width, photo.value.height, photo.value.rgb.length]).toEqual([PHOTO_WIDTH, PHOTO_HEIGHT, RAW_PHOTO_BYTES]);
    const at = (x: number, y: number): number[] => Array.from(photo.value.rgb.subarray((y * 102 + x) * 3, (y * 102 + x) * 3 + 3));
    expect(at(0, 0)).toEqual([200, 0, 0]);
    expect(at(101, 125)).toEqual([200, 125, 101]);
  });

  it('reads a bottom-up BMP the same way', async () => {
    const decoder = new LibraryPhotoDecoder({ path: library, functionName: 'unpack_bmp', code: 602, output: 'bmp', successValue: 1 });
    const photo = await decoder.decode(WLT, signal);
    expect(photo.ok && Array.from(photo.value.rgb.subarray(0, 3))).toEqual([200, 125, 1]);
  });

  it('reports a failing call, a missing library and a missing function as values', async () => {
    const wrongCode = await new LibraryPhotoDecoder({ path: library, functionName: 'unpack_bgr', code: 603, output: 'bgr', successValue: 1 }).decode(WLT, signal);
    expect(wrongCode).toEqual({ ok: false, error: { code: 'decoderFailed', message: 'unpack_bgr returned -1' } });
    const missing = await new LibraryPhotoDecoder({ path: '/nonexistent/libwlt.so', functionName: 'unpack', code: 602, output: 'bgr', successValue: 1 }).decode(WLT, signal);
    expect(missing.ok ? 'decoded' : missing.error.code).toBe('decoderUnavailable');
    const noSymbol = await new LibraryPhotoDecoder({ path: library, functionName: 'nothing_here', code: 602, output: 'bgr', successValue: 1 }).decode(WLT, signal);
    expect(noSymbol.ok ? 'decoded' : noSymbol.error.code).toBe('decoderUnavailable');
  });
});

describe('CommandPhotoDecoder', () => {
  // A helper program that reads WLT on stdin and writes a BMP on stdout.
  const helper = (body: string): CommandPhotoDecoder =>
    new CommandPhotoDecoder({ path: process.execPath, args: ['-e', body], output: 'bmp' });

  it('pipes the WLT bytes in and the picture out, touching no file', async () => {
    const script = `
      const chunks = []; process.stdin.on('data', c => chunks.push(c)); process.stdin.on('end', () => {
        const wlt = Buffer.concat(chunks); const out = Buffer.alloc(${BMP_PHOTO_BYTES});
        out.write('BM', 0, 'latin1'); out.writeUInt32LE(54, 10); out.writeInt32LE(102, 18); out.writeInt32LE(-126, 22); out.writeUInt16LE(24, 28);
        for (let i = 54; i < out.length; i += 3) { out[i] = 7; out[i + 1] = wlt.length >> 4; out[i + 2] = wlt[11]; }
        process.stdout.write(out);
      });`;
    const photo = await helper(script).decode(WLT, signal);
    expect(photo.ok && Array.from(photo.value.rgb.subarray(0, 3))).toEqual([200, 64, 7]);
  });

  it('reports a failing helper, a missing one, runaway output and a timeout', async () => {
    expect(await helper('process.exit(3)').decode(WLT, signal)).toEqual({ ok: false, error: { code: 'decoderFailed', message: 'decoder exited with 3' } });
    const missing = await new CommandPhotoDecoder({ path: '/nonexistent/wlt2bmp', args: [], output: 'bmp' }).decode(WLT, signal);
    expect(missing.ok ? 'decoded' : missing.error.code).toBe('decoderUnavailable');
    const flood = await helper("process.stdout.write(Buffer.alloc(200000)); setTimeout(() => {}, 10000)").decode(WLT, signal);
    expect(flood.ok ? 'decoded' : flood.error.code).toBe('invalidOutput');
    const c = new AbortController();
    const slow = helper('setTimeout(() => {}, 60000)').decode(WLT, c.signal);
    c.abort(new AbortReason('timeout', 'photo decoding timed out after 100 ms'));
    expect(await slow).toEqual({ ok: false, error: { code: 'timeout', message: 'photo decoding timed out after 100 ms' } });
  });
});

describe('toRgb and the none decoder', () => {
  it('refuses output of the wrong size or kind', () => {
    expect(toRgb(new Uint8Array(100), 'bgr').ok).toBe(false);
    expect(toRgb(new Uint8Array(BMP_PHOTO_BYTES), 'bmp')).toEqual({ ok: false, error: { code: 'invalidOutput', message: 'decoder output is not a BMP' } });
  });

  it('says which config key to set', async () => {
    expect(await new NoPhotoDecoder('idCardReader').decode()).toEqual({ ok: false, error: { code: 'notConfigured', message: 'no WLT photo decoder is configured (devices.idCardReader.photoDecoder)' } });
  });
});
