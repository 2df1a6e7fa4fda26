// What a failed backend call means for an outbox message: try again later (nothing happened, or we
// cannot know), or give up because the backend refused it for good.
import type { HttpError } from '../http/json-client';
import type { SendOutcome } from './outbox-sender';

const RETRY_STATUSES = new Set([401, 403, 408, 425, 429]);

export function outcomeOf(error: HttpError): SendOutcome {
  if (error.kind !== 'status') return { kind: 'retry', error: `${error.kind}: ${error.message}` };
  const status = error.status ?? 0;
  // 401/403 are the kiosk's credentials, not the message: keep it until an operator fixes them.
  if (status >= 500 || RETRY_STATUSES.has(status)) return { kind: 'retry', error: error.message };
  return { kind: 'rejected', error: `${error.code ?? status}: ${error.message}` };
}
