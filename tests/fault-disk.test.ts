// The fault-matrix row "the disk full for the database": the daemon's data directory on a small tmpfs,
// filled to the last byte while it runs. A payment must not be charged when its order cannot be
// recorded first, a submission must not look accepted, a receipt must not look printed; each command
// ends once, the daemon keeps answering, and once space is back it works again without a restart.
// The UI in Chromium closes the journeys that keep a record while the disk is full, and opens them
// again when it is back.
import { execFile } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionMessage } from '../device-daemon/src/protocol';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { launchBrowser } from './support/browser';
import { completionsOf, metricValue, scrape } from './support/fault-probes';
import { OPS_TOKEN, startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const parseJson = (line: string): unknown => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};
const logEntry = z.object({ level: z.number(), msg: z.string(), where: z.optional(z.string()), reason: z.optional(z.string()), err: z.optional(z.object({ message: z.optional(z.string()) })) });
const work = mkdtempSync(join(tmpdir(), 'kiosk-disk-'));
const mountPoint = join(work, 'disk');
const dataDir = join(mountPoint, 'data');
const filler = join(mountPoint, 'filler');
let mounted = false;
let sandboxes: Sandboxes;
let daemon: DaemonProcess;
let client: WsTestClient;
let readId: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(mountPoint);
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', mountPoint]);
    mounted = true;
  } catch (error) {
    throw new Error(`this test needs a small tmpfs for the data directory and could not mount one (run it as root, or with CAP_SYS_ADMIN): ${error instanceof Error ? error.message : String(error)}`);
  }
  sandboxes = await startSandboxes();
  daemon = await startDaemon({ site: siteFor(sandboxes, { lean: true }), dataDir });
  client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
  await client.unsolicited('IdCard.CardInserted');
  readId = String((await client.completion(client.command('IdCard.Read', {}))).payload.readId);
  await waitUntil(async () => (await client.completion(client.command('Platform.Catalogue', {}))).header.completionCode === 'success', 20_000, 'catalogue');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  await page.goto(`http://127.0.0.1:${daemon.uiPort}/`);
  await page.locator('[data-screen="attract"]').waitFor();
}, 60_000);

