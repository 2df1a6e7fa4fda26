// J2 in real Chromium against the daemon in simulation. The face camera is ffmpeg looping a
// picture of a person (an evaluation face given hair, neck and shoulders), as a camera would see a
// resident in the booth: size and background, the countdown, the daemon's crop and background
// replacement, another background without a retake, the A4 printer out of paper, then the sheet
// and the pickup receipt.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../device-daemon/src/face/image';
import { EVAL_FACES_SKIP_REASON, evalFace, evalFacesPresent } from '../device-daemon/src/testing/eval-faces';
import { personStill, toJpeg } from '../device-daemon/src/testing/person-still';
import { launchBrowser } from './support/browser';
import { startDaemon, stopAllDaemons, TEST_SITE, type DaemonProcess } from './support/daemon-process';
import { startSandboxes, type Sandboxes } from './support/sandboxes';
import { capture, openKiosk, uiSite } from './support/ui';

let browser: Browser;
let sandboxes: Sandboxes;
let daemon: DaemonProcess;

async function personPicture(): Promise<string> {
  const face = await decodeImage(readFileSync(evalFace('raj_4.png')));
  if (!face.ok) throw new Error(face.error);
  const file = join(mkdtempSync(join(tmpdir(), 'kiosk-photo-')), 'resident.jpg');
  writeFileSync(file, await toJpeg(personStill(face.value, { width: 640, height: 480, faceWidth: 150 })));
  return file;
}

describe.skipIf(!evalFacesPresent)(`J2 ID photos in the browser${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, { timeout: 180_000 }, () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    sandboxes = await startSandboxes();
    const site = uiSite(sandboxes);
    const devices = site['devices'] as Record<string, unknown>;
    const faceCamera = { ...TEST_SITE.devices.faceCamera, simulator: { source: { kind: 'file', path: await personPicture() } } };
    daemon = await startDaemon({ site: { ...site, devices: { ...devices, faceCamera } } });
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllDaemons();
    await sandboxes?.gateway.close();
    await sandboxes?.platform.close();
  });

  it('makes a compliant 2-inch photo on blue, switches to white without a retake, and prints after the A4 printer is refilled', async () => {
    const kiosk = await openKiosk(browser, daemon, 'portrait', { fakeClock: true });
    const { page } = kiosk;
    await page.locator('[data-journey="J2"] button').click();
    await page.locator('[data-screen="photo-size"]').waitFor();
    await capture(kiosk, 'photo-size');
    await page.locator('[data-size="twoInch"]').click();
    await page.locator('[data-screen="photo-background"]').waitFor();
    await capture(kiosk, 'photo-background');
    await page.locator('[data-background="blue"]').click();
    await page.locator('[data-screen="photo-capture"]').waitFor();
    await capture(kiosk, 'photo-capture');
    await page.locator('[data-action="shoot"]').click();
    await page.locator('[data-screen="photo-countdown"]').waitFor();
    await capture(kiosk, 'photo-countdown');
    await page.clock.fastForward(3_500);
    await page.locator('[data-screen="photo-preview"]').waitFor({ timeout: 60_000 });
    const result = page.locator('img.photo-result');
    await expect.poll(() => result.evaluate((img) => (img instanceof HTMLImageElement ? `${img.naturalWidth}x${img.naturalHeight}` : ''))).toBe('413x579');
    expect(await page.locator('[data-compliance]').getAttribute('data-compliance')).toBe('ok');
    await capture(kiosk, 'photo-preview');
    // The background of the photo is the chosen blue: read the shown picture's corner.
    const corner = async (): Promise<number[]> => {
      const png = await result.screenshot();
      const { data } = await sharp(png).extract({ left: 4, top: 4, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
      return [...data.subarray(0, 3)];
    };
    const [r, g, b] = await corner();
    expect(b).toBeGreaterThan(180);
    expect(r).toBeLessThan(110);
    await page.locator('[data-screen="photo-preview"] [data-background="white"]').click();
    await page.locator('[data-screen="photo-preview"] [data-background="white"][aria-pressed="true"]').waitFor({ timeout: 60_000 });
    await expect.poll(async () => Math.min(...(await corner()))).toBeGreaterThan(235);

    await daemon.simulate('a4Printer', { action: 'stop', reason: 'Media empty or out of paper' });
    await expect.poll(async () => (await (await daemon.ops('/v1/status')).json()) as unknown, { timeout: 15_000 }).toMatchObject({ devices: { a4Printer: { status: { documentPrinter: { queue: 'stopped' } } } } });
    await page.locator('[data-action="print"]').click();
    await page.locator('[data-screen="photo-print-failed"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-problem]').getAttribute('data-problem')).toBe('printerNotReady');
    await capture(kiosk, 'photo-print-failed');
    await daemon.simulate('a4Printer', { action: 'start' });
    await expect.poll(async () => (await (await daemon.ops('/v1/status')).json()) as unknown, { timeout: 15_000 }).toMatchObject({ devices: { a4Printer: { status: { documentPrinter: { queue: 'idle' } } } } });
    await page.locator('[data-action="print"]').click();
    await page.locator('[data-screen="photo-printed"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-pickup-code]').innerText()).toMatch(/[A-Z0-9]{6}/);
    expect(await page.locator('[data-receipt-printed]').getAttribute('data-receipt-printed')).toBe('true');
    await capture(kiosk, 'photo-printed');
    await page.locator('[data-action="done"]').click();
    await page.locator('[data-screen="rate"]').waitFor();
    expect(kiosk.errors).toEqual([]);
    await page.close();
  });
});
