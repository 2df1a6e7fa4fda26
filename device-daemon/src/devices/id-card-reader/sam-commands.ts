// The SAM command set. Timeouts follow what deployed drivers use, with room for 115200 baud: a
// 1295-byte 30 01 reply alone takes about 110 ms on the wire after the card read itself.
import { SAM_CARD_FOUND, SAM_NO_CONTENT, SAM_SUCCESS } from './sam-status';

export interface SamCommand {
  readonly name: string;
  readonly cmd: number;
  readonly para: number;
  /** Status bytes that mean the command succeeded. */
  readonly ok: readonly number[];
  readonly timeoutMs: number;
}

export const SAM_COMMANDS = {
  resetSam: { name: 'reset SAM (10 FF)', cmd: 0x10, para: 0xff, ok: [SAM_SUCCESS], timeoutMs: 2_000 },
  samStatus: { name: 'SAM status (11 FF)', cmd: 0x11, para: 0xff, ok: [SAM_SUCCESS], timeoutMs: 500 },
  samId: { name: 'SAM id (12 FF)', cmd: 0x12, para: 0xff, ok: [SAM_SUCCESS], timeoutMs: 500 },
  findCard: { name: 'find card (20 01)', cmd: 0x20, para: 0x01, ok: [SAM_CARD_FOUND], timeoutMs: 300 },
  selectCard: { name: 'select card (20 02)', cmd: 0x20, para: 0x02, ok: [SAM_SUCCESS], timeoutMs: 300 },
  readText: { name: 'read text and photo (30 01)', cmd: 0x30, para: 0x01, ok: [SAM_SUCCESS], timeoutMs: 2_500 },
  readWithFingerprint: { name: 'read with fingerprint (30 10)', cmd: 0x30, para: 0x10, ok: [SAM_SUCCESS], timeoutMs: 3_500 },
  readNewAddress: { name: 'read additional address (30 03)', cmd: 0x30, para: 0x03, ok: [SAM_SUCCESS, SAM_NO_CONTENT], timeoutMs: 1_500 },
} as const satisfies Record<string, SamCommand>;
