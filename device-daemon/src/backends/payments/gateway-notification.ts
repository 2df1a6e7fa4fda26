// The gateway's notification to the ops listener, from its bytes: the signature over the exact body
// first (so nothing unsigned is parsed), then JSON, then the schema. Apart from the route so the
// route and its fuzz target run the same steps.
import type { Result } from '../../core/result';
import { err, ok } from '../../core/result';
import { verify, type NonceWindow, type SignatureProblem } from '../http/signature';
import { notificationSchema, type Notification } from './gateway-api';

export type NotificationRefusal = { readonly kind: 'signature'; readonly problem: SignatureProblem } | { readonly kind: 'notJson' } | { readonly kind: 'notNotification' };

export interface NotificationCheck {
  readonly secret: string;
  readonly path: string;
  readonly nonces: NonceWindow;
  readonly now?: number;
}

export function readNotification(body: Uint8Array, headers: Readonly<Record<string, string | string[] | undefined>>, check: NotificationCheck): Result<Notification, NotificationRefusal> {
  const problem = verify(check.secret, 'POST', check.path, body, headers, check.nonces, check.now);
  if (problem) return err({ kind: 'signature', problem });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return err({ kind: 'notJson' });
  }
  const notification = notificationSchema.safeParse(parsed);
  return notification.success ? ok(notification.data) : err({ kind: 'notNotification' });
}
