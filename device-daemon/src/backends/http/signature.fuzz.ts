// Fuzz target of signature verification: random and mutated signature headers (missing, arrays,
// huge, not base64, stale or future timestamps) and bodies. verify answers a problem or undefined and
// never throws; a message signed and left intact verifies once and is then a replay; any change to
// its body is a mismatch.
import { expectThat, int, mutateBytes, pick, randomBytes, randomString, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import { NonceWindow, sign, SIGNATURE_HEADERS, verify } from './signature';

const SECRET = 'fuzz-secret-0123456789';
const NOW = Date.UTC(2026, 10, 22, 2, 0, 0);
const PROBLEMS = new Set([undefined, 'missing', 'stale', 'replayed', 'mismatch']);

export interface SignatureInput {
  readonly head: string;
  readonly path: string;
  readonly body: Uint8Array;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Headers as signed, untouched. */
  readonly intact: boolean;
  readonly tamperedBody: Uint8Array | undefined;
  readonly skewMs: number;
}

function generate(random: Random): SignatureInput {
  const head = pick(random, ['POST', 'GET', '200', '404', randomString(random, 8)]);
  const path = pick(random, ['/v1/payments/notify', '/v1/orders/K1', randomString(random, 30)]);
  const body = randomBytes(random, 300);
  const skewMs = pick(random, [0, 1000, -299_000, 301_000, -1e12, int(random, 1e9)]);
  const signed: Record<string, string | string[] | undefined> = sign(SECRET, head, path, body, NOW + skewMs, `n${int(random, 1e12)}`);
  const intact = random() < 0.3;
  if (!intact) {
    const edits = 1 + int(random, 3);
    for (let e = 0; e < edits; e += 1) {
      const key = pick(random, Object.values(SIGNATURE_HEADERS));
      const current = signed[key];
      const r = random();
      signed[key] =
        r < 0.2 ? undefined : r < 0.3 ? [String(current), 'x'] : r < 0.4 ? 'Z'.repeat(int(random, 100_000)) : r < 0.7 && typeof current === 'string' ? Buffer.from(mutateBytes(random, Buffer.from(current))).toString('latin1') : randomString(random, 40);
    }
  }
  const tamperedBody = intact && random() < 0.5 ? mutateBytes(random, body) : undefined;
  return { head, path, body, headers: signed, intact, tamperedBody, skewMs };
}

function check(input: SignatureInput): void {
  const nonces = new NonceWindow(300_000, 1000);
  const first = verify(SECRET, input.head, input.path, input.body, input.headers, nonces, NOW);
  expectThat(PROBLEMS.has(first), `verify answered ${String(first)}`);
  if (input.intact && Math.abs(input.skewMs) < 299_500) {
    expectThat(first === undefined, `an intact signed message was refused: ${first}`);
    expectThat(verify(SECRET, input.head, input.path, input.body, input.headers, nonces, NOW) === 'replayed', 'a replay was not refused');
    if (input.tamperedBody && !Buffer.from(input.tamperedBody).equals(Buffer.from(input.body))) {
      expectThat(verify(SECRET, input.head, input.path, input.tamperedBody, input.headers, undefined, NOW) === 'mismatch', 'a changed body verified');
    }
  }
  // A string body as well as bytes, and no nonce window.
  expectThat(PROBLEMS.has(verify(SECRET, input.head, input.path, Buffer.from(input.body).toString('latin1'), input.headers, undefined, NOW)), 'verify of a string body');
}

export const signatureTarget: FuzzTarget<SignatureInput> = {
  name: 'signature',
  generate,
  check,
  show: (input) => JSON.stringify({ head: input.head, path: input.path, headers: input.headers, skewMs: input.skewMs, hex: toHex(input.body), tampered: input.tamperedBody ? toHex(input.tamperedBody) : undefined }),
};
