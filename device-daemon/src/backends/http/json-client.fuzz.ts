// Fuzz target of backend replies: what the platform and the payment gateway answer, through the real
// JsonClient (size bound, reply signature, status, JSON, the API's zod schema) with fetch replaced by
// a stub that hands back the fuzzed reply, so no network. Every reply gives a Result whose error kind
// is one the callers handle; an intact, correctly signed reply is accepted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { findProjectRoot } from '../../paths';
import { bytesFrom, expectThat, int, mutateJson, pick, toHex, type FuzzTarget, type Random } from '../../testing/fuzz-harness';
import { billSchema, closeReplySchema, micropayReplySchema, nativeOrderReplySchema, postingReplySchema, refundReplySchema, reverseReplySchema, statementSchema, tradeSchema } from '../payments/gateway-api';
import { catalogueSchema, certificateListSchema, identityPhotoSchema, progressSchema, ratingReplySchema, submissionReplySchema, supervisionReplySchema } from '../platform/platform-api';
import { JsonClient } from './json-client';
import { sign, SIGNATURE_HEADERS } from './signature';

const SECRET = 'fuzz-secret-0123456789';
const NOW = Date.UTC(2026, 10, 22, 2, 0, 0);
const name = { zh: '户籍证明', en: 'Household registration certificate' };
const at = '2026-11-22T02:00:00.000Z';

interface Api {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly schema: z.ZodType;
  sample: unknown;
}

const APIS: Api[] = [
  { method: 'POST', path: '/v1/bills/query', schema: billSchema, sample: { utility: 'water', account: '33010603', holderMasked: '张*', arrearsFen: 12_840, balanceFen: 0, billMonth: '2026-10', dueDate: '2026-11-30' } },
  { method: 'POST', path: '/v1/orders/native', schema: nativeOrderReplySchema, sample: { orderId: 'K0042202611220001', tradeNo: 'T1', qrContent: 'weixin://wxpay/bizpayurl?pr=abc', tradeState: 'NOTPAY' } },
  { method: 'POST', path: '/v1/orders/micropay', schema: micropayReplySchema, sample: { orderId: 'K0042202611220001', tradeNo: 'T1', tradeState: 'SUCCESS', wallet: 'wechat' } },
  { method: 'GET', path: '/v1/orders/K0042202611220001', schema: tradeSchema, sample: { orderId: 'K0042202611220001', tradeNo: null, tradeState: 'USERPAYING', amountFen: 100, paidAt: null, refundFen: 0 } },
  { method: 'POST', path: '/v1/orders/K0042202611220001/close', schema: closeReplySchema, sample: { orderId: 'K0042202611220001', tradeState: 'CLOSED' } },
  { method: 'POST', path: '/v1/orders/K0042202611220001/reverse', schema: reverseReplySchema, sample: { orderId: 'K0042202611220001', tradeState: 'REVOKED', refunded: true } },
  { method: 'POST', path: '/v1/orders/K0042202611220001/refund', schema: refundReplySchema, sample: { refundId: 'K0042202611220001R', orderId: 'K0042202611220001', tradeState: 'REFUND' } },
  { method: 'POST', path: '/v1/utilities/postings', schema: postingReplySchema, sample: { postingId: 'P0042202611220001', utilityReceipt: 'W-1' } },
  { method: 'GET', path: '/v1/statements/2026-11-22', schema: statementSchema, sample: { date: '2026-11-22', trades: [{ orderId: 'K1', tradeNo: 'T1', amountFen: 100, tradeState: 'SUCCESS', paidAt: at, refundFen: 0 }] } },
  { method: 'POST', path: '/v1/applications', schema: submissionReplySchema, sample: { trackingNumber: 'HZXH0042-20261122-000001', caseId: 'C1', acceptance: 'tolerated', acceptedAt: at, promisedBy: '2026-12-01', missing: [{ code: 'M1', name, deadline: '2026-11-29' }] } },
  { method: 'GET', path: '/v1/applications/HZXH0042-20261122-000001', schema: progressSchema, sample: { trackingNumber: 'HZXH0042-20261122-000001', itemCode: '330000-HJ-0001', itemName: name, status: 'inReview', timeline: [{ at, status: 'received', note: '' }] } },
  { method: 'POST', path: '/v1/certificates/query', schema: certificateListSchema, sample: { certificates: [{ id: 'CERT-0000000000000001', kind: 'household', title: name, issuer: '杭州市公安局', issuedAt: at, pages: 1 }] } },
  { method: 'POST', path: '/v1/ratings', schema: ratingReplySchema, sample: { ratingId: 'R1', received: true } },
  { method: 'POST', path: '/v1/supervision-events', schema: supervisionReplySchema, sample: { eventId: 'E1', received: true } },
  { method: 'POST', path: '/v1/identity-photo', schema: identityPhotoSchema, sample: { photo: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0xff, 0xd9]).toString('base64') } },
  { method: 'GET', path: '/v1/catalogue?region=330106', schema: catalogueSchema, sample: {} },
];

