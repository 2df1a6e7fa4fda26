// JSON over HTTP to a backend: every call bounded by a signal and a timeout, signed, its reply's
// signature checked and its body parsed with zod. What can go wrong comes back as a value that says
// whether the request may have been acted on (a timeout or a dropped connection after sending), so
// callers can tell "failed" from "unknown".
import type { z } from 'zod';
import { deadline, reasonOf } from '../../core/deadline';
import { err, ok, type Result } from '../../core/result';
import { SIGNATURE_HEADERS, sign, verify } from './signature';

export type HttpErrorKind =
  /** Nothing reached the server (connection refused, DNS): safe to retry, nothing happened. */
  | 'unreachable'
  /** The request may or may not have been acted on (timeout, connection lost mid-request). */
  | 'unknown'
  | 'canceled'
  /** The server answered with an error status; `code` is its error code when it gave one. */
  | 'status'
  /** The reply was not what the API promises: bad JSON, wrong shape, bad or missing signature. */
  | 'malformed';

export interface HttpError {
  readonly kind: HttpErrorKind;
  readonly message: string;
  readonly status?: number;
  readonly code?: string;
}

export interface JsonClientOptions {
  readonly baseUrl: string;
  readonly appId: string;
  readonly secret: string;
  readonly timeoutMs: number;
  /** Largest reply body read; a larger one is malformed. */
  readonly maxReplyBytes?: number;
  readonly now?: () => number;
  /** Told of every request's outcome and duration (the operator's backend metrics). */
  readonly observe?: (outcome: 'ok' | HttpErrorKind, seconds: number) => void;
}

const errorBody = (text: string): { code?: string; message?: string } => {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed && typeof parsed.error === 'object' && parsed.error !== null) {
      const e = parsed.error;
      return { ...('code' in e && typeof e.code === 'string' ? { code: e.code } : {}), ...('message' in e && typeof e.message === 'string' ? { message: e.message } : {}) };
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return {};
};

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function causeCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return undefined;
}

export class JsonClient {
  constructor(private readonly options: JsonClientOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** A JSON call; `body` undefined sends no body. `headers` adds e.g. an Idempotency-Key. */
  async call<S extends z.ZodType>(method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, schema: S, signal: AbortSignal, headers: Record<string, string> = {}): Promise<Result<z.infer<S>, HttpError>> {
    const raw = await this.#request(method, path, body, signal, headers, 'application/json');
    if (!raw.ok) return raw;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.value.toString('utf8'));
    } catch {
      return err({ kind: 'malformed', message: `${method} ${path}: the reply is not JSON` });
    }
    const checked = schema.safeParse(parsed);
    if (!checked.success) return err({ kind: 'malformed', message: `${method} ${path}: the reply does not fit the API (${checked.error.issues.map((i) => i.path.join('.') || '(top)').slice(0, 3).join(', ')})` });
    return ok(checked.data);
  }

  /** Raw bytes (a PDF), signature checked, size bounded; a body (POST) keeps personal data out of the URL. */
  bytes(method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal, accept: string): Promise<Result<Buffer, HttpError>> {
    return this.#request(method, path, body, signal, {}, accept);
  }

  async #request(method: string, path: string, body: unknown, signal: AbortSignal, headers: Record<string, string>, accept: string): Promise<Result<Buffer, HttpError>> {
    const started = performance.now();
    const result = await this.#send(method, path, body, signal, headers, accept);
    this.options.observe?.(result.ok ? 'ok' : result.error.kind, (performance.now() - started) / 1000);
    return result;
  }

  async #send(method: string, path: string, body: unknown, signal: AbortSignal, headers: Record<string, string>, accept: string): Promise<Result<Buffer, HttpError>> {
    const now = this.options.now ?? ((): number => Date.now());
    const text = body === undefined ? '' : JSON.stringify(body);
    const guard = deadline(signal, this.options.timeoutMs, `${method} ${path}`);
    let sent = false;
    try {
      const response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        headers: {
          accept,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          [SIGNATURE_HEADERS.app]: this.options.appId,
          ...sign(this.options.secret, method, path, text, now()),
          ...headers,
        },
        ...(body === undefined ? {} : { body: text }),
        signal: guard.signal,
      });
      sent = true;
      const bytes = await this.#read(response, guard.signal);
      if (!bytes.ok) return bytes;
      const replyHeaders = Object.fromEntries(response.headers);
      const problem = verify(this.options.secret, String(response.status), path, bytes.value, replyHeaders, undefined, now());
      if (problem) return err({ kind: 'malformed', status: response.status, message: `${method} ${path}: reply signature ${problem}` });
      if (!response.ok) {
        const e = errorBody(bytes.value.toString('utf8'));
        return err({ kind: 'status', status: response.status, message: `${method} ${path}: ${response.status}${e.message ? ` ${e.message}` : ''}`, ...(e.code ? { code: e.code } : {}) });
      }
      return ok(bytes.value);
    } catch (error) {
      if (guard.signal.aborted) {
        const reason = reasonOf(guard.signal);
        return err({ kind: reason.kind === 'timeout' ? 'unknown' : 'canceled', message: reason.message });
      }
      const code = causeCode(error);
      if (!sent && code !== undefined && UNREACHABLE.has(code)) return err({ kind: 'unreachable', message: `${method} ${path}: ${code}` });
      return err({ kind: 'unknown', message: `${method} ${path}: ${code ?? (error instanceof Error ? error.message : String(error))}` });
    } finally {
      guard.dispose();
    }
  }

  async #read(response: Response, signal: AbortSignal): Promise<Result<Buffer, HttpError>> {
    const max = this.options.maxReplyBytes ?? 1024 * 1024;
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > max) {
      await response.body?.cancel();
      return err({ kind: 'malformed', status: response.status, message: `reply of ${declared} bytes is over ${max}` });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    if (!response.body) return ok(Buffer.alloc(0));
    for await (const chunk of response.body) {
      if (signal.aborted) break;
      size += chunk.length;
      if (size > max) {
        await response.body.cancel().catch(() => undefined);
        return err({ kind: 'malformed', status: response.status, message: `reply over ${max} bytes` });
      }
      chunks.push(Buffer.from(chunk));
    }
    return ok(Buffer.concat(chunks, size));
  }
}
