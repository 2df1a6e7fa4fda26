// The crash test: 200 payments and 200 submissions while the daemon is killed (SIGKILL) at random
// points and restarted each time. Afterwards every order is final, the gateway's ledger and the
// kiosk's orders agree, no order was charged twice, and every stored submission reached the
// platform exactly once. The sandboxes live in this process, so they outlive every crash.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../device-daemon/src/testing/seeded-random';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const PAYMENTS = 200;
const SUBMISSIONS = 200;
const random = seededRandom(20_261_122);
let sandboxes: Sandboxes;
let site: Record<string, unknown>;
const dataDir = join(mkdtempSync(join(tmpdir(), 'kiosk-crash-')), 'data');

/** Amounts (fen) that stage each gateway outcome; others succeed at once. */
const STAGED = [
  { amountFen: 1_101, script: { kind: 'userPaying', afterMs: 300 } },
  { amountFen: 1_102, script: { kind: 'neverConfirms' } },
  { amountFen: 1_103, script: { kind: 'userCancels', afterMs: 300 } },
  { amountFen: 1_104, script: { kind: 'insufficientFunds' } },
  { amountFen: 1_105, script: { kind: 'timeout', afterMs: 2_500 } },
  { amountFen: 1_106, script: { kind: 'unknown' } },
  { amountFen: 1_107, script: { kind: 'networkError' } },
] as const;

beforeAll(async () => {
  sandboxes = await startSandboxes();
  for (const s of STAGED) sandboxes.gateway.script({ amountFen: s.amountFen }, s.script);
  site = siteFor(sandboxes, { lean: true });
});

afterAll(async () => {
  await stopAllDaemons();
  await sandboxes.gateway.close();
  await sandboxes.platform.close();
});

interface Session {
  daemon: DaemonProcess;
  client: WsTestClient;
  readId: string;
}

async function boot(): Promise<Session> {
  const daemon = await startDaemon({ site, dataDir });
  const client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
  await client.unsolicited('IdCard.CardInserted');
  const read = await client.completion(client.command('IdCard.Read', {}));
  await waitUntil(async () => ((await client.completion(client.command('Common.Status', { device: 'documentCamera' }))).payload as { devices: { documentCamera: { common: { device: string } } } }).devices.documentCamera.common.device === 'online', 15_000, 'document camera');
  await waitUntil(async () => (await client.completion(client.command('Platform.Catalogue', {}))).header.completionCode === 'success', 15_000, 'catalogue');
  return { daemon, client, readId: String(read.payload.readId) };
}

async function crash(session: Session): Promise<Session> {
  session.client.close();
  session.daemon.child.kill('SIGKILL');
  await session.daemon.exited;
  return boot();
}

let codes = 0;
const paymentCode = (): string => `13${String(7_000_000_000_000_000 + ++codes).padStart(16, '0')}`;

function paymentCommand(): { name: string; payload: Record<string, unknown>; native: boolean } {
  const roll = random();
  if (roll < 0.25) return { name: 'Payment.Create', payload: { utility: 'water', account: '33010601', amount: 2_000 + Math.floor(random() * 900), method: 'native' }, native: true };
  const staged = roll < 0.6 ? STAGED[Math.floor(random() * STAGED.length)] : undefined;
  return { name: 'Payment.Create', payload: { utility: 'electricity', account: '3301060012', amount: staged?.amountFen ?? 100 + Math.floor(random() * 900), method: 'micropay', code: paymentCode() }, native: false };
}

