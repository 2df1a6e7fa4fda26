// Fuzz target of the gateway's notification to the ops listener: readNotification, which the
// POST /v1/payments/notify route calls (signature over the body bytes, JSON, notificationSchema), on
// random and mutated notifications. Each gives a value, never a throw; an intact signed one is
// accepted once and refused as a replay after.
import { bytesFrom, expectThat, mutateJson, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import type { Result } from '../../core/result';
import { NonceWindow, sign } from '../http/signature';
import type { Notification } from './gateway-api';
import { readNotification, type NotificationRefusal } from './gateway-notification';

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

const nonces = new NonceWindow(300_000, 10_000);

function handle(body: Uint8Array, headers: Record<string, string>): Result<Notification, NotificationRefusal> {
  return readNotification(body, headers, { secret: SECRET, path: PATH, nonces, now: NOW });
}

function check(input: NotificationInput): void {
  const headers = sign(SECRET, 'POST', PATH, input.signedBody, NOW, input.nonce);
  const read = handle(input.body, headers);
  if (input.intact && input.signedBody === input.body) {
    expectThat(read.ok, `an intact notification was refused: ${read.ok ? '' : read.error.kind}`);
    // What the route hands on is what the gateway signed.
    expectThat(read.ok && read.value.orderId === SAMPLE.orderId && read.value.amountFen === SAMPLE.amountFen, 'an intact notification read as another');
  }
  // Bytes not signed as sent never get past the signature.
  if (!Buffer.from(input.signedBody).equals(Buffer.from(input.body))) expectThat(!read.ok && read.error.kind === 'signature', 'bytes other than the signed ones were accepted');
  if (read.ok) {
    const again = handle(input.body, headers);
    expectThat(!again.ok && again.error.kind === 'signature', 'a replayed notification was accepted');
  }
}

export const gatewayNotificationTarget: FuzzTarget<NotificationInput> = {
  name: 'gateway-notify',
  generate,
  check,
  show: (input) => JSON.stringify({ nonce: input.nonce, body: toHex(input.body), signedBody: toHex(input.signedBody) }),
};