const KINDS = new Set(['unreachable', 'unknown', 'canceled', 'status', 'malformed']);
const STATUSES = [200, 200, 200, 201, 400, 401, 404, 409, 422, 500, 502, 503];

export interface ReplyInput {
  readonly api: number;
  readonly status: number;
  readonly body: Uint8Array;
  readonly headers: Record<string, string>;
  readonly intact: boolean;
}

let reply: ReplyInput | undefined;
const client = new JsonClient({ baseUrl: 'http://127.0.0.1:9', appId: 'kiosk', secret: SECRET, timeoutMs: 60_000, maxReplyBytes: 256 * 1024, now: () => NOW });
const realFetch = globalThis.fetch;

function generate(random: Random): ReplyInput {
  const index = int(random, APIS.length);
  const api = APIS[index] ?? APIS[0];
  if (!api) throw new Error('no APIs');
  const r = random();
  const intact = r < 0.15;
  const json = intact ? api.sample : r < 0.85 ? mutateJson(random, api.sample) : { error: { code: pick(random, ['E1', 1, null]), message: 'x' } };
  const text = JSON.stringify(json) ?? '';
  const body = r > 0.95 ? bytesFrom(random, [Buffer.from(text)], 100) : Uint8Array.from(Buffer.from(text));
  const status = intact ? 200 : pick(random, STATUSES);
  const headers = sign(SECRET, String(status), api.path, body, NOW, `n${int(random, 1e9)}`);
  if (!intact && random() < 0.15) {
    const key = pick(random, Object.values(SIGNATURE_HEADERS));
    headers[key] = pick(random, ['', 'x', '99999999999999', 'A'.repeat(100), headers[key]?.slice(1) ?? '']);
  }
  if (!intact && random() < 0.05) headers['content-length'] = pick(random, ['abc', '-1', '999999999', '1e9']);
  return { api: index, status, body, headers, intact };
}

async function check(input: ReplyInput): Promise<void> {
  const api = APIS[input.api];
  expectThat(api !== undefined, 'no such API');
  reply = input;
  const result = await client.call(api.method, api.path, api.method === 'POST' ? {} : undefined, api.schema, new AbortController().signal);
  expectThat(result.ok || (KINDS.has(result.error.kind) && result.error.message.length > 0), 'the client gave no Result');
  if (input.intact) expectThat(result.ok, `an intact signed reply was refused: ${result.ok ? '' : result.error.message}`);
  if (!result.ok && result.error.kind === 'status') expectThat(input.status >= 400, 'a status error for a success status');
}

export const jsonClientTarget: FuzzTarget<ReplyInput> = {
  name: 'backend-replies',
  setup() {
    // The shipped catalogue, cut to three items so that the long run stays quick.
    const catalogue: unknown = JSON.parse(readFileSync(join(findProjectRoot(import.meta.dirname), 'config', 'catalogue.json'), 'utf8'));
    const items = typeof catalogue === 'object' && catalogue !== null && 'items' in catalogue && Array.isArray(catalogue.items) ? catalogue.items.slice(0, 3) : [];
    const version = typeof catalogue === 'object' && catalogue !== null && 'version' in catalogue ? catalogue.version : '1';
    const catalogueApi = APIS.at(-1);
    if (catalogueApi) catalogueApi.sample = { version, region: '330106', regionName: { zh: '西湖区', en: 'Xihu District' }, items };
    globalThis.fetch = (): Promise<Response> => {
      const r = reply;
      if (!r) return Promise.reject(new TypeError('no reply staged'));
      return Promise.resolve(new Response(r.body, { status: r.status, headers: r.headers }));
    };
  },
  teardown() {
    globalThis.fetch = realFetch;
  },
  generate,
  check,
  show: (input) => JSON.stringify({ api: APIS[input.api]?.path, status: input.status, headers: input.headers, hex: toHex(input.body) }),
};
