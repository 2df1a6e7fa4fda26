// Message signatures between the kiosk and its backends, in the style payment gateways use: an
// HMAC-SHA256 over the method (or status), the path, a timestamp, a nonce and the body, in headers.
// Requests, replies and the gateway's notifications are all signed, so a reply or callback that was
// altered or replayed is refused like a malformed one.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADERS = {
  app: 'x-kiosk-app',
  timestamp: 'x-kiosk-timestamp',
  nonce: 'x-kiosk-nonce',
  signature: 'x-kiosk-signature',
} as const;

export type Body = string | Uint8Array;

/** The MAC over "HEAD\nPATH\nTIMESTAMP\nNONCE\nBODY\n": HEAD is the method for requests, the status for replies; the body as its bytes. */
function mac(secret: string, head: string, path: string, timestamp: string, nonce: string, body: Body): Buffer {
  return createHmac('sha256', secret).update(`${head}\n${path}\n${timestamp}\n${nonce}\n`).update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body).update('\n').digest();
}

export function sign(secret: string, head: string, path: string, body: Body, now: number = Date.now(), nonce: string = randomBytes(12).toString('hex')): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const signature = mac(secret, head, path, timestamp, nonce, body).toString('base64');
  return { [SIGNATURE_HEADERS.timestamp]: timestamp, [SIGNATURE_HEADERS.nonce]: nonce, [SIGNATURE_HEADERS.signature]: signature };
}

export type SignatureProblem = 'missing' | 'stale' | 'replayed' | 'mismatch';

/** Remembers recent nonces so a captured message cannot be sent again within the time window. */
export class NonceWindow {
  readonly #seen = new Map<string, number>();

  constructor(
    readonly windowMs = 300_000,
    private readonly max = 100_000,
  ) {}

  /** True the first time a nonce is seen within the window. */
  admit(nonce: string, now: number): boolean {
    for (const [n, at] of this.#seen) {
      if (now - at <= this.windowMs && this.#seen.size <= this.max) break;
      this.#seen.delete(n);
    }
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, now);
    return true;
  }
}

export function verify(
  secret: string,
  head: string,
  path: string,
  body: Body,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  nonces: NonceWindow | undefined,
  now: number = Date.now(),
): SignatureProblem | undefined {
  const one = (name: string): string | undefined => {
    const v = headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const timestamp = one(SIGNATURE_HEADERS.timestamp);
  const nonce = one(SIGNATURE_HEADERS.nonce);
  const signature = one(SIGNATURE_HEADERS.signature);
  if (!timestamp || !nonce || !signature || !/^\d{1,12}$/.test(timestamp) || nonce.length > 64) return 'missing';
  const windowMs = nonces?.windowMs ?? 300_000;
  if (Math.abs(now - Number(timestamp) * 1000) > windowMs) return 'stale';
  const expected = mac(secret, head, path, timestamp, nonce, body);
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'mismatch';
  if (nonces && !nonces.admit(nonce, now)) return 'replayed';
  return undefined;
}
