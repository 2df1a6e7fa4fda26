// Receipts end to end: Printer.PrintForm over the WebSocket, durable jobs in the real daemon, the
// virtual printer driven into paper-out, an open cover, an unplugged cable and a killed daemon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { startDaemon, stopAllDaemons, type DaemonProcess } from './support/daemon-process';

let daemon: DaemonProcess;
let client: WsTestClient;

const SAMPLE = {
  utility: 'water',
  account: '330106001234567',
  holderMasked: '王**',
  kind: 'prepayment',
  amountFen: 5_000,
  method: 'alipay',
  orderId: 'KSK20261122101500B001',
  receiptNumber: 'R2611220099',
  status: 'success',
  paidAt: '2026-11-22T10:15:00+08:00',
  verifyUrl: 'https://zwfw.example.gov.cn/pay/verify?r=R2611220099',
};

async function connect(d: DaemonProcess): Promise<WsTestClient> {
  const c = await WsTestClient.connect(`${d.wsUrl}?token=${d.uiToken}`);
  await c.completion(c.command('Common.Status', {}));
  return c;
}

const simLines = async (d: DaemonProcess): Promise<string[]> => ((await (await d.ops('/v1/simulator/receiptPrinter')).json()) as { lastLines: string[] }).lastLines;
const jobEvents = (c: WsTestClient, jobId: string): string[] =>
  c.messages.flatMap((m) => (m.header.type === 'unsolicited' && m.header.name === 'Printer.JobStateChanged' && (m.payload ?? {}).jobId === jobId ? [`${String((m.payload ?? {}).state)}${(m.payload ?? {}).reason ? `:${String((m.payload ?? {}).reason)}` : ''}`] : []));

beforeAll(async () => {
  daemon = await startDaemon();
  client = await connect(daemon);
});

afterAll(async () => {
  expect(client.malformed).toEqual([]);
  client.close();
  await daemon.stop();
  await stopAllDaemons();
});