afterAll(async () => {
  client?.close();
  await browser?.close();
  // SIGTERM first, so the daemon ends its lpstat children (a SIGKILLed daemon leaves them to write
  // into the mount point after the umount); SIGKILL whatever is left.
  if (daemon?.child.exitCode === null) await Promise.race([daemon.stop(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  await stopAllDaemons();
  await sandboxes?.gateway.close();
  await sandboxes?.platform.close();
  if (mounted) await run('umount', [mountPoint]).catch(() => run('umount', ['-l', mountPoint]));
  rmSync(work, { recursive: true, force: true });
});

/** Writes zeros until the file system refuses, down to single bytes, so nothing is left. */
function fillDisk(path: string): number {
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (let chunk = 1 << 20; chunk >= 1; chunk = Math.floor(chunk / 2)) {
      const zeros = Buffer.alloc(chunk);
      for (;;) {
        try {
          written += writeSync(fd, zeros);
        } catch (error) {
          if (error instanceof Error && 'code' in error && error.code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

let codes = 0;
const paymentCode = (): string => `13${String(8_000_000_000_000_000 + ++codes).padStart(16, '0')}`;
const micropay = (amount: number): Record<string, unknown> => ({ utility: 'electricity', account: '3301060012', amount, method: 'micropay', code: paymentCode() });
const submission = (pictureId: string): Record<string, unknown> => ({ readId, itemCode: '330000-YB-0001', form: { phone: '13800138000' }, materials: [{ code: 'M01', pictureIds: [pictureId] }], missing: ['M02'], commitment: { signaturePng: 'iVBORw0KGgo=', agreed: true } });
const receipt = (n: number): Record<string, unknown> => ({
  template: 'queue-ticket',
  data: { number: `F${n}`, service: '户籍', waiting: 0, issuedAt: '2026-11-22T10:20:00+08:00' },
});

/** Sends a command and waits for its completion (a hang fails the test at the bound). */
const once = (name: string, payload: Record<string, unknown>, timeoutMs = 30_000): Promise<CompletionMessage> => client.completion(client.command(name, payload), timeoutMs);

const printerLines = async (): Promise<string[]> => z.object({ lastLines: z.array(z.string()) }).parse(await (await daemon.ops('/v1/simulator/receiptPrinter')).json()).lastLines;
const takePicture = async (): Promise<string> => String((await client.completion(client.command('Camera.TakePicture', {}), 30_000)).payload.pictureId);
/**
 * Each journey on the attract screen: open, closed for want of storage (its reason names 本机存储), or
 * closed for a device (the lean site has no face camera, so J1, J2, J3 and J5 are closed for that).
 */
const journeyStates = async (): Promise<Record<string, string>> =>
  Object.fromEntries(
    await Promise.all(
      ['J1', 'J2', 'J3', 'J4', 'J5', 'J6', 'J7', 'J8'].map(async (j) => {
        const item = page.locator(`[data-journey="${j}"]`);
        if (String(await item.getAttribute('class')).includes('journey-open')) return [j, 'open'];
        return [j, (await item.innerText()).includes('本机存储') ? 'closed: storage' : 'closed'];
      }),
    ),
  );
const healthEvents = (from: number): unknown[] => client.messages.slice(from).flatMap((m) => (m.header.type === 'unsolicited' && m.header.name === 'Kiosk.HealthChanged' ? [m.payload] : []));
const statusAnswers = async (): Promise<boolean> => (await client.completion(client.command('Common.Status', {}), 10_000)).header.completionCode === 'success';

describe('the disk full for the database', () => {
  it('fails payments, submissions and receipts as values, charges nothing, and recovers without a restart', { timeout: 180_000 }, async () => {
    // Before: one payment and one submission that succeed, to check afterwards nothing was lost.
    const before = await once('Payment.Create', micropay(301));
    expect(before.payload).toMatchObject({ state: 'SUCCESS' });
    const beforeSubmit = await once('Platform.Submit', submission(await takePicture()));
    expect(beforeSubmit.header.completionCode).toBe('success');
    const pictureForFull = await takePicture();
    await waitUntil(async () => (await once('Payment.Query', { orderId: String(before.payload.orderId) })).payload['posting'] === 'posted', 15_000, 'posting of the first payment');
    const ordersBefore = sandboxes.gateway.trades().length;
    const chargesBefore = sandboxes.gateway.ledger().filter((e) => e.kind === 'charge').length;
    const applicationsBefore = sandboxes.platform.applications().length;
    const metricsBefore = await scrape(daemon);
    await expect.poll(async () => Object.values(await journeyStates()).filter((v) => v === 'open').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    const journeysBefore = await journeyStates();
    console.log(`journeys before: ${JSON.stringify(journeysBefore)}`);
    expect(journeysBefore).toMatchObject({ J4: 'open', J6: 'open', J7: 'open', J8: 'open' });
    expect(Object.values(journeysBefore)).not.toContain('closed: storage');
    expect((await once('Kiosk.Health', {})).payload).toEqual({ storage: 'ok' });

    const logMark = daemon.logs.length;
    const filled = fillDisk(filler);
    expect(statfsSync(mountPoint).bavail).toBe(0);
    const mark = client.messages.length;

    // A payment: the order cannot be recorded, so the gateway must never see it.
    const payment = await once('Payment.Create', micropay(302));
    // A submission: the resident must not get a tracking number for something not stored.
    const submit = await once('Platform.Submit', submission(pictureForFull));
    // A receipt: its durable job cannot be stored.
    const print = await once('Printer.PrintForm', receipt(1));
    const seen = { payment: payment.header.completionCode, paymentError: payment.payload.errorCode, submit: submit.header.completionCode, submitError: submit.payload.errorCode, print: print.header.completionCode, printError: print.payload.errorCode };
    console.log(`disk full (${filled} filler bytes): ${JSON.stringify(seen)}`);
    for (const done of [payment, submit, print]) expect(completionsOf(client, done.header.requestId)).toHaveLength(1);
    // The payment says nothing was charged (the UI tells the resident so, not "outcome unknown");
    // the others name the storage fault rather than a bug.
    expect(seen).toEqual({ payment: 'commandErrorCode', paymentError: 'storageFull', submit: 'internalError', submitError: 'storageFault', print: 'internalError', printError: 'storageFault' });
    expect(submit.payload.trackingNumber).toBeUndefined();
    expect(sandboxes.gateway.trades().length).toBe(ordersBefore);
    expect(sandboxes.gateway.ledger().filter((e) => e.kind === 'charge').length).toBe(chargesBefore);
    expect(sandboxes.platform.applications().length).toBe(applicationsBefore);

    // The UI is told once, and closes the journeys that keep a record (photo, certificates, bills,
    // applications, ratings); identity, tracking and help stay open, and a closed one says why.
    expect(healthEvents(mark)).toEqual([{ storage: 'failing' }]);
    expect((await once('Kiosk.Health', {})).payload).toEqual({ storage: 'failing' });
    await expect.poll(journeyStates, { timeout: 10_000 }).toEqual({
      J1: journeysBefore.J1,
      J2: 'closed: storage',
      J3: 'closed: storage',
      J4: 'closed: storage',
      J5: 'closed: storage',
      J6: 'open',
      J7: 'closed: storage',
      J8: 'open',
    });
    console.log(`journeys while full: ${JSON.stringify(await journeyStates())}`);
    // aria-disabled: playwright would wait for it to be enabled; the resident can still tap it.
    await page.locator('[data-journey="J4"] button').click({ force: true });
    await page.locator('[data-screen="unavailable"]').waitFor();
    expect(await page.locator('[data-screen="unavailable"]').innerText()).toContain('本机存储暂时不能使用');
    await page.getByRole('button', { name: '返回' }).click();
    await page.locator('[data-screen="home"], [data-screen="attract"]').first().waitFor();

    // The daemon is alive and answering; what the operator sees.
    expect(daemon.child.exitCode).toBeNull();
    expect(await statusAnswers()).toBe(true);
    const readyz = (await daemon.ops('/readyz')).status;
    const status = z.object({ ready: z.boolean(), storage: z.object({ state: z.object({ kind: z.string(), fault: z.optional(z.string()) }), freeBytes: z.optional(z.number()) }) }).parse(await (await daemon.ops('/v1/status')).json());
    const metricsFull = await scrape(daemon);
    const auditFailures = metricValue(metricsFull, 'kiosk_audit_write_failures_total') - metricValue(metricsBefore, 'kiosk_audit_write_failures_total');
    const errorsOf = (command: string): number => metricValue(metricsFull, 'kiosk_command_errors_total', { command }) - metricValue(metricsBefore, 'kiosk_command_errors_total', { command });
    const storageOk = metricValue(metricsFull, 'kiosk_storage_ok');
    const fullFaults = metricValue(metricsFull, 'kiosk_storage_faults_total', { fault: 'full' }) - metricValue(metricsBefore, 'kiosk_storage_faults_total', { fault: 'full' });
    console.log(`operator while full: /readyz ${readyz}, /v1/status ready ${status.ready} storage ${JSON.stringify(status.storage)}, kiosk_storage_ok ${storageOk}, storage faults (full) +${fullFaults}, audit write failures +${auditFailures}, command errors Payment.Create +${errorsOf('Payment.Create')} Platform.Submit +${errorsOf('Platform.Submit')} Printer.PrintForm +${errorsOf('Printer.PrintForm')}`);
    expect(metricValue(metricsBefore, 'kiosk_storage_ok')).toBe(1);
    expect(readyz).toBe(503);
    expect(status.ready).toBe(false);
    expect(status.storage.state).toMatchObject({ kind: 'failing', fault: 'full' });
    expect(storageOk).toBe(0);
    expect(fullFaults).toBeGreaterThanOrEqual(3);
    // What a technician on site reads (kioskctl status exits 1 when something needs attention).
    const status1 = await run(process.execPath, [join(ROOT, 'device-daemon', 'dist', 'kioskctl.js'), 'status', '--remote', `http://127.0.0.1:${daemon.opsPort}`, '--token', OPS_TOKEN]).then(
      ({ stdout }) => stdout,
      (error: unknown) => (error instanceof Error && 'stdout' in error ? String(error.stdout) : ''),
    );
    console.log(`kioskctl status while full:\n${status1}`);
    expect(status1).toMatch(/storage full since .*: payments and submissions refused \(0 KiB free\)/);
    // The log says why (level 50 = error), and nothing fatal was logged.
    const errorLines = daemon.logs.slice(logMark).flatMap((line) => {
      const entry = logEntry.safeParse(parseJson(line));
      return entry.success && entry.data.level >= 50 ? [`${entry.data.level} ${entry.data.msg} ${entry.data.where ?? entry.data.reason ?? entry.data.err?.message ?? ''}`] : [];
    });
    console.log(`daemon error lines while full:\n${errorLines.join('\n')}`);
    expect(errorLines.some((l) => /SQLITE_FULL|database or disk is full/.test(l))).toBe(true);
    expect(errorLines.some((l) => l.includes('storage failing'))).toBe(true);
    // A full disk is a fault the daemon expects, not a bug.
    expect(errorLines.filter((l) => l.includes('bug:'))).toEqual([]);
    expect(errorLines.filter((l) => l.startsWith('60 '))).toEqual([]);
    expect(auditFailures).toBeGreaterThanOrEqual(3);
    expect(errorsOf('Payment.Create')).toBe(1);
    expect(errorsOf('Platform.Submit')).toBe(1);
    expect(errorsOf('Printer.PrintForm')).toBe(1);
    expect(client.messages.slice(mark).filter((m) => m.header.type === 'completion' && m.header.name === 'Payment.Create')).toHaveLength(1);

    // Space back: the same daemon works again, and says so before anyone tries.
    rmSync(filler);
    const markBack = client.messages.length;
    expect((await daemon.ops('/readyz')).status).toBe(200);
    await waitUntil(() => healthEvents(markBack).length > 0, 10_000, 'the UI told storage is back');
    expect(healthEvents(markBack)).toEqual([{ storage: 'ok' }]);
    await expect.poll(journeyStates, { timeout: 10_000 }).toEqual(journeysBefore);
    expect(metricValue(await scrape(daemon), 'kiosk_storage_ok')).toBe(1);
    const paid = await once('Payment.Create', micropay(303));
    expect(paid.payload).toMatchObject({ state: 'SUCCESS' });
    const delivered = await once('Platform.Submit', submission(await takePicture()));
    expect(delivered.header.completionCode).toBe('success');
    const printed = await once('Printer.PrintForm', receipt(2));
    expect(printed.header.completionCode).toBe('success');
    await waitUntil(() => sandboxes.platform.applications().some((a) => a.trackingNumber === delivered.payload.trackingNumber), 20_000, 'the new application at the platform');
    expect(daemon.child.exitCode).toBeNull();
    // The refused ticket never reached the paper; the one after recovery did, once.
    await waitUntil(async () => (await printerLines()).some((l) => l.includes('F2')), 20_000, 'the ticket after recovery printed');
    const lines = await printerLines();
    expect(lines.filter((l) => l.includes('F1'))).toEqual([]);
    expect(lines.filter((l) => l.includes('F2'))).toHaveLength(1);

    // Nothing lost or duplicated: two charges (before and after), one each; two applications, once each.
    const charges = sandboxes.gateway.ledger().filter((e) => e.kind === 'charge');
    expect(charges.map((e) => e.orderId).sort()).toEqual([String(before.payload.orderId), String(paid.payload.orderId)].sort());
    const arrived = sandboxes.platform.applications().map((a) => a.trackingNumber);
    expect(arrived.sort()).toEqual([String(beforeSubmit.payload.trackingNumber), String(delivered.payload.trackingNumber)].sort());
    for (const orderId of [before.payload.orderId, paid.payload.orderId]) {
      await waitUntil(async () => (await once('Payment.Query', { orderId: String(orderId) })).payload['posting'] === 'posted', 15_000, `posting of ${String(orderId)}`);
    }
    const outbox = (await (await daemon.ops('/v1/outbox')).json()) as { counts: Array<{ kind: string; state: string; n: number }> };
    expect(outbox.counts.filter((c) => c.state === 'rejected')).toEqual([]);
    expect(client.malformed).toEqual([]);
    // And it still stops cleanly.
    client.close();
    expect(await daemon.stop()).toBe(0);
  });
});
