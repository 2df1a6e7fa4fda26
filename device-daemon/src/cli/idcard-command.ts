// kioskctl idcard decode FILE: one raw 30 01 or 30 10 reply frame (binary, or hex text with any
// whitespace) decoded to JSON, with every check. For technicians with a captured frame in hand.
import { readFileSync } from 'node:fs';
import { err, ok, type Result } from '../core/result';
import { decodeTextBlock } from '../devices/id-card-reader/card-text';
import { todayInChina, validateCard } from '../devices/id-card-reader/card-validation';
import { SamFrameDecoder } from '../devices/id-card-reader/sam-frame';
import { parseReadData, PHOTO_BYTES } from '../devices/id-card-reader/sam-response';
import { samOutcome, SAM_SUCCESS } from '../devices/id-card-reader/sam-status';

/** The file as bytes: hex text (any whitespace) when it is only hex digits, binary otherwise. */
export function frameBytes(content: Buffer): Result<Uint8Array, string> {
  const text = content.toString('latin1');
  if (/^[\s0-9a-fA-F]*$/.test(text)) {
    const hex = text.replace(/\s+/g, '');
    if (hex.length === 0) return err('the file is empty');
    if (hex.length % 2 !== 0) return err(`hex text has an odd number of digits (${hex.length})`);
    return ok(Uint8Array.from(Buffer.from(hex, 'hex')));
  }
  return ok(Uint8Array.from(content));
}

export function decodeReadFrame(bytes: Uint8Array, now: Date): Result<{ json: Record<string, unknown>; problems: readonly string[] }, string> {
  const events = new SamFrameDecoder(4).feed(bytes);
  // The first thing wrong with the frame is what the technician needs; skipped bytes follow from it.
  for (const event of events) {
    if (event.kind === 'checksumError') return err(`bad checksum: the frame says 0x${event.actual.toString(16).padStart(2, '0')}, its bytes give 0x${event.expected.toString(16).padStart(2, '0')}`);
    if (event.kind === 'lengthError') return err(`bad length field: ${event.len}`);
  }
  const skipped = events.find((e) => e.kind === 'skipped');
  if (skipped?.kind === 'skipped') return err(`${skipped.bytes} bytes that are not part of a frame`);
  const frames = events.flatMap((e) => (e.kind === 'frame' ? [e.body] : []));
  if (frames.length === 0) return err('no complete frame in the file (it is truncated or not a SAM frame)');
  if (frames.length > 1) return err(`${frames.length} frames in the file; give one`);
  const body = frames[0] ?? new Uint8Array(0);
  const sw3 = body[2] ?? 0;
  if (sw3 !== SAM_SUCCESS) {
    const outcome = samOutcome(sw3, [SAM_SUCCESS]);
    return err(`the reader answered status 0x${sw3.toString(16).padStart(2, '0')}: ${outcome.kind === 'failure' ? outcome.description : ''}`);
  }
  const data = body.subarray(3);
  // 30 01 carries two length fields, 30 10 three.
  const withFingerprint = data.length !== 4 + 256 + PHOTO_BYTES;
  const blocks = parseReadData(data, withFingerprint);
  if (!blocks.ok) return err(blocks.error);
  const text = decodeTextBlock(blocks.value.text);
  if (!text.ok) return err(text.error.message);
  const validated = validateCard(text.value, blocks.value.photo, todayInChina(now));
  const { sexCode, ...record } = validated.record;
  const json: Record<string, unknown> = {
    ...record,
    sexCode,
    photo: { format: 'wlt', bytes: blocks.value.photo.length },
    ...(withFingerprint ? { fingerprint: { bytes: blocks.value.fingerprint.length } } : {}),
    expired: validated.expired,
    checks: validated.checks,
  };
  return ok({ json, problems: validated.problems });
}

export function idcardDecodeCommand(file: string, out: (line: string) => void, now = new Date()): number {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (cause) {
    out(`kioskctl idcard decode: cannot read ${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
    return 1;
  }
  const bytes = frameBytes(content);
  if (!bytes.ok) {
    out(`kioskctl idcard decode: ${bytes.error}`);
    return 1;
  }
  const decoded = decodeReadFrame(bytes.value, now);
  if (!decoded.ok) {
    out(`kioskctl idcard decode: invalid frame: ${decoded.error}`);
    return 1;
  }
  out(JSON.stringify(decoded.value.json, null, 2));
  return decoded.value.problems.length > 0 ? 3 : 0;
}
