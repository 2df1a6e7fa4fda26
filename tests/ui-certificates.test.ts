// J3 in real Chromium against the daemon in simulation: after the identity check, the holder's
// certificates, a preview, printing on A4 (the spooled PDF read back), the A4 printer out of paper
// mid-journey, and the platform down then back.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_FACES_SKIP_REASON, evalFace, evalFacesPresent } from '../device-daemon/src/testing/eval-faces';
import { launchBrowser } from './support/browser';
import { startDaemon, stopAllDaemons, type DaemonProcess } from './support/daemon-process';
import { startSandboxes, type Sandboxes } from './support/sandboxes';
import { capture, openKiosk, passFaceCheck, uiSite } from './support/ui';

let browser: Browser;
let sandboxes: Sandboxes;
let daemon: DaemonProcess;

function spooled(): string[] {
  const dirs = readdirSync(daemon.dataDir).filter((d) => d.endsWith('-spool'));
  return dirs.flatMap((d) => readdirSync(join(daemon.dataDir, d)).filter((f) => f.endsWith('.pdf')));
}

describe.skipIf(!evalFacesPresent)(`J3 certificates in the browser${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, { timeout: 180_000 }, () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    sandboxes = await startSandboxes();
    daemon = await startDaemon({ site: uiSite(sandboxes) });
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllDaemons();
    await sandboxes?.gateway.close();
    await sandboxes?.platform.close();
  });

  it('identifies, lists, previews and prints; survives the A4 printer running out of paper and the platform going away', async () => {
    const kiosk = await openKiosk(browser, daemon, 'landscape');
    const { page } = kiosk;
    await daemon.simulate('faceCamera', { action: 'show', image: evalFace('raj_1.png') });
    await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
    await page.locator('[data-journey="J3"] button').click();
    await page.locator('[data-screen="identify-consent"]').waitFor();
    await passFaceCheck(kiosk, daemon);
    await page.locator('[data-action="continue"]').click();

    await page.locator('[data-screen="certificates-list"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-certificate]').count()).toBeGreaterThan(0);
    await capture(kiosk, 'certificates-list');
    await page.locator('[data-certificate]').first().click();
    await page.locator('[data-screen="certificates-preview"] img.document-preview').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('img.document-preview').evaluate((img) => (img instanceof HTMLImageElement ? img.naturalWidth : 0))).toBeGreaterThan(100);
    await capture(kiosk, 'certificates-preview');
    const before = spooled().length;
    await page.locator('[data-action="print"]').click();
    await page.locator('[data-screen="certificates-printed"], [data-screen="certificates-print-failed"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-screen]').last().getAttribute('data-screen')).toBe('certificates-printed');
    expect(spooled().length).toBe(before + 1);
    await capture(kiosk, 'certificates-printed');
    await page.locator('[data-action="done"]').click();
    await page.locator('[data-screen="rate"]').waitFor();
    await page.locator('[data-action="skip-rating"]').click();

    // Same session, card still there: no second face check. The A4 printer runs out of paper
    // while the resident looks at the preview.
    await page.locator('[data-journey="J3"] button').click();
    await page.locator('[data-screen="certificates-list"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-certificate]').first().click();
    await page.locator('[data-screen="certificates-preview"]').waitFor({ timeout: 30_000 });
    await daemon.simulate('a4Printer', { action: 'stop', reason: 'Media empty or out of paper' });
    await expect.poll(async () => (await (await daemon.ops('/v1/status')).json()) as unknown, { timeout: 15_000 }).toMatchObject({ devices: { a4Printer: { status: { documentPrinter: { queue: 'stopped' } } } } });
    await page.locator('[data-action="print"]').click();
    await page.locator('[data-screen="certificates-print-failed"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-problem]').getAttribute('data-problem')).toBe('printerNotReady');
    await capture(kiosk, 'certificates-print-failed');
    const afterFailure = spooled().length;
    await daemon.simulate('a4Printer', { action: 'start' });
    await expect.poll(async () => (await (await daemon.ops('/v1/status')).json()) as unknown, { timeout: 15_000 }).toMatchObject({ devices: { a4Printer: { status: { documentPrinter: { queue: 'idle' } } } } });
    await page.getByRole('button', { name: '重试' }).click();
    await page.locator('[data-screen="certificates-printed"]').waitFor({ timeout: 60_000 });
    expect(spooled().length).toBe(afterFailure + 1);
    await page.locator('[data-action="done"]').click();
    await page.locator('[data-action="skip-rating"]').click();

    // The platform goes away: the list cannot be fetched, the resident is told and can retry.
    await sandboxes.platform.stop();
    await page.locator('[data-journey="J3"] button').click();
    await page.locator('[data-screen="certificates-list-failed"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-problem]').getAttribute('data-problem')).toBe('platformUnavailable');
    await capture(kiosk, 'certificates-list-failed');
    await sandboxes.platform.start();
    await page.getByRole('button', { name: '重试' }).click();
    await page.locator('[data-screen="certificates-list"]').waitFor({ timeout: 30_000 });
    expect(kiosk.errors).toEqual([]);
    await page.close();
  });
});
