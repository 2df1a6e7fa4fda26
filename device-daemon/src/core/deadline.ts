// AbortSignal plumbing: every device and network call takes a signal, and this is where a caller's
// signal, a timeout and a cancel are combined. Timers use the global setTimeout so that tests can
// drive them with fake clocks (AbortSignal.timeout cannot be faked).
import { err, ok, type Result } from './result';

export type AbortKind = 'canceled' | 'timeout' | 'shutdown';

export class AbortReason extends Error {
  constructor(
    readonly kind: AbortKind,
    message: string,
  ) {
    super(message);
    this.name = 'AbortReason';
  }
}

export function reasonOf(signal: AbortSignal): AbortReason {
  const reason: unknown = signal.reason;
  if (reason instanceof AbortReason) return reason;
  return new AbortReason('canceled', reason instanceof Error ? reason.message : 'aborted');
}

export interface Deadline {
  readonly signal: AbortSignal;
  /** Stops the timer and detaches from the parent; call when the guarded work is over. */
  dispose(): void;
}

/**
 * A signal that aborts when `parent` aborts (with the parent's reason) or after `timeoutMs`
 * (reason kind "timeout"). A timeout of 0 or undefined adds no timer.
 */
export function deadline(parent: AbortSignal | undefined, timeoutMs: number | undefined, what = 'operation'): Deadline {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onParentAbort = (): void => controller.abort(parent ? reasonOf(parent) : undefined);
  if (parent?.aborted) {
    controller.abort(reasonOf(parent));
  } else {
    parent?.addEventListener('abort', onParentAbort, { once: true });
    if (timeoutMs !== undefined && timeoutMs > 0) {
      timer = setTimeout(() => controller.abort(new AbortReason('timeout', `${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    }
  }
  return {
    signal: controller.signal,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/** Resolves after `ms`, or early with the abort reason. */
export function delay(ms: number, signal: AbortSignal): Promise<Result<void, AbortReason>> {
  if (signal.aborted) return Promise.resolve(err(reasonOf(signal)));
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(err(reasonOf(signal)));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(ok(undefined));
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Races a promise against a signal. The promise keeps running when the signal wins; use it only
 * around work that cannot itself be interrupted and whose late result may be dropped.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<Result<T, AbortReason>> {
  if (signal.aborted) return Promise.resolve(err(reasonOf(signal)));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(err(reasonOf(signal)));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(ok(value));
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
