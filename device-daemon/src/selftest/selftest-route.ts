// POST /v1/selftest {device?, level} on the ops listener (behind its bearer token), for kioskctl:
// runs the self-tests and answers their results; GET /v1/selftest answers the last of each device
// and level. A client that hangs up cancels the tests still to run.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { formatIssues } from '../config/load-config';
import { err, ok, type Result } from '../core/result';
import { SELF_TEST_LEVELS } from '../protocol';
import type { SelfTestService } from './selftest-service';

const MAX_BODY = 4 * 1024;

export const selfTestRequestSchema = z.strictObject({
  device: z.string().regex(/^[a-z][A-Za-z0-9]{0,31}$/, 'a device name from the configuration').optional(),
  level: z.enum(SELF_TEST_LEVELS),
});

function reply(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(JSON.stringify(value, null, 2) + '\n');
}

function readJson(request: IncomingMessage): Promise<Result<unknown, string>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(err('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(ok(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      } catch {
        resolve(err('request body is not JSON'));
      }
    });
    request.on('error', () => resolve(err('request failed')));
  });
}

/** true: the request was this route's (answered). */
export function selfTestRoute(service: SelfTestService): (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean> {
  return async (request, response, url) => {
    if (url.pathname !== '/v1/selftest') return false;
    if (request.method === 'GET') {
      reply(response, 200, { latest: service.latest() });
      return true;
    }
    if (request.method !== 'POST') {
      reply(response, 405, { error: 'GET or POST' });
      return true;
    }
    const body = await readJson(request);
    if (!body.ok) {
      reply(response, 400, { error: body.error });
      return true;
    }
    const parsed = selfTestRequestSchema.safeParse(body.value);
    if (!parsed.success) {
      reply(response, 400, { error: formatIssues(parsed.error.issues) });
      return true;
    }
    const hangUp = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) hangUp.abort();
    });
    const ran = await service.run(parsed.data, hangUp.signal);
    if (!ran.ok) reply(response, 404, { error: ran.error });
    else reply(response, 200, { results: ran.value });
    return true;
  };
}