describe('crashes during payments and submissions', () => {
  it(`drives ${PAYMENTS} payments and ${SUBMISSIONS} submissions through SIGKILLs to a consistent end`, { timeout: 20 * 60_000 }, async () => {
    let session = await boot();
    const work = [...Array<'payment'>(PAYMENTS).fill('payment'), ...Array<'submission'>(SUBMISSIONS).fill('submission')].sort(() => random() - 0.5);
    let kills = 0;
    let untilKill = 5 + Math.floor(random() * 15);
    for (const kind of work) {
      // At random points: right after sending a command, before its completion arrives.
      const killNow = --untilKill <= 0;
      if (killNow) untilKill = 5 + Math.floor(random() * 15);
      const { client, readId } = session;
      if (kind === 'payment') {
        const command = paymentCommand();
        const id = client.command(command.name, command.payload);
        if (killNow) {
          session = await crash(session);
          kills += 1;
          continue;
        }
        const done = await client.completion(id, 15_000);
        if (command.native && done.header.completionCode === 'success' && random() < 0.6) sandboxes.gateway.scanAndPay(String(done.payload.orderId));
      } else {
        const picture = await client.completion(client.command('Camera.TakePicture', {}), 15_000);
        const pictureId = String(picture.payload.pictureId);
        const tolerated = random() < 0.5;
        const payload = tolerated
          ? { readId, itemCode: '330000-SB-0006', form: { phone: '13900139000', address: '杭州市西湖区' }, materials: [{ code: 'M01', pictureIds: [pictureId] }], missing: ['M02', 'M09'], commitment: { signaturePng: 'iVBORw0KGgo=', agreed: true } }
          : { readId, itemCode: '330000-YB-0001', form: { phone: '13800138000' }, materials: [{ code: 'M01', pictureIds: [pictureId] }], missing: ['M02'], commitment: { signaturePng: 'iVBORw0KGgo=', agreed: true } };
        const id = client.command('Platform.Submit', payload);
        if (killNow) {
          session = await crash(session);
          kills += 1;
          continue;
        }
        const done = await client.completion(id, 20_000);
        expect(done.header.completionCode).toBe('success');
      }
    }
    expect(kills).toBeGreaterThanOrEqual(15);

    // Let the last restart finish everything: orders final, the outbox empty.
    await waitUntil(
      async () => {
        const report = (await (await session.daemon.ops('/v1/outbox')).json()) as { counts: Array<{ state: string }>; payments: Array<{ state: string }> };
        return report.counts.every((c) => c.state !== 'pending') && report.payments.every((p) => p.state !== 'CREATED' && p.state !== 'PAYING');
      },
      120_000,
      'every order final and the outbox delivered',
    );
    session.client.close();
    expect(await session.daemon.stop()).toBe(0);

    const db = new Database(join(dataDir, 'kiosk.sqlite'), { readonly: true });
    const orders = db.prepare('SELECT order_id AS orderId, state, amount_fen AS amountFen FROM payment_orders').all() as Array<{ orderId: string; state: string; amountFen: number }>;
    const submissions = db.prepare('SELECT tracking_number AS trackingNumber FROM submissions').all() as Array<{ trackingNumber: string }>;
    const outbox = db.prepare('SELECT kind, state, COUNT(*) AS n FROM outbox GROUP BY kind, state').all() as Array<{ kind: string; state: string; n: number }>;
    db.close();

    // Every payment attempt the daemon stored ended final.
    expect(orders.length).toBeGreaterThan(PAYMENTS * 0.8);
    expect(orders.filter((o) => !['SUCCESS', 'CLOSED', 'REVOKED', 'REFUNDED'].includes(o.state))).toEqual([]);
    // The ledger and the orders agree; nothing was charged twice.
    const trades = new Map(sandboxes.gateway.trades().map((t) => [t.orderId, t]));
    const ledger = sandboxes.gateway.ledger();
    const chargesOf = (orderId: string): number => ledger.filter((e) => e.orderId === orderId && e.kind === 'charge').length;
    const refundsOf = (orderId: string): number => ledger.filter((e) => e.orderId === orderId && e.kind === 'refund').length;
    const disagreements: string[] = [];
    for (const order of orders) {
      const trade = trades.get(order.orderId);
      const charged = chargesOf(order.orderId);
      const refunded = refundsOf(order.orderId);
      if (charged > 1) disagreements.push(`${order.orderId} charged ${charged} times`);
      const kept = charged - refunded;
      if (order.state === 'SUCCESS' && (trade?.tradeState !== 'SUCCESS' || kept !== 1 || trade.amountFen !== order.amountFen)) disagreements.push(`${order.orderId} SUCCESS here, ${trade?.tradeState ?? 'absent'} (${kept} kept) at the gateway`);
      if (order.state === 'REFUNDED' && (trade?.tradeState !== 'REFUND' || kept !== 0)) disagreements.push(`${order.orderId} REFUNDED here, ${trade?.tradeState ?? 'absent'} at the gateway`);
      if ((order.state === 'REVOKED' || order.state === 'CLOSED') && kept !== 0) disagreements.push(`${order.orderId} ${order.state} here but ${kept} charge kept at the gateway`);
    }
    const mine = new Set(orders.map((o) => o.orderId));
    for (const entry of ledger) if (!mine.has(entry.orderId)) disagreements.push(`the gateway charged ${entry.orderId}, unknown here`);
    expect(disagreements).toEqual([]);
    const succeeded = orders.filter((o) => o.state === 'SUCCESS').length;
    expect(succeeded).toBeGreaterThan(50);

    // Every stored submission arrived exactly once; nothing was refused or left behind.
    const arrived = sandboxes.platform.applications().map((a) => a.trackingNumber);
    expect(new Set(arrived).size).toBe(arrived.length);
    expect([...arrived].sort()).toEqual(submissions.map((s) => s.trackingNumber).sort());
    expect(submissions.length).toBeGreaterThan(SUBMISSIONS * 0.8);
    expect(outbox.filter((o) => o.state !== 'delivered')).toEqual([]);
    console.log(`crash test: ${kills} kills; ${orders.length} orders (${succeeded} paid); ${submissions.length} submissions; ledger ${ledger.length} entries`);
  });
});
