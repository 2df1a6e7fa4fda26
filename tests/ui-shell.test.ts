// The kiosk UI shell in real Chromium against the real daemon: the attract screen with the live
// device strip, the out-of-service screen when the daemon goes away, and recovery by itself.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser } from './support/browser';
import { startDaemon, stopAllDaemons, type DaemonProcess } from './support/daemon-process';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stopAllDaemons();
});

async function strip(page: Page): Promise<string> {
  return page.locator('[data-device="receiptPrinter"]').innerText();
}

describe('kiosk UI shell', () => {
  for (const [width, height, orientation] of [
    [1080, 1920, 'portrait'],
    [1920, 1080, 'landscape'],
  ] as const) {
    it(`shows the journeys and the live device strip (${orientation})`, async () => {
      const daemon: DaemonProcess = await startDaemon();
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`http://127.0.0.1:${daemon.uiPort}/`);
      await page.locator('[data-screen="attract"]').waitFor();
      expect(await page.locator('[data-journey]').count()).toBe(8);
      expect(await page.locator('[data-journey="J4"]').getAttribute('class')).toContain('journey-open');
      // Every device is there: identity and certificates are open.
      await expect.poll(() => page.locator('[data-journey="J1"]').getAttribute('class')).toContain('journey-open');
      await expect.poll(() => page.locator('[data-journey="J3"]').getAttribute('class')).toContain('journey-open');
      expect(await page.locator('[data-device="idCardReader"]').innerText()).toContain('身份证阅读器');
      await expect.poll(() => strip(page)).toContain('正常');
      await page.screenshot({ path: join(ARTIFACTS, `shell-attract-${orientation}.png`) });

      await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'out' });
      await expect.poll(() => strip(page)).toContain('缺纸');
      expect(await page.locator('[data-journey="J4"]').getAttribute('class')).toContain('journey-closed');
      await page.screenshot({ path: join(ARTIFACTS, `shell-paper-out-${orientation}.png`) });
      await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
      await expect.poll(() => strip(page)).toContain('正常');

      // An A4 printer out of paper closes certificates, and only them, saying why.
      await daemon.simulate('a4Printer', { action: 'stop', reason: 'Media empty or out of paper' });
      await expect.poll(() => page.locator('[data-journey="J3"]').getAttribute('class'), { timeout: 15_000 }).toContain('journey-closed');
      expect(await page.locator('[data-journey="J3"]').innerText()).toContain('A4打印机');
      expect(await page.locator('[data-journey="J1"]').getAttribute('class')).toContain('journey-open');
      await daemon.simulate('a4Printer', { action: 'start' });
      await expect.poll(() => page.locator('[data-journey="J3"]').getAttribute('class'), { timeout: 15_000 }).toContain('journey-open');

      // A face camera that stops sending closes exactly the journeys that need it, with the reason.
      await daemon.simulate('faceCamera', { action: 'pause' });
      await expect.poll(() => page.locator('[data-journey="J1"]').getAttribute('class'), { timeout: 15_000 }).toContain('journey-closed');
      expect(await page.locator('[data-journey="J1"]').innerText()).toContain('人脸摄像头');
      expect(await page.locator('[data-journey="J4"]').getAttribute('class')).toContain('journey-open');
      await daemon.simulate('faceCamera', { action: 'resume' });
      await expect.poll(() => page.locator('[data-journey="J1"]').getAttribute('class'), { timeout: 20_000 }).toContain('journey-open');

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByText('Utility bills').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(errors).toEqual([]);
      await page.close();
      expect(await daemon.stop()).toBe(0);
    });
  }

  it('shows out of service when the daemon stops and recovers by itself when it returns', async () => {
    const first = await startDaemon();
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await page.goto(`http://127.0.0.1:${first.uiPort}/`);
    await page.locator('[data-screen="attract"]').waitFor();

    expect(await first.stop()).toBe(0);
    await page.locator('[data-screen="out-of-service"]').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('暂停服务');
    await page.screenshot({ path: join(ARTIFACTS, 'shell-out-of-service-portrait.png') });

    // The daemon comes back on the same port with a new per-boot token: the page picks it up.
    const second = await startDaemon({ uiPort: first.uiPort, dataDir: first.dataDir });
    expect(second.uiToken).not.toBe(first.uiToken);
    await page.locator('[data-screen="attract"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => strip(page)).toContain('正常');
    await page.close();
    expect(await second.stop()).toBe(0);
  });
});
