// How kioskctl reaches a daemon's ops listener: the URL and bearer token from flags, the
// environment, or the local data directory, and GET (JSON or text) with a timeout.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { err, ok, type Result } from '../core/result';

export interface OpsTarget {
  readonly url: string;
  readonly token: string | undefined;
}

export function resolveOpsTarget(flags: { url?: string | undefined; token?: string | undefined }, env: NodeJS.ProcessEnv): OpsTarget {
  const url = flags.url ?? `http://127.0.0.1:${env.KIOSK_OPS_PORT ?? '9464'}`;
  let token = flags.token ?? env.KIOSK_OPS_TOKEN;
  if (token === undefined && flags.url === undefined) {
    // On the terminal itself: the token the daemon generated for this boot.
    try {
      token = readFileSync(join(resolve(env.KIOSK_DATA_DIR ?? './.kiosk-data'), 'ops-token'), 'utf8').trim();
    } catch {
      token = undefined;
    }
  }
  return { url: url.replace(/\/+$/, ''), token };
}

async function opsFetch(target: OpsTarget, path: string, timeoutMs: number): Promise<Result<Response, string>> {
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      headers: target.token ? { authorization: `Bearer ${target.token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    return err(`cannot reach ${target.url}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (response.status === 401) return err(`${target.url} refused the token (401): pass --token or set KIOSK_OPS_TOKEN`);
  if (!response.ok) return err(`${target.url}${path} answered ${response.status}`);
  return ok(response);
}

export async function opsGet(target: OpsTarget, path: string, timeoutMs = 5_000): Promise<Result<unknown, string>> {
  const response = await opsFetch(target, path, timeoutMs);
  if (!response.ok) return response;
  try {
    return ok(await response.value.json());
  } catch {
    return err(`${target.url}${path} did not answer JSON`);
  }
}

/** A text answer (the Prometheus exposition of /metrics), refused above maxBytes. */
export async function opsGetText(target: OpsTarget, path: string, maxBytes = 4 * 1024 * 1024, timeoutMs = 5_000): Promise<Result<string, string>> {
  const response = await opsFetch(target, path, timeoutMs);
  if (!response.ok) return response;
  try {
    const body = await response.value.arrayBuffer();
    if (body.byteLength > maxBytes) return err(`${target.url}${path} answered more than ${maxBytes} bytes`);
    return ok(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return err(`${target.url}${path} did not answer UTF-8 text`);
  }
}
