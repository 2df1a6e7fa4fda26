// The session around the journeys, in real Chromium against the daemon in simulation: the idle
// warning with its spoken countdown and the wipe, elder mode (longer idle time, bigger targets,
// slower speech), a device fault closing exactly its journeys, help (J8), rating from the menu (J7),
// and technician mode with its PIN lockout.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { startDaemon, stopAllDaemons, type DaemonProcess } from './support/daemon-process';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';
import { capture, expectInView, openKiosk } from './support/ui';

let browser: Browser;
let sandboxes: Sandboxes;
let daemon: DaemonProcess;

beforeAll(async () => {
  browser = await launchBrowser();
  sandboxes = await startSandboxes();
  daemon = await startDaemon({ site: siteFor(sandboxes, { lean: true, extra: { technician: { maxAttempts: 3, lockoutMs: 60_000 } } }) });
});

afterAll(async () => {
  await browser?.close();
  await stopAllDaemons();
  await sandboxes?.gateway.close();
  await sandboxes?.platform.close();
});

describe('the session in the browser', { timeout: 120_000 }, () => {
  it('warns after 60 s idle with a spoken countdown, continues on request, then wipes and returns to attract', async () => {
    const kiosk = await openKiosk(browser, daemon, 'portrait', { fakeClock: true });
    const { page } = kiosk;
    await page.locator('[data-journey="J8"] button').click();
    await page.locator('[data-screen="help"]').waitFor();
    await page.clock.fastForward(59_000);
    expect(await page.locator('[data-screen="idle-warning"]').count()).toBe(0);
    await page.clock.fastForward(2_000);
    await page.locator('[data-screen="idle-warning"]').waitFor();
    expect(Number(await page.locator('[data-seconds-left]').getAttribute('data-seconds-left'))).toBeGreaterThanOrEqual(20);
    await expectInView(page, '[data-action="idle-continue"]');
    await capture(kiosk, 'idle-warning');
    await expect.poll(() => kiosk.spoken.some((s) => s.includes('您还在吗'))).toBe(true);
    await page.locator('[data-action="idle-continue"]').click();
    await page.locator('[data-screen="idle-warning"]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-screen="help"]').count()).toBe(1);
    // Now nobody answers: the countdown runs out and the session is wiped.
    await page.clock.fastForward(61_000);
    await page.locator('[data-screen="idle-warning"]').waitFor();
    await page.clock.fastForward(31_000);
    await page.locator('[data-screen="attract"] [data-ended="idle"]').waitFor();
    await capture(kiosk, 'attract-after-idle');
    expect(kiosk.errors).toEqual([]);
    await page.close();
  });

  it('elder mode: larger targets, slower speech, and 120 s before the idle warning', async () => {
    const kiosk = await openKiosk(browser, daemon, 'landscape', { fakeClock: true });
    const { page } = kiosk;
    await page.getByRole('button', { name: '长者模式' }).click();
    await expect.poll(() => page.locator('html').getAttribute('class')).toContain('elder');
    await capture(kiosk, 'home-elder');
    const heights = await page.locator('button').evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().height));
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(60);
    await page.locator('[data-journey="J8"] button').click();
    await page.locator('[data-screen="help"]').waitFor();
    await capture(kiosk, 'help-elder');
    await page.clock.fastForward(90_000);
    expect(await page.locator('[data-screen="idle-warning"]').count()).toBe(0);
    await page.clock.fastForward(31_000);
    await page.locator('[data-screen="idle-warning"]').waitFor();
    expect(kiosk.speechRates.length).toBeGreaterThan(0);
    expect(kiosk.speechRates.every((rate) => rate === 'slow')).toBe(true);
    await page.close();
  });

  it('closes exactly the journeys a faulty device serves, says why, and reopens them', async () => {
    const kiosk = await openKiosk(browser, daemon, 'portrait');
    const { page } = kiosk;
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'out' });
    await expect.poll(() => page.locator('[data-journey="J4"]').getAttribute('class')).toContain('journey-closed');
    expect(await page.locator('[data-journey="J8"]').getAttribute('class')).toContain('journey-open');
    await capture(kiosk, 'attract-printer-out');
    await page.locator('[data-journey="J4"] button').click({ force: true });
    await page.locator('[data-screen="unavailable"]').waitFor();
    expect(await page.locator('[data-screen="unavailable"]').innerText()).toContain('凭条打印机');
    await capture(kiosk, 'unavailable');
    await page.getByRole('button', { name: '返回' }).click();
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
    await expect.poll(() => page.locator('[data-journey="J4"]').getAttribute('class')).toContain('journey-open');
    await page.close();
  });

  it('help: calls staff, shows the hotline, and hands out a queue ticket', async () => {
    const kiosk = await openKiosk(browser, daemon, 'portrait');
    const { page } = kiosk;
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('[data-journey="J8"] button').click();
    await page.locator('[data-screen="help"]').waitFor();
    expect(await page.locator('[data-screen="help"]').innerText()).toContain('Call staff');
    await capture(kiosk, 'help');
    await page.locator('[data-action="help-call"]').click();
    await page.locator('[data-screen="help-called"]').waitFor();
    await capture(kiosk, 'help-called');
    const metrics = await (await daemon.ops('/metrics')).text();
    expect(metrics).toMatch(/kiosk_staff_calls_total\{[^}]*reason="general"[^}]*\} 1/);
    await page.getByRole('button', { name: 'Back' }).click();
    await page.locator('[data-action="help-hotline"]').click();
    await page.locator('[data-screen="help-hotline"]').waitFor();
    await capture(kiosk, 'help-hotline');
    await page.getByRole('button', { name: 'Back' }).click();
    await page.locator('[data-action="help-ticket"]').click();
    await page.locator('[data-screen="help-ticket"]').waitFor();
    expect(await page.locator('[data-ticket-number]').innerText()).toMatch(/^A\d+/);
    await capture(kiosk, 'help-ticket');
    expect(kiosk.errors).toEqual([]);
    await page.close();
  });

  it('rates from the menu by application number, with reasons required for a low rating', async () => {
    const kiosk = await openKiosk(browser, daemon, 'portrait');
    const { page } = kiosk;
    await page.locator('[data-journey="J7"] button').click();
    await page.locator('[data-screen="rate-pick"]').waitFor();
    await capture(kiosk, 'rate-pick');
    await page.getByRole('button', { name: '按办件编号评价' }).click();
    await page.locator('[data-screen="rate-by-number"]').waitFor();
    await page.getByRole('button', { name: 'HZXH0042-' }).click();
    for (const key of '20261122-000001') await page.locator('.keypad .key', { hasText: new RegExp(`^${key === '-' ? '-' : key}$`) }).click();
    await capture(kiosk, 'rate-by-number');
    await page.getByRole('button', { name: '评价这项服务' }).click();
    await page.locator('[data-screen="rate"]').waitFor();
    // Nothing is preselected: the resident chooses.
    expect(await page.locator('[data-screen="rate"] [aria-pressed="true"]').count()).toBe(0);
    await capture(kiosk, 'rate');
    await page.locator('[data-level="2"]').click();
    await page.locator('[data-screen="rate-reasons"]').waitFor();
    // No reason yet: the button says it is not ready, and a tap does nothing.
    await page.locator('[data-action="send-rating"]').click({ force: true });
    expect(await page.locator('[data-screen="rate-reasons"]').count()).toBe(1);
    await page.locator('[data-reason="waitTooLong"]').click();
    await capture(kiosk, 'rate-reasons');
    await page.locator('[data-action="send-rating"]').click();
    await page.locator('[data-screen="rate-thanks"]').waitFor();
    await capture(kiosk, 'rate-thanks');
    await expect.poll(() => sandboxes.platform.ratings().some((r) => r.transactionId === 'HZXH0042-20261122-000001' && r.level === 2)).toBe(true);
    await page.locator('[data-action="rating-done"]').click();
    await page.locator('[data-screen="home"]').waitFor();
    // The operators see the journey started and completed.
    // The UI reports journeys without waiting for the answer: wait for the report to land.
    const metrics = (): Promise<string> => daemon.ops('/metrics').then((r) => r.text());
    await expect.poll(metrics).toMatch(/^kiosk_journeys_started_total\{journey="J7"\} 1$/m);
    await expect.poll(metrics).toMatch(/^kiosk_journeys_completed_total\{journey="J7"\} 1$/m);
    await page.close();
  });

  it('technician mode: hidden gesture, PIN, device screen and test slip; lockout after wrong PINs', async () => {
    const kiosk = await openKiosk(browser, daemon, 'landscape');
    const { page } = kiosk;
    const gesture = page.locator('[data-technician-gesture]');
    for (let i = 0; i < 5; i += 1) await gesture.dispatchEvent('pointerdown');
    await page.locator('[data-screen="technician-pin"]').waitFor();
    await capture(kiosk, 'technician-pin');
    const enter = async (pin: string): Promise<void> => {
      for (const digit of pin) await page.locator('.keypad .key', { hasText: new RegExp(`^${digit}$`) }).click();
      await page.locator('[data-action="technician-login"]').click();
    };
    await enter('246810');
    await page.locator('[data-screen="technician-devices"]').waitFor();
    await capture(kiosk, 'technician-devices');
    await page.locator('[data-action="test-print"]').click();
    await page.locator('[data-test-print="printed"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-action="technician-exit"]').click();
    await page.locator('[data-screen="attract"]').waitFor();
    for (let i = 0; i < 5; i += 1) await gesture.dispatchEvent('pointerdown');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await enter('1111');
      await page.locator('[data-pin-error]').waitFor();
    }
    expect(await page.locator('[data-pin-error]').getAttribute('data-pin-error')).toBe('lockedOut');
    await capture(kiosk, 'technician-locked');
    // Locked: even the right PIN is refused now.
    await enter('246810');
    await expect.poll(() => page.locator('[data-pin-error]').getAttribute('data-pin-error')).toBe('lockedOut');
    expect(await page.locator('[data-screen="technician-devices"]').count()).toBe(0);
    await page.close();
  });
});
