// Fuzz target of the gateway's notification to the ops listener: the steps backends.ts applies to
// POST /v1/payments/notify (signature check over the body bytes, JSON, notificationSchema) on random
// and mutated notifications. There is no pure parse function to call, so the steps are restated here
// in the same order; each gives a value, never a throw, and an intact signed one is accepted.
import { bytesFrom, expectThat, mutateJson, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import { NonceWindow, sign, verify } from '../http/signature';
import { notificationSchema } from './gateway-api';

const SECRET = 'fuzz-gateway-secret-0123';
const NOW = Date.UTC(2026, 10, 22, 2, 0, 0);
const PATH = '/v1/payments/notify';
const SAMPLE = { notificationId: 'N1', orderId: 'K0042202611220001', tradeState: 'SUCCESS', amountFen: 12_840, paidAt: '2026-11-22T02:00:00.000Z' };

export interface NotificationInput {
  readonly body: Uint8Array;
  readonly signedBody: Uint8Array;
  readonly intact: boolean;
  readonly nonce: string;
}

let counter = 0;

function generate(random: Random): NotificationInput {
  const r = random();
  const intact = r < 0.2;
  const text = JSON.stringify(intact ? SAMPLE : mutateJson(random, SAMPLE)) ?? '';
  const body = r > 0.9 ? bytesFrom(random, [Buffer.from(text)], 200) : Uint8Array.from(Buffer.from(text));
  // Mostly signed as sent (so the parse is reached), sometimes signed over other bytes.
  const signedBody = random() < 0.9 ? body : Uint8Array.from(Buffer.from(JSON.stringify(SAMPLE)));
  counter += 1;
  return { body, signedBody, intact, nonce: `n${counter}` };
}

type Outcome = 'accepted' | 'signature' | 'notJson' | 'notNotification';

const nonces = new NonceWindow(300_000, 10_000);

function handle(body: Uint8Array, headers: Record<string, string>): Outcome {
  if (verify(SECRET, 'POST', PATH, body, headers, nonces, NOW)) return 'signature';
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return 'notJson';
  }
  return notificationSchema.safeParse(parsed).success ? 'accepted' : 'notNotification';
}

function check(input: NotificationInput): void {
  const headers = sign(SECRET, 'POST', PATH, input.signedBody, NOW, input.nonce);
  const outcome = handle(input.body, headers);
  if (input.intact && input.signedBody === input.body) expectThat(outcome === 'accepted', `an intact notification gave ${outcome}`);
  if (outcome === 'accepted') expectThat(handle(input.body, headers) === 'signature', 'a replayed notification was accepted');
}

export const gatewayNotificationTarget: FuzzTarget<NotificationInput> = {
  name: 'gateway-notify',
  generate,
  check,
  show: (input) => JSON.stringify({ nonce: input.nonce, body: toHex(input.body), signedBody: toHex(input.signedBody) }),
};
