// Expected failures are values: every device, transport and network call returns a Result.
// A thrown error is a bug and is handled as one (logged, internalError, process supervisor).

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

export const OK_VOID: Ok<void> = Object.freeze({ ok: true, value: undefined });
