// Technician mode in real Chromium against the daemon in simulation: after the hidden gesture and
// the PIN, the paper counters, the internal self-test (nothing printed) and the external one (a test
// slip, counted), and the external test failing with its reason when the printer is out of paper.
// The PIN lockout is tested in ui-session.test.ts.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { statusReportSchema } from '../device-daemon/src/ops/status-report';
import { launchBrowser } from './support/browser';
import { startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';
import { capture, openKiosk } from './support/ui';

let browser: Browser;
let sandboxes: Sandboxes;
let daemon: DaemonProcess;

beforeAll(async () => {
  browser = await launchBrowser();
  sandboxes = await startSandboxes();
  daemon = await startDaemon({ site: siteFor(sandboxes, { lean: true }) });
});

afterAll(async () => {
  await browser?.close();
  await stopAllDaemons();
  await sandboxes?.gateway.close();
  await sandboxes?.platform.close();
});

async function paperSeen(paper: string): Promise<void> {
  await waitUntil(async () => statusReportSchema.parse(await (await daemon.ops('/v1/status')).json()).devices.receiptPrinter?.status.printer?.paper === paper, 10_000, `paper ${paper}`);
}

describe('technician mode in the browser', { timeout: 120_000 }, () => {
  it('shows the paper counters and runs the internal and external self-tests, with a failing printer named', async () => {
    const kiosk = await openKiosk(browser, daemon, 'landscape');
    const { page } = kiosk;
    for (let i = 0; i < 5; i += 1) await page.locator('[data-technician-gesture]').dispatchEvent('pointerdown');
    await page.locator('[data-screen="technician-pin"]').waitFor();
    for (const digit of '246810') await page.locator('.keypad .key', { hasText: new RegExp(`^${digit}$`) }).click();
    await page.locator('[data-action="technician-login"]').click();
    await page.locator('[data-screen="technician-devices"]').waitFor();
    await page.locator('[data-counter="receiptPrinter"][data-printed="0"]').waitFor();

    await page.locator('[data-action="selftest-internal"]').click();
    await page.locator('[data-selftest-level="internal"][data-selftest-state="done"]').waitFor({ timeout: 30_000 });
    const internal = await page.locator('.selftest-results li').evaluateAll((items) => items.map((li) => [li.getAttribute('data-device'), li.getAttribute('data-outcome')]));
    expect(Object.fromEntries(internal)).toEqual({ receiptPrinter: 'passed', idCardReader: 'passed', documentCamera: 'passed', a4Printer: 'passed', database: 'passed', faceService: 'skipped' });
    await capture(kiosk, 'technician-selftest-internal');

    await page.locator('[data-action="selftest-external"]').click();
    await page.locator('[data-selftest-level="external"][data-selftest-state="done"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('.selftest-results li[data-device="receiptPrinter"]').getAttribute('data-outcome')).toBe('passed');
    expect(await page.locator('.selftest-results li[data-device="receiptPrinter"] .selftest-text').textContent()).toMatch(/test slip printed/);
    await page.locator('[data-counter="receiptPrinter"][data-printed="1"]').waitFor();

    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'out' });
    await paperSeen('out');
    await page.locator('[data-action="selftest-external"]').click();
    await page.locator('[data-selftest-level="external"][data-selftest-state="running"]').waitFor();
    await page.locator('[data-selftest-level="external"][data-selftest-state="done"]').waitFor({ timeout: 60_000 });
    const printer = page.locator('.selftest-results li[data-device="receiptPrinter"]');
    expect(await printer.getAttribute('data-outcome')).toBe('failed');
    expect(await printer.locator('.selftest-text').textContent()).toMatch(/paper out; .*no test slip sent/);
    expect(await printer.textContent()).toContain('失败 FAILED');
    await capture(kiosk, 'technician-selftest-paper-out');
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
    await paperSeen('full');

    // The results are the daemon's: /v1/status shows the same last run.
    const selfTests = z.array(z.object({ device: z.string(), level: z.string(), outcome: z.string() })).parse(statusReportSchema.parse(await (await daemon.ops('/v1/status')).json()).selfTests);
    expect(selfTests.find((r) => r.device === 'receiptPrinter' && r.level === 'external')?.outcome).toBe('failed');

    await page.locator('[data-action="technician-exit"]').click();
    await page.locator('[data-screen="attract"]').waitFor();
    expect(kiosk.errors).toEqual([]);
    await page.close();
  });
});
