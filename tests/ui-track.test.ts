// J6 tracking in real Chromium against the daemon in simulation, with the platform sandbox in this
// process holding applications: a number typed on the keypad (with this kiosk's prefix key), the
// acceptance slip's QR code at the scanner, an unknown number, and the platform going away.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { startDaemon, stopAllDaemons, type DaemonProcess } from './support/daemon-process';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';
import { blackHole, recordScreens, scanWhenArmed } from './support/ui-backends';
import { capture, expectInView, openKiosk, type KioskPage } from './support/ui';

let browser: Browser;
let sandboxes: Sandboxes;
let daemon: DaemonProcess;

const HOUR = 3_600_000;
const TYPED = 'HZXH0042-20261122-000123';
const SCANNED = 'HZXH0042-20261121-000045';
const SLIP_URL = `https://zwfw.example.gov.cn/track?n=${SCANNED}`;

const screen = (page: Page, id: string, timeout = 20_000): Promise<void> => page.locator(`[data-screen="${id}"]`).waitFor({ timeout });

/** An application the platform already holds, accepted `hoursAgo` (so it is in review by now). */
function seedApplication(trackingNumber: string, hoursAgo: number): void {
  const acceptedAt = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  sandboxes.platform.store.put('applications', trackingNumber, { digest: 'seeded', reply: {}, itemCode: '330000-YB-0001', acceptedAt, tolerated: false, promisedBy: '2099-12-31', pages: 2 });
}

async function press(page: Page, group: string, keys: readonly string[]): Promise<void> {
  const pad = page.getByRole('group', { name: group, exact: true });
  for (const key of keys) await pad.getByRole('button', { name: key, exact: true }).click();
}

async function openTrack(): Promise<KioskPage> {
  const kiosk = await openKiosk(browser, daemon, 'portrait');
  await kiosk.page.locator('[data-journey="J6"] button').click();
  await screen(kiosk.page, 'j6-enter');
  return kiosk;
}

async function expectTimeline(page: Page, trackingNumber: string): Promise<void> {
  await screen(page, 'j6-progress');
  expect(await page.locator('[data-tracking-number]').innerText()).toBe(trackingNumber);
  expect(await page.locator('[data-step-status]').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-step-status')))).toEqual(['received', 'accepted', 'inReview']);
  const times = await page.locator('.track-time').allInnerTexts();
  expect(times).toHaveLength(3);
  expect([...times].sort()).toEqual(times);
  expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('inReview');
  expect(await page.locator('.track-latest').innerText()).toContain('审查中');
}

async function finishAndSkipRating(kiosk: KioskPage): Promise<void> {
  await kiosk.page.locator('[data-action="done"]').click();
  await screen(kiosk.page, 'rate');
  await kiosk.page.locator('[data-action="skip-rating"]').click();
  await screen(kiosk.page, 'home');
  expect(kiosk.errors).toEqual([]);
  await kiosk.page.close();
}

describe('J6 track in the browser', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    sandboxes = await startSandboxes();
    seedApplication(TYPED, 2);
    seedApplication(SCANNED, 26);
    // A platform call waits 10 s: long enough to see the screen that waits for it.
    daemon = await startDaemon({ site: siteFor(sandboxes, { platform: { timeoutMs: 10_000 } }) });
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllDaemons();
    await sandboxes?.gateway.close();
    await sandboxes?.platform.close();
  });

  it('tracks a number typed with the prefix key and shows the timeline in order, then offers the rating', async () => {
    const kiosk = await openTrack();
    const { page } = kiosk;
    await capture(kiosk, 'j6-enter');
    await expectInView(page, '[data-action="track"]');
    const [, date, seq] = TYPED.split('-');
    await press(page, '办件编号', ['HZXH0042-', ...(date ?? ''), '-', ...(seq ?? '')]);
    expect(await page.locator('[data-keypad-value]').innerText()).toBe(TYPED);
    await page.locator('[data-action="track"]').click();
    await expectTimeline(page, TYPED);
    await capture(kiosk, 'j6-progress');
    await expectInView(page, '[data-action="done"]');
    expect(kiosk.spoken.some((s) => s.includes('当前状态') && s.includes('审查中'))).toBe(true);
    await finishAndSkipRating(kiosk);
  });

  it('types letters for a number from another terminal', async () => {
    const kiosk = await openTrack();
    const { page } = kiosk;
    await page.locator('[data-action="letters"]').click();
    await page.getByRole('group', { name: '字母', exact: true }).waitFor();
    await capture(kiosk, 'j6-enter-letters');
    await press(page, '字母', ['Z', 'J']);
    await press(page, '办件编号', [...'2026', '-', ...'000417']);
    expect(await page.locator('[data-keypad-value]').innerText()).toBe('ZJ2026-000417');
    await page.locator('[data-action="track"]').click();
    // Nobody has this number: said plainly, and the number comes back for correction.
    await screen(page, 'j6-not-found');
    expect(await page.locator('[data-screen="j6-not-found"] [role="alert"]').innerText()).toContain('ZJ2026-000417');
    await capture(kiosk, 'j6-not-found');
    await page.locator('[data-action="edit-number"]').click();
    await screen(page, 'j6-enter');
    expect(await page.locator('[data-keypad-value]').innerText()).toBe('ZJ2026-000417');
    expect(kiosk.errors).toEqual([]);
    await page.close();
  });

  it('reads the acceptance slip\'s QR code at the scanner', async () => {
    const kiosk = await openTrack();
    const { page } = kiosk;
    await scanWhenArmed(daemon, 'https://example.cn/menu');
    await page.locator('[data-problem="notATrackingCode"]').waitFor();
    await capture(kiosk, 'j6-enter-not-a-slip');
    await scanWhenArmed(daemon, SLIP_URL);
    await expectTimeline(page, SCANNED);
    await finishAndSkipRating(kiosk);
  });

  it('says when the platform cannot be reached, and finds the number once it is back', async () => {
    const kiosk = await openTrack();
    const { page } = kiosk;
    await sandboxes.platform.stop();
    // First the platform hangs: a screen that waits, then a clear message when the connection drops.
    const hole = await blackHole(sandboxes.platform.url);
    await press(page, '办件编号', ['HZXH0042-', ...'20261122', '-', ...'000123']);
    await page.locator('[data-action="track"]').click();
    await screen(page, 'j6-looking');
    await capture(kiosk, 'j6-looking');
    await hole.close();
    await screen(page, 'j6-unavailable');
    await capture(kiosk, 'j6-unavailable');
    // Still stopped: trying again asks the platform again and says the same.
    const screens = await recordScreens(page);
    await page.locator('[data-action="retry"]').click();
    await expect.poll(async () => (await screens()).join(' ')).toBe('j6-unavailable j6-looking j6-unavailable');
    expect(await page.locator('[data-screen="j6-unavailable"] [role="alert"]').innerText()).toContain('暂时无法连接');
    await sandboxes.platform.start();
    await page.locator('[data-action="retry"]').click();
    await expectTimeline(page, TYPED);
    await finishAndSkipRating(kiosk);
  });
});
