// J1 in real Chromium against the daemon in simulation: the card, consent, the live face check with
// its spoken challenges, and the unhappy paths (a different face, the card pulled mid-check,
// declining the face check).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_FACES_SKIP_REASON, evalFace, evalFacesPresent } from '../device-daemon/src/testing/eval-faces';
import { launchBrowser } from './support/browser';
import { startDaemon, stopAllDaemons, type DaemonProcess } from './support/daemon-process';
import { startSandboxes, type Sandboxes } from './support/sandboxes';
import { answerChallenges, capture, openKiosk, uiSite } from './support/ui';

let browser: Browser;
let sandboxes: Sandboxes;
let daemon: DaemonProcess;

describe.skipIf(!evalFacesPresent)(`J1 identify in the browser${evalFacesPresent ? '' : ` (skipped: ${EVAL_FACES_SKIP_REASON})`}`, { timeout: 120_000 }, () => {
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

  it('reads the card, asks consent, checks the face with challenges, and offers the rating', async () => {
    const kiosk = await openKiosk(browser, daemon, 'portrait');
    const { page } = kiosk;
    await capture(kiosk, 'attract');
    await daemon.simulate('faceCamera', { action: 'show', image: evalFace('raj_1.png') });
    await page.locator('[data-journey="J1"] button').click();
    await page.locator('[data-screen="identify-insert-card"]').waitFor();
    await capture(kiosk, 'identify-insert-card');
    await daemon.simulate('idCardReader', { action: 'place', card: 'holder' });
    await page.locator('[data-screen="identify-consent"]').waitFor();
    // The holder sees his own masked details, nothing more.
    const holder = await page.locator('[data-card-holder]').innerText();
    expect(holder).not.toContain('330106198504091230');
    expect(holder).toContain('林');
    await capture(kiosk, 'identify-consent');
    await page.locator('[data-action="agree"]').click();
    await page.locator('[data-screen="identify-face-check"]').waitFor();
    await capture(kiosk, 'identify-face-check');
    const answered = await answerChallenges(kiosk, daemon);
    expect(answered).toHaveLength(2);
    await page.locator('[data-screen="identify-verified"]').waitFor();
    await capture(kiosk, 'identify-verified');
    // Every challenge was spoken from the catalogue.
    expect(kiosk.spoken.some((s) => s.includes('转头') || s.includes('眨眨眼'))).toBe(true);
    await page.locator('[data-action="continue"]').click();
    await page.locator('[data-screen="rate"]').waitFor();
    expect(kiosk.errors).toEqual([]);
    await page.close();
  });

  it('does not verify a different face: the attempt fails, says how many are left, and staff can take over', async () => {
    const kiosk = await openKiosk(browser, daemon, 'landscape');
    const { page } = kiosk;
    await daemon.simulate('faceCamera', { action: 'show', image: evalFace('sheldon_1.png') });
    await page.locator('[data-journey="J1"] button').click();
    // The card is still on the reader from before: it is read at once.
    await page.locator('[data-screen="identify-consent"]').waitFor();
    await page.locator('[data-action="agree"]').click();
    await answerChallenges(kiosk, daemon);
    await page.locator('[data-screen="identify-check-failed"]').waitFor();
    expect(await page.locator('[data-problem]').getAttribute('data-problem')).toBe('notMatch');
    expect(await page.locator('[data-problem]').innerText()).toContain('还可以再试 2 次');
    await capture(kiosk, 'identify-check-failed');
    await page.getByRole('button', { name: '不同意，请工作人员帮办' }).click();
    await page.locator('[data-screen="identify-staff"]').waitFor();
    await capture(kiosk, 'identify-staff');
    const metrics = await (await daemon.ops('/metrics')).text();
    expect(metrics).toMatch(/kiosk_staff_calls_total\{[^}]*reason="faceCheckDeclined"[^}]*\} 1/);
    expect(kiosk.errors).toEqual([]);
    await page.close();
  });

  it('ends the session and wipes it when the card is pulled during the face check', async () => {
    const kiosk = await openKiosk(browser, daemon, 'portrait');
    const { page } = kiosk;
    await daemon.simulate('faceCamera', { action: 'show', image: evalFace('raj_1.png') });
    await page.locator('[data-journey="J1"] button').click();
    await page.locator('[data-screen="identify-consent"]').waitFor();
    await page.locator('[data-action="agree"]').click();
    await page.locator('[data-screen="identify-face-check"]').waitFor();
    await daemon.simulate('idCardReader', { action: 'remove' });
    await page.locator('[data-screen="attract"] [data-ended="cardRemoved"]').waitFor();
    await capture(kiosk, 'attract-card-removed');
    // Nothing of the holder is left on the page.
    expect(await page.locator('body').innerText()).not.toContain('林');
    expect(await page.locator('[data-session-card]').count()).toBe(0);
    expect(kiosk.errors).toEqual([]);
    await page.close();
  });
});
