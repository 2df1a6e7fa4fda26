// How the sandbox gateway behaves for a payment, chosen per amount or per payment code, so tests and
// developers can stage every outcome a real gateway produces.
import { z } from 'zod';

export const SCRIPT_KINDS = [
  /** Paid at once (micropay), or when the resident scans (native, after `afterMs`). */
  'success',
  /** The wallet asks the resident for a password: USERPAYING, then paid after `afterMs`. */
  'userPaying',
  /** USERPAYING and never confirmed: the kiosk must reverse the order at its deadline. */
  'neverConfirms',
  /** USERPAYING, then the resident cancels in the wallet after `afterMs`: PAYERROR. */
  'userCancels',
  /** Refused at once: not enough money. */
  'insufficientFunds',
  /** The payment happens, but the reply comes only after `afterMs` (past the kiosk's timeout). */
  'timeout',
  /** The payment happens, but the gateway answers 500 SYSTEMERROR. */
  'unknown',
  /** The connection drops before the gateway does anything. */
  'networkError',
  /** Native: paid after `afterMs`, and the notification comes `notifyDelayMs` later still. */
  'delayedNotification',
  /** Native: paid after `afterMs`, and notified twice. */
  'duplicateNotification',
] as const;

export const scriptSchema = z.object({
  kind: z.enum(SCRIPT_KINDS),
  afterMs: z.int().min(0).max(600_000).default(0),
  notifyDelayMs: z.int().min(0).max(600_000).default(0),
});
export type Script = z.infer<typeof scriptSchema>;

export interface ScriptBook {
  readonly byAmount: ReadonlyMap<number, Script>;
  readonly byCode: ReadonlyMap<string, Script>;
  /** For micropay, and for native (when the resident scans the code). */
  readonly micropayDefault: Script;
  readonly nativeDefault: Script;
}

export function scriptFor(book: ScriptBook, kind: 'native' | 'micropay', amountFen: number, code?: string): Script {
  return (code ? book.byCode.get(code) : undefined) ?? book.byAmount.get(amountFen) ?? (kind === 'native' ? book.nativeDefault : book.micropayDefault);
}
