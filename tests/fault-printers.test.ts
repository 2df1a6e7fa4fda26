// Fault matrix, printers: the receipt printer unplugged in the middle of a job, out of paper in the
// middle of one and with its cover opened during one, and the A4 queue stopped for want of paper.
// For each: the resident's completion and events over the WebSocket, the operator's /metrics and
// /v1/status, and the virtual printer's own output proving the job came out once, whole.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsTestClient } from '../device-daemon/src/testing/ws-test-client';
import { startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { commandErrors, completionsOf, deviceReport, deviceStateAfter, metricDeviceState, metricValue, scrape, unsolicitedAfter } from './support/fault-probes';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';

let sandboxes: Sandboxes;
let daemon: DaemonProcess;
let client: WsTestClient;

const printerSchema = z.object({ cuts: z.number(), pendingBytes: z.number(), lastLines: z.array(z.string()) });
const printerOutput = async (): Promise<z.infer<typeof printerSchema>> => printerSchema.parse(await (await daemon.ops('/v1/simulator/receiptPrinter')).json());

const ticket = (number: string): Record<string, unknown> => ({ template: 'queue-ticket', data: { number, service: '户籍', waiting: 1, issuedAt: '2026-11-22T10:20:00+08:00' } });

/** The job states the resident's screen was told about, in order. */
const jobStates = (jobId: string): string[] =>
  client.messages.flatMap((m) => {
    const p = m.payload ?? {};
    return m.header.type === 'unsolicited' && m.header.name === 'Printer.JobStateChanged' && p.jobId === jobId ? [`${String(p.state)}${p.reason ? `:${String(p.reason)}` : ''}`] : [];
  });

const printedEvent = (mark: number, jobId: string): Promise<unknown> =>
  unsolicitedAfter(client, mark, 'Printer.JobStateChanged', (p) => p.jobId === jobId && p.state === 'printed', 30_000);

/** Sends a ticket with the printer holding its buffer; resolves once the job is printing. */
async function ticketInFlight(number: string): Promise<{ requestId: number; jobId: string }> {
  await daemon.simulate('receiptPrinter', { action: 'hold' });
  const mark = client.messages.length;
  const requestId = client.command('Printer.PrintForm', ticket(number));
  const printing = await unsolicitedAfter(client, mark, 'Printer.JobStateChanged', (p) => p.state === 'printing');
  expect(completionsOf(client, requestId)).toEqual([]);
  return { requestId, jobId: String((printing.payload ?? {}).jobId) };
}

/** After a fault: a fresh receipt prints at once, once. */
async function printsAgain(number: string): Promise<void> {
  const before = await printerOutput();
  const done = await client.completion(client.command('Printer.PrintForm', ticket(number)), 30_000);
  expect([done.header.completionCode, done.payload.state]).toEqual(['success', 'printed']);
  const after = await printerOutput();
  expect(after.cuts - before.cuts).toBe(1);
  expect(after.lastLines.filter((l) => l === number)).toHaveLength(1);
}

beforeAll(async () => {
  sandboxes = await startSandboxes();
  daemon = await startDaemon({ site: siteFor(sandboxes, { lean: true }) });
  client = await WsTestClient.connect(`${daemon.wsUrl}?token=${daemon.uiToken}`);
  await client.completion(client.command('Common.Status', {}));
});

afterAll(async () => {
  expect(client.malformed).toEqual([]);
  client.close();
  expect(await daemon.stop()).toBe(0);
  await stopAllDaemons();
  await sandboxes.gateway.close();
  await sandboxes.platform.close();
});

describe('fault matrix: receipt printer', () => {
  it('unplugged mid-job and replugged: one deviceNotReady completion, noDevice for the operator, the job printed once after replug', async () => {
    const before = await scrape(daemon);
    const output = await printerOutput();
    const { requestId, jobId } = await ticketInFlight('F101');
    const mark = client.messages.length;
    await daemon.simulate('receiptPrinter', { action: 'unplug' });
    await deviceStateAfter(client, mark, 'receiptPrinter', 'noDevice');
    await unsolicitedAfter(client, mark, 'Common.ErrorEvent', (p) => p.device === 'receiptPrinter' && p.action === 'suspend');
    const completion = await client.completion(requestId, 30_000);
    expect([completion.header.completionCode, completion.payload.state, completion.payload.jobId]).toEqual(['deviceNotReady', 'pending', jobId]);

    const during = await scrape(daemon);
    expect(metricDeviceState(during, 'receiptPrinter')).toBe('noDevice');
    expect(metricValue(during, 'kiosk_device_disconnects_total', { device: 'receiptPrinter' })).toBe(metricValue(before, 'kiosk_device_disconnects_total', { device: 'receiptPrinter' }) + 1);
    expect(commandErrors(during, 'Printer.PrintForm', 'deviceNotReady')).toBe(commandErrors(before, 'Printer.PrintForm', 'deviceNotReady') + 1);
    expect(metricValue(during, 'kiosk_print_jobs', { device: 'receiptPrinter', state: 'pending' })).toBeGreaterThanOrEqual(1);
    const report = await deviceReport(daemon, 'receiptPrinter');
    expect(report.status.common.device).toBe('noDevice');
    expect(report.printJobs?.pending ?? 0).toBeGreaterThanOrEqual(1);

    // The printer lost power with the cable: it comes back with an empty buffer (the simulator's
    // new connection), so the job goes again, whole and marked.
    const back = client.messages.length;
    await daemon.simulate('receiptPrinter', { action: 'plug' });
    await deviceStateAfter(client, back, 'receiptPrinter', 'online');
    await daemon.simulate('receiptPrinter', { action: 'release' });
    await printedEvent(back, jobId);
    const job = await client.completion(client.command('Printer.GetJob', { jobId }));
    expect(job.payload).toMatchObject({ state: 'printed', reprint: true, attempts: 2 });
    const after = await printerOutput();
    expect(after.cuts - output.cuts).toBe(1);
    expect(after.lastLines.filter((l) => l === 'F101')).toHaveLength(1);
    expect(after.lastLines.filter((l) => l === '重打 REPRINT')).toHaveLength(1);
    expect(completionsOf(client, requestId)).toHaveLength(1);
    expect(metricDeviceState(await scrape(daemon), 'receiptPrinter')).toBe('online');
    await printsAgain('F102');
  });

  it('paper out mid-job: one paperOut completion, the paper state for the operator, the rest printed once after the refill', async () => {
    const before = await scrape(daemon);
    const output = await printerOutput();
    await daemon.simulate('receiptPrinter', { action: 'paperRunsOut', afterLines: 3 });
    const mark = client.messages.length;
    const requestId = client.command('Printer.PrintForm', ticket('F201'));
    const pending = await client.completion(requestId, 30_000);
    const jobId = String(pending.payload.jobId);
    expect([pending.header.completionCode, pending.payload.errorCode, pending.payload.state]).toEqual(['commandErrorCode', 'paperOut', 'pending']);
    await unsolicitedAfter(client, mark, 'Common.StatusChangedEvent', (p) => p.device === 'receiptPrinter' && z.object({ paper: z.string() }).safeParse(p.printer).data?.paper === 'out');

    const during = await scrape(daemon);
    expect(metricValue(during, 'kiosk_printer_paper_state', { device: 'receiptPrinter', state: 'out' })).toBe(1);
    expect(commandErrors(during, 'Printer.PrintForm', 'commandErrorCode')).toBe(commandErrors(before, 'Printer.PrintForm', 'commandErrorCode') + 1);
    expect(metricValue(during, 'kiosk_print_jobs', { device: 'receiptPrinter', state: 'pending' })).toBe(1);
    expect((await printerOutput()).cuts).toBe(output.cuts);

    const refill = client.messages.length;
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
    await printedEvent(refill, jobId);
    expect(jobStates(jobId)).toEqual(['printing', 'pending:paperOut', 'pending:finishing', 'printed']);
    const after = await printerOutput();
    expect(after.cuts - output.cuts).toBe(1);
    expect(after.lastLines.filter((l) => l === 'F201')).toHaveLength(1);
    expect(after.lastLines).not.toContain('重打 REPRINT');
    const done = await scrape(daemon);
    expect(metricValue(done, 'kiosk_printer_paper_state', { device: 'receiptPrinter', state: 'full' })).toBe(1);
    expect(metricValue(done, 'kiosk_print_jobs', { device: 'receiptPrinter', state: 'pending' })).toBe(0);
    expect(completionsOf(client, requestId)).toHaveLength(1);
    await printsAgain('F202');
  });

  it('cover opened mid-job: one coverOpen completion, the cover for the operator, printed once after it is closed', async () => {
    const before = await scrape(daemon);
    const output = await printerOutput();
    const { requestId, jobId } = await ticketInFlight('F301');
    const mark = client.messages.length;
    await daemon.simulate('receiptPrinter', { action: 'cover', open: true });
    await unsolicitedAfter(client, mark, 'Common.StatusChangedEvent', (p) => p.device === 'receiptPrinter' && z.object({ cover: z.string() }).safeParse(p.printer).data?.cover === 'open');
    // The printer stops on its own with the cover open, whatever it still holds.
    await daemon.simulate('receiptPrinter', { action: 'release' });
    const completion = await client.completion(requestId, 30_000);
    expect([completion.header.completionCode, completion.payload.errorCode, completion.payload.state]).toEqual(['deviceNotReady', 'coverOpen', 'pending']);
    expect(jobStates(jobId)).toContain('pending:coverOpen');

    const during = await scrape(daemon);
    expect(commandErrors(during, 'Printer.PrintForm', 'deviceNotReady')).toBe(commandErrors(before, 'Printer.PrintForm', 'deviceNotReady') + 1);
    expect(metricValue(during, 'kiosk_print_jobs', { device: 'receiptPrinter', state: 'pending' })).toBe(1);
    const report = await deviceReport(daemon, 'receiptPrinter');
    expect(report.status).toMatchObject({ printer: { cover: 'open' } });
    expect((await printerOutput()).cuts).toBe(output.cuts);

    const closed = client.messages.length;
    await daemon.simulate('receiptPrinter', { action: 'cover', open: false });
    await printedEvent(closed, jobId);
    const after = await printerOutput();
    expect(after.cuts - output.cuts).toBe(1);
    expect(after.lastLines.filter((l) => l === 'F301')).toHaveLength(1);
    expect(completionsOf(client, requestId)).toHaveLength(1);
    expect(metricValue(await scrape(daemon), 'kiosk_print_jobs', { device: 'receiptPrinter', state: 'pending' })).toBe(0);
    await printsAgain('F302');
  });
});

describe('fault matrix: A4 printer', () => {
  it('queue stopped out of paper: printerNotReady for the resident, userError for the operator, nothing spooled; printed once after start', async () => {
    await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
    await client.unsolicited('IdCard.CardInserted', () => true, 20_000);
    const read = await client.completion(client.command('IdCard.Read', {}), 20_000);
    const readId = String(read.payload.readId);
    await waitUntil(async () => (await client.completion(client.command('Platform.Certificates', { readId }))).header.completionCode === 'success', 20_000, 'certificates listed');
    const list = await client.completion(client.command('Platform.Certificates', { readId }));
    const certificateId = z.object({ certificates: z.array(z.object({ id: z.string() })).min(1) }).parse(list.payload).certificates[0]?.id ?? '';
    const spool = join(daemon.dataDir, 'a4Printer-spool');
    const spooled = (): string[] => readdirSync(spool).filter((f) => f.endsWith('.pdf'));

    const before = await scrape(daemon);
    const mark = client.messages.length;
    await daemon.simulate('a4Printer', { action: 'stop', reason: 'Media empty or out of paper' });
    await deviceStateAfter(client, mark, 'a4Printer', 'userError');
    await unsolicitedAfter(client, mark, 'Common.ErrorEvent', (p) => p.device === 'a4Printer');
    const countStopped = spooled().length;
    const refusedId = client.command('Platform.PrintCertificate', { readId, certificateId });
    const refused = await client.completion(refusedId, 30_000);
    expect([refused.header.completionCode, refused.payload.errorCode]).toEqual(['commandErrorCode', 'printerNotReady']);
    expect(spooled()).toHaveLength(countStopped);

    const during = await scrape(daemon);
    expect(metricDeviceState(during, 'a4Printer')).toBe('userError');
    expect(commandErrors(during, 'Platform.PrintCertificate', 'commandErrorCode')).toBe(commandErrors(before, 'Platform.PrintCertificate', 'commandErrorCode') + 1);
    expect(metricValue(during, 'kiosk_device_errors_total', { device: 'a4Printer' })).toBeGreaterThan(metricValue(before, 'kiosk_device_errors_total', { device: 'a4Printer' }));
    const report = await deviceReport(daemon, 'a4Printer');
    expect(report.status).toMatchObject({ common: { device: 'userError' }, documentPrinter: { queue: 'stopped', reason: 'Media empty or out of paper' } });

    const started = client.messages.length;
    await daemon.simulate('a4Printer', { action: 'start' });
    await deviceStateAfter(client, started, 'a4Printer', 'online');
    const retryId = client.command('Platform.PrintCertificate', { readId, certificateId });
    const printed = await client.completion(retryId, 30_000);
    expect(printed.header.completionCode).toBe('success');
    expect(spooled()).toHaveLength(countStopped + 1);
    expect([completionsOf(client, refusedId), completionsOf(client, retryId)].map((c) => c.length)).toEqual([1, 1]);
    expect(metricDeviceState(await scrape(daemon), 'a4Printer')).toBe('online');
    await daemon.simulate('idCardReader', { action: 'remove' });
  });
});
