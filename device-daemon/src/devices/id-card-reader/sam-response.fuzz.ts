// Fuzz target of the data parts of SAM replies (the 30 01 / 30 10 read, the 30 03 address, the
// 12 FF SAM id) and of the status byte: every input gives a Result or an outcome, never a throw.
import { bytesFrom, expectThat, int, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import { parseNewAddress, parseReadData, formatSamId, PHOTO_BYTES } from './sam-response';
import { samOutcome, SAM_SUCCESS } from './sam-status';

function readReply(withFingerprint: boolean, fingerprint: number): Uint8Array {
  const header = withFingerprint ? 6 : 4;
  const out = new Uint8Array(header + 256 + PHOTO_BYTES + fingerprint);
  out[0] = 0x01;
  out[2] = PHOTO_BYTES >> 8;
  if (withFingerprint) out[4] = fingerprint >> 8;
  for (let i = header; i < out.length; i += 1) out[i] = i & 0xff;
  return out;
}

const ADDRESS = Uint8Array.from(Buffer.from('浙江省杭州市西湖区文三路'.padEnd(35, ' '), 'utf16le'));
const SAMPLES = [readReply(false, 0), readReply(true, 0), readReply(true, 512), readReply(true, 1024), ADDRESS, new Uint8Array(16).fill(0x31), new Uint8Array(0)];

export interface SamResponseInput {
  readonly bytes: Uint8Array;
  readonly sw3: number;
  readonly okStatuses: readonly number[];
}

function generate(random: Random): SamResponseInput {
  // Offsets into a larger buffer too: the parsers must respect byteOffset.
  const bytes = bytesFrom(random, SAMPLES, 2600);
  const shifted = random() < 0.2 ? new Uint8Array(bytes.length + 3).subarray(3) : undefined;
  if (shifted) shifted.set(bytes);
  return { bytes: shifted ?? bytes, sw3: int(random, 256), okStatuses: random() < 0.5 ? [SAM_SUCCESS] : [SAM_SUCCESS, int(random, 256)] };
}

const isResult = (value: { ok: boolean }): boolean => value.ok === true || value.ok === false;

function check(input: SamResponseInput): void {
  for (const withFingerprint of [false, true]) {
    const read = parseReadData(input.bytes, withFingerprint);
    expectThat(isResult(read), 'parseReadData gave no Result');
    if (read.ok) {
      expectThat(read.value.text.length === 256 && read.value.photo.length === PHOTO_BYTES, 'read blocks of the wrong size');
      expectThat([0, 512, 1024].includes(read.value.fingerprint.length), 'fingerprint block of the wrong size');
    }
  }
  const address = parseNewAddress(input.bytes);
  expectThat(isResult(address), 'parseNewAddress gave no Result');
  if (address.ok && address.value !== undefined) expectThat(address.value.length <= 35, 'address longer than its 70 bytes');
  const id = formatSamId(input.bytes);
  expectThat(isResult(id), 'formatSamId gave no Result');
  if (id.ok) expectThat(/^\d{2,}\.\d{2,}-\d{8,}-\d{10,}-\d{10,}$/.test(id.value), `SAM id ${id.value} not in its shape`);
  const outcome = samOutcome(input.sw3, input.okStatuses);
  expectThat(outcome.kind === 'success' ? input.okStatuses.includes(input.sw3) : outcome.description.length > 0, 'status outcome not well formed');
}

export const samResponseTarget: FuzzTarget<SamResponseInput> = {
  name: 'sam-response',
  generate,
  check,
  show: (input) => JSON.stringify({ sw3: input.sw3, ok: input.okStatuses, hex: toHex(input.bytes) }),
};
