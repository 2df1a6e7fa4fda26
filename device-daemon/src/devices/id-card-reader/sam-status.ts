// SW3 status bytes of the SAM (vendor protocol documents and public drivers, gathered in
// reference/idcard-reader.md), each mapped to what the API says: a completion code and an error code.
import type { CompletionCode, IdCardErrorCode } from '../../protocol';

export type SamOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'failure'; readonly completionCode: Exclude<CompletionCode, 'success'>; readonly errorCode: IdCardErrorCode; readonly description: string };

const failure = (completionCode: Exclude<CompletionCode, 'success'>, errorCode: IdCardErrorCode, description: string): SamOutcome => ({
  kind: 'failure',
  completionCode,
  errorCode,
  description,
});

export const SAM_SUCCESS = 0x90;
export const SAM_NO_CONTENT = 0x91;
export const SAM_CARD_FOUND = 0x9f;

const TABLE: ReadonlyMap<number, SamOutcome> = new Map([
  [0x10, failure('hardwareError', 'checksumError', 'the reader received a frame with a bad checksum (0x10)')],
  [0x11, failure('hardwareError', 'lengthError', 'the reader received a frame with a bad length (0x11)')],
  [0x21, failure('hardwareError', 'commandRejected', 'the reader rejected the command (0x21)')],
  [0x23, failure('hardwareError', 'commandRejected', 'the reader refused an unauthorised operation (0x23)')],
  [0x24, failure('hardwareError', 'commandRejected', 'the reader reported an unrecognised error (0x24)')],
  [0x31, failure('commandErrorCode', 'cardAuthenticationFailed', 'the card failed to authenticate the reader (0x31)')],
  [0x32, failure('commandErrorCode', 'samAuthenticationFailed', 'the reader failed to authenticate the card (0x32)')],
  [0x33, failure('commandErrorCode', 'verificationFailed', 'the card data failed verification (0x33)')],
  [0x40, failure('commandErrorCode', 'unknownCardType', 'the card is not of a type the reader knows (0x40)')],
  [0x41, failure('commandErrorCode', 'readFailed', 'reading the card failed (0x41)')],
  [0x47, failure('commandErrorCode', 'readFailed', 'the card did not give a random number (0x47)')],
  [0x60, failure('hardwareError', 'samSelfTestFailed', 'the SAM failed its self-test and accepts no commands (0x60)')],
  [0x66, failure('hardwareError', 'samNotAuthorised', 'the SAM is not authorised (0x66)')],
  [0x80, failure('commandErrorCode', 'noCard', 'no card on the reader (0x80)')],
  [0x81, failure('commandErrorCode', 'selectFailed', 'selecting the card failed (0x81)')],
]);

/** What a status byte means for a command whose success statuses are `ok`. */
export function samOutcome(sw3: number, ok: readonly number[]): SamOutcome {
  if (ok.includes(sw3)) return { kind: 'success' };
  return TABLE.get(sw3) ?? failure('hardwareError', 'unknownStatus', `the reader answered an unknown status 0x${sw3.toString(16).padStart(2, '0')}`);
}