describe('receipts over the WebSocket', () => {
  it('prints a payment receipt and reports the job', async () => {
    const done = await client.completion(client.command('Printer.PrintForm', { template: 'payment-receipt', data: SAMPLE }));
    expect(done.header.completionCode).toBe('success');
    const jobId = String(done.payload.jobId);
    expect(done.payload).toEqual({ jobId, state: 'printed', reprint: false });
    expect(jobEvents(client, jobId)).toEqual(['printing', 'printed']);
    const job = await client.completion(client.command('Printer.GetJob', { jobId }));
    expect(job.payload).toMatchObject({ jobId, state: 'printed', reason: null, reprint: false, attempts: 1 });
    expect(await simLines(daemon)).toContain('缴费成功 PAID');
  });

  it('keeps a receipt when the paper runs out in the middle, and finishes it after the refill', async () => {
    await daemon.simulate('receiptPrinter', { action: 'paperRunsOut', afterLines: 4 });
    const pending = await client.completion(client.command('Printer.PrintForm', { template: 'payment-receipt', data: { ...SAMPLE, receiptNumber: 'R2611220100' } }));
    expect(pending.header.completionCode).toBe('commandErrorCode');
    const jobId = String(pending.payload.jobId);
    expect(pending.payload).toEqual({ jobId, state: 'pending', errorCode: 'paperOut' });
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
    await client.waitFor((m) => m.header.type === 'unsolicited' && m.header.name === 'Printer.JobStateChanged' && (m.payload ?? {}).jobId === jobId && (m.payload ?? {}).state === 'printed');
    // With Automatic Status Back the refill is seen at once: the job is "finishing" from the printer's
    // buffer until the printer confirms it.
    expect(jobEvents(client, jobId)).toEqual(['printing', 'pending:paperOut', 'pending:finishing', 'printed']);
    const lines = await simLines(daemon);
    expect(lines.filter((l) => l.includes('R2611220100'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('重打'))).toBe(false);
  });

  it('waits with a receipt while the cover is open', async () => {
    await daemon.simulate('receiptPrinter', { action: 'cover', open: true });
    await client.unsolicited('Common.StatusChangedEvent', (p) => (p.printer as { cover?: string } | undefined)?.cover === 'open');
    const pending = await client.completion(client.command('Printer.PrintForm', { template: 'queue-ticket', data: { number: 'C101', service: '户籍', waiting: 2, issuedAt: '2026-11-22T10:20:00+08:00' } }));
    expect([pending.header.completionCode, pending.payload.errorCode, pending.payload.state]).toEqual(['deviceNotReady', 'coverOpen', 'pending']);
    await daemon.simulate('receiptPrinter', { action: 'cover', open: false });
    await client.waitFor((m) => m.header.type === 'unsolicited' && m.header.name === 'Printer.JobStateChanged' && (m.payload ?? {}).jobId === pending.payload.jobId && (m.payload ?? {}).state === 'printed');
    expect((await simLines(daemon)).filter((l) => l === 'C101')).toHaveLength(1);
  });

  it('reprints a receipt whole, marked, after the cable was pulled in the middle of it', async () => {
    await daemon.simulate('receiptPrinter', { action: 'hold' });
    const before = client.messages.length;
    const id = client.command('Printer.PrintForm', { template: 'queue-ticket', data: { number: 'D202', service: '社保', waiting: 0, issuedAt: '2026-11-22T10:25:00+08:00' } });
    const printing = await client.waitFor((m) => client.messages.indexOf(m) >= before && m.header.type === 'unsolicited' && m.header.name === 'Printer.JobStateChanged' && (m.payload ?? {}).state === 'printing');
    const jobId = String((printing.payload ?? {}).jobId);
    await daemon.simulate('receiptPrinter', { action: 'unplug' });
    const completion = await client.completion(id);
    expect([completion.header.completionCode, completion.payload.state]).toEqual(['deviceNotReady', 'pending']);
    // The printer lost power with the cable: its buffer is gone.
    await daemon.simulate('receiptPrinter', { action: 'release' });
    await daemon.simulate('receiptPrinter', { action: 'plug' });
    await client.waitFor((m) => m.header.type === 'unsolicited' && m.header.name === 'Printer.JobStateChanged' && (m.payload ?? {}).jobId === jobId && (m.payload ?? {}).state === 'printed');
    const job = await client.completion(client.command('Printer.GetJob', { jobId }));
    expect(job.payload).toMatchObject({ state: 'printed', reprint: true, attempts: 2 });
    const lines = await simLines(daemon);
    const mark = lines.lastIndexOf('重打 REPRINT');
    expect(mark).toBeGreaterThanOrEqual(0);
    expect(lines.slice(mark)).toContain('D202');
  });

  it('refuses bad data and a QR code too long for the printer before anything prints', async () => {
    const bad = await client.completion(client.command('Printer.PrintForm', { template: 'payment-receipt', data: { ...SAMPLE, amountFen: 0 } }));
    expect([bad.header.completionCode, bad.payload.errorCode]).toEqual(['invalidData', 'invalidData']);
    const longQr = await client.completion(client.command('Printer.PrintForm', { template: 'payment-receipt', data: { ...SAMPLE, verifyUrl: `https://zwfw.example.gov.cn/${'q'.repeat(300)}` } }));
    expect([longQr.header.completionCode, longQr.payload.errorCode]).toEqual(['invalidData', 'qrTooLong']);
    const unknown = await client.completion(client.command('Printer.PrintForm', { template: 'menu', data: {} }));
    expect(unknown.header.completionCode).toBe('invalidData');
  });
});

describe('a daemon killed in the middle of a receipt', () => {
  it('prints it again, marked, when it comes back: nothing is lost', async () => {
    const first = await startDaemon();
    const c = await connect(first);
    await first.simulate('receiptPrinter', { action: 'hold' });
    const id = c.command('Printer.PrintForm', { template: 'queue-ticket', data: { number: 'E303', service: '医保', waiting: 1, issuedAt: '2026-11-22T10:30:00+08:00' } });
    const printing = await c.waitFor((m) => m.header.type === 'unsolicited' && m.header.name === 'Printer.JobStateChanged' && (m.payload ?? {}).state === 'printing');
    expect(c.about(id).some((m) => m.header.type === 'completion')).toBe(false);
    first.child.kill('SIGKILL');
    await first.exited;
    c.close();
    const second = await startDaemon({ dataDir: first.dataDir });
    const c2 = await connect(second);
    const jobId = String((printing.payload ?? {}).jobId);
    const job = await (async () => {
      for (;;) {
        const j = await c2.completion(c2.command('Printer.GetJob', { jobId }));
        if (j.payload.state === 'printed') return j;
        await c2.unsolicited('Printer.JobStateChanged', (p) => p.jobId === jobId && p.state === 'printed', 10_000).catch(() => undefined);
      }
    })();
    expect(job.payload).toMatchObject({ state: 'printed', reprint: true });
    const lines = await simLines(second);
    expect(lines).toContain('重打 REPRINT');
    expect(lines).toContain('E303');
    c2.close();
    await second.stop();
  });
});
