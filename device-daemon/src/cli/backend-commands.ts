// kioskctl catalog list and kioskctl payments reconcile: the terminal's cached service list and a
// day's reconciliation against the gateway, both from the daemon's ops listener.
import { z } from 'zod';
import { catalogueSchema } from '../backends/platform/platform-api';
import { opsGet, type OpsTarget } from './ops-client';

const catalogueReplySchema = z.object({ syncedAt: z.string().nullable(), stale: z.boolean(), lastError: z.string().nullable(), catalogue: catalogueSchema.nullable() });

export async function catalogListCommand(target: OpsTarget, asJson: boolean, out: (line: string) => void): Promise<number> {
  const fetched = await opsGet(target, '/v1/catalogue');
  if (!fetched.ok) {
    out(`kioskctl catalog list: ${fetched.error}`);
    return 1;
  }
  const reply = catalogueReplySchema.safeParse(fetched.value);
  if (!reply.success || !reply.data.catalogue) {
    out('kioskctl catalog list: the terminal has no service list yet');
    return 3;
  }
  const { catalogue } = reply.data;
  if (asJson) {
    out(JSON.stringify({ region: catalogue.region, regionName: catalogue.regionName, version: catalogue.version, syncedAt: reply.data.syncedAt, stale: reply.data.stale, items: catalogue.items.map((i) => ({ code: i.code, name: i.name, category: i.category, journey: i.journey, department: i.department.zh })) }, null, 2));
  } else {
    out(`${catalogue.regionName.zh} (${catalogue.region})  version ${catalogue.version}  synced ${reply.data.syncedAt ?? 'never'}${reply.data.stale ? '  STALE' : ''}`);
    for (const item of catalogue.items) out(`${item.code}  ${item.journey.padEnd(11)}  ${item.name.zh}  ${item.name.en}`);
  }
  return reply.data.stale ? 3 : 0;
}

const discrepancy = z.object({ orderId: z.string(), note: z.string() });
const reportSchema = z.object({
  date: z.string(),
  local: z.object({ orders: z.number(), paidFen: z.number() }),
  gateway: z.object({ trades: z.number(), paidFen: z.number() }),
  matched: z.number(),
  long: z.array(discrepancy),
  short: z.array(discrepancy),
  mismatched: z.array(discrepancy),
  open: z.array(z.string()),
});

export async function reconcileCommand(target: OpsTarget, date: string, asJson: boolean, out: (line: string) => void): Promise<number> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    out('kioskctl payments reconcile: --date takes YYYY-MM-DD');
    return 2;
  }
  const fetched = await opsGet(target, `/v1/payments/reconcile?date=${date}`, 60_000);
  if (!fetched.ok) {
    out(`kioskctl payments reconcile: ${fetched.error}`);
    return 1;
  }
  const report = reportSchema.safeParse(fetched.value);
  if (!report.success) {
    out('kioskctl payments reconcile: the terminal answered something that is not a reconciliation report');
    return 1;
  }
  const r = report.data;
  if (asJson) out(JSON.stringify(fetched.value, null, 2));
  else {
    const yuan = (fen: number): string => (fen / 100).toFixed(2);
    out(`对账 Reconciliation ${r.date}: kiosk ${r.local.orders} orders, ¥${yuan(r.local.paidFen)} paid; gateway ${r.gateway.trades} trades, ¥${yuan(r.gateway.paidFen)} paid; ${r.matched} matched`);
    for (const [label, list] of [['长款 long', r.long], ['短款 short', r.short], ['不一致 mismatched', r.mismatched]] as const) for (const d of list) out(`  ${label}: ${d.orderId} ${d.note}`);
    if (r.open.length > 0) out(`  still open (not judged): ${r.open.join(', ')}`);
  }
  return r.long.length + r.short.length + r.mismatched.length > 0 ? 3 : 0;
}
