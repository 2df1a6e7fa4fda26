// The data parts of SAM replies: the 30 01 / 30 10 read (declared lengths, then text, photo and
// fingerprint blocks), the 30 03 additional address, and the 12 FF SAM id.
import { err, ok, type Result } from '../../core/result';
import { TEXT_BLOCK_BYTES } from './card-text';

export interface ReadBlocks {
  readonly text: Uint8Array;
  readonly photo: Uint8Array;
  readonly fingerprint: Uint8Array;
}

export const PHOTO_BYTES = 1024;

/**
 * Splits a read reply's data. `withFingerprint` is true for 30 10, whose header has three length
 * fields. The declared lengths must add up to what the frame carries.
 */
export function parseReadData(data: Uint8Array, withFingerprint: boolean): Result<ReadBlocks, string> {
  const header = withFingerprint ? 6 : 4;
  if (data.length < header) return err(`read reply of ${data.length} bytes has no length header`);
  const u16 = (at: number): number => ((data[at] ?? 0) << 8) | (data[at + 1] ?? 0);
  const textLength = u16(0);
  const photoLength = u16(2);
  const fingerprintLength = withFingerprint ? u16(4) : 0;
  if (header + textLength + photoLength + fingerprintLength !== data.length) {
    return err(`declared lengths ${textLength}+${photoLength}+${fingerprintLength} do not match the ${data.length - header} bytes in the frame`);
  }
  if (textLength !== TEXT_BLOCK_BYTES) return err(`text block declared as ${textLength} bytes, not ${TEXT_BLOCK_BYTES}`);
  if (photoLength !== PHOTO_BYTES) return err(`photo declared as ${photoLength} bytes, not ${PHOTO_BYTES}`);
  if (fingerprintLength !== 0 && fingerprintLength !== 512 && fingerprintLength !== 1024) return err(`fingerprint block of ${fingerprintLength} bytes`);
  const textStart = header;
  const photoStart = textStart + textLength;
  const fingerprintStart = photoStart + photoLength;
  return ok({
    text: data.slice(textStart, photoStart),
    photo: data.slice(photoStart, fingerprintStart),
    fingerprint: data.slice(fingerprintStart, fingerprintStart + fingerprintLength),
  });
}

const strict = new TextDecoder('utf-16le', { fatal: true });

/** 30 03: 70 bytes of UCS-2 text when there is an additional address. */
export function parseNewAddress(data: Uint8Array): Result<string | undefined, string> {
  if (data.length === 0) return ok(undefined);
  if (data.length !== 70) return err(`additional address of ${data.length} bytes, not 70`);
  try {
    const text = strict.decode(data).replace(/[\u0020\u0000]+$/u, '');
    return ok(text.length > 0 ? text : undefined);
  } catch {
    return err('additional address is not valid UTF-16');
  }
}

/** 12 FF: five little-endian numbers, shown as AA.BB-CCCCCCCC-DDDDDDDDDD-EEEEEEEEEE. */
export function formatSamId(data: Uint8Array): Result<string, string> {
  if (data.length !== 16) return err(`SAM id of ${data.length} bytes, not 16`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const a = view.getUint16(0, true);
  const b = view.getUint16(2, true);
  const c = view.getUint32(4, true);
  const d = view.getUint32(8, true);
  const e = view.getUint32(12, true);
  return ok(`${String(a).padStart(2, '0')}.${String(b).padStart(2, '0')}-${String(c).padStart(8, '0')}-${String(d).padStart(10, '0')}-${String(e).padStart(10, '0')}`);
}
