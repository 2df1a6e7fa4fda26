// J4 utility bills in real Chromium against the daemon in simulation, with the payment gateway
// sandbox in this process: by keypad and by barcode, a QR code the test scans from the screen, a
// payment code at the scanner, outcomes the gateway keeps unknown for a while, a QR code expiring,
// a cancel, and the receipt printer running out of paper in the middle.
import jsQR from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { launchBrowser } from './support/browser';
import { startDaemon, stopAllDaemons, waitUntil, type DaemonProcess } from './support/daemon-process';
import { siteFor, startSandboxes, type Sandboxes } from './support/sandboxes';
import { blackHole, receiptLines, recordScreens, scanWhenArmed } from './support/ui-backends';
import { capture, expectInView, openKiosk, type KioskPage } from './support/ui';

let browser: Browser;
let sandboxes: Sandboxes;
let daemon: DaemonProcess;

const screen = (page: Page, id: string, timeout = 20_000): Promise<void> => page.locator(`[data-screen="${id}"]`).waitFor({ timeout });

async function press(page: Page, keys: string): Promise<void> {
  const pad = page.locator('.keypad').first();
  for (const key of keys) await pad.getByRole('button', { name: key, exact: true }).click();
}

async function openBills(browserPage: Browser): Promise<KioskPage> {
  const kiosk = await openKiosk(browserPage, daemon, 'portrait');
  await kiosk.page.locator('[data-journey="J4"] button').click();
  await screen(kiosk.page, 'j4-utility');
  return kiosk;
}

/** From the utility screen to the bill of an account typed on the keypad. */
async function billByKeypad(page: Page, utility: string, account: string): Promise<void> {
  await page.locator(`[data-utility="${utility}"]`).click();
  await screen(page, 'j4-account');
  await press(page, account);
  await page.locator('[data-action="look-up"]').click();
  await screen(page, 'j4-bill');
}

/** The resident's phone reads the QR code off the screen and pays: the gateway hears of it. */
async function scanQrAndPay(page: Page): Promise<string> {
  const png = await page.locator('svg.bills-qr').screenshot();
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const text = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height)?.data ?? '';
  expect(text).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  const tradeNo = new URL(text).searchParams.get('pr');
  const trade = sandboxes.gateway.trades().find((t) => t.tradeNo === tradeNo);
  expect(trade, 'the trade behind the QR code').toBeDefined();
  const orderId = trade?.orderId ?? '';
  expect(sandboxes.gateway.scanAndPay(orderId).ok).toBe(true);
  return orderId;
}

async function finishAndSkipRating(kiosk: KioskPage): Promise<void> {
  await kiosk.page.locator('[data-action="done"]').click();
  await screen(kiosk.page, 'rate');
  await kiosk.page.locator('[data-action="skip-rating"]').click();
  await screen(kiosk.page, 'home');
  expect(kiosk.errors).toEqual([]);
  await kiosk.page.close();
}

const printerStatus = z.object({ devices: z.object({ receiptPrinter: z.object({ status: z.object({ printer: z.object({ paper: z.string() }) }) }) }) });
const paperState = async (): Promise<string> => printerStatus.parse(await (await daemon.ops('/v1/status')).json()).devices.receiptPrinter.status.printer.paper;

describe('J4 utility bills in the browser', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    sandboxes = await startSandboxes();
    // Payment codes wait a minute before reversal (the gateway is taken away for a while below);
    // a gateway call waits 10 s, long enough to see the screens that wait for it.
    daemon = await startDaemon({ site: siteFor(sandboxes, { payments: { micropayTimeoutMs: 60_000, timeoutMs: 10_000 } }) });
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllDaemons();
    await sandboxes?.gateway.close();
    await sandboxes?.platform.close();
  });

  it('finds a bill by account number on the keypad and is paid by the QR code on screen, with a receipt', async () => {
    const kiosk = await openBills(browser);
    const { page } = kiosk;
    await capture(kiosk, 'j4-utility');
    await page.locator('[data-utility="water"]').click();
    await screen(page, 'j4-account');
    await capture(kiosk, 'j4-account');
    await expectInView(page, '[data-action="look-up"]');

    // A number the water company does not know.
    await press(page, '99999999');
    await page.locator('[data-action="look-up"]').click();
    await page.locator('[data-screen="j4-account"] [data-problem="unknownAccount"]').waitFor();
    await capture(kiosk, 'j4-account-unknown');

    // The gateway stops answering while the bill is looked up: a "please wait" screen, then a clear message.
    await page.getByRole('button', { name: '清空', exact: true }).click();
    await press(page, '33010601');
    await sandboxes.gateway.stop();
    const hole = await blackHole(sandboxes.gateway.url);
    await page.locator('[data-action="look-up"]').click();
    await screen(page, 'j4-looking-up');
    await capture(kiosk, 'j4-looking-up');
    await hole.close();
    await page.locator('[data-problem="gatewayUnavailable"]').waitFor();
    await capture(kiosk, 'j4-account-gateway-unavailable');
    await sandboxes.gateway.start();

    await page.locator('[data-action="look-up"]').click();
    await screen(page, 'j4-bill');
    expect(await page.locator('[data-holder]').innerText()).toBe('张*明');
    expect(await page.locator('[data-arrears]').innerText()).toBe('¥86.50');
    await capture(kiosk, 'j4-bill');
    await expectInView(page, '[data-action="pay-arrears"]');
    await page.locator('[data-action="pay-arrears"]').click();
    await screen(page, 'j4-method');
    await capture(kiosk, 'j4-method');
    await page.locator('[data-method="native"]').click();
    await screen(page, 'j4-qr');
    const orderId = await scanQrAndPay(page);
    await screen(page, 'j4-paid');
    await page.locator('[data-receipt="printed"]').waitFor();
    expect(await page.locator('[data-receipt-number]').innerText()).toBe(orderId);
    await capture(kiosk, 'j4-paid');
    const lines = await receiptLines(daemon);
    expect(lines).toContain('缴费成功 PAID');
    expect(lines.some((l) => l.includes(orderId))).toBe(true);
    // The QR code was announced with its time limit, from the catalogue.
    expect(kiosk.spoken.some((s) => s.includes('二维码') && s.includes('秒内有效'))).toBe(true);
    await waitUntil(() => sandboxes.gateway.account('water', '33010601')?.arrearsFen === 0, 15_000, 'the arrears posted');
    await finishAndSkipRating(kiosk);
  });

  it('finds a bill by its barcode and is paid with the payment code the resident shows', async () => {
    const kiosk = await openBills(browser);
    const { page } = kiosk;
    await page.locator('[data-utility="electricity"]').click();
    await screen(page, 'j4-account');
    await scanWhenArmed(daemon, 'https://example.cn/not-a-bill');
    await page.locator('[data-problem="notABill"]').waitFor();
    await capture(kiosk, 'j4-account-not-a-bill');
    await scanWhenArmed(daemon, 'E3301060012202610', 'code128');
    await screen(page, 'j4-bill');
    expect(await page.locator('[data-arrears]').innerText()).toBe('¥213.75');
    await page.locator('[data-action="pay-arrears"]').click();
    await page.locator('[data-method="micropay"]').click();
    await screen(page, 'j4-present-code');
    await capture(kiosk, 'j4-present-code');
    await scanWhenArmed(daemon, 'hello');
    await page.locator('[data-problem="notACode"]').waitFor();
    await capture(kiosk, 'j4-present-code-not-a-code');
    await scanWhenArmed(daemon, '134567890123450101');
    await screen(page, 'j4-paid');
    await page.locator('[data-receipt="printed"]').waitFor();
    const number = await page.locator('[data-receipt-number]').innerText();
    expect(sandboxes.gateway.trades().find((t) => t.orderId === number)).toMatchObject({ tradeState: 'SUCCESS', amountFen: 21_375 });
    await capture(kiosk, 'j4-paid-micropay');
    await finishAndSkipRating(kiosk);
  });

  it('shows "confirming" when the gateway answers SYSTEMERROR, then success once it is confirmed', async () => {
    sandboxes.gateway.script({ amountFen: 6_420 }, { kind: 'unknown' });
    const kiosk = await openBills(browser);
    const { page } = kiosk;
    await billByKeypad(page, 'gas', '330106101');
    await page.locator('[data-action="pay-arrears"]').click();
    await page.locator('[data-method="micropay"]').click();
    await screen(page, 'j4-present-code');
    const screens = await recordScreens(page);
    await scanWhenArmed(daemon, '134567890123450102');
    await screen(page, 'j4-paid');
    const seen = await screens();
    expect(seen.indexOf('j4-confirming')).toBeGreaterThan(-1);
    expect(seen.indexOf('j4-confirming')).toBeLessThan(seen.indexOf('j4-paid'));
    expect(seen).not.toContain('j4-not-paid');
    await page.locator('[data-receipt="printed"]').waitFor();
    await finishAndSkipRating(kiosk);
  });

  it('asks the resident to confirm on the phone while the wallet waits for a password, then is paid', async () => {
    sandboxes.gateway.script({ amountFen: 1_000 }, { kind: 'userPaying', afterMs: 8_000 });
    const kiosk = await openBills(browser);
    const { page } = kiosk;
    await billByKeypad(page, 'gas', '330106102');
    await page.locator('[data-action="prepay"]').click();
    await press(page, '10');
    await page.locator('[data-action="amount-next"]').click();
    await page.locator('[data-method="micropay"]').click();
    await scanWhenArmed(daemon, '284567890123450106');
    await screen(page, 'j4-user-paying');
    await capture(kiosk, 'j4-user-paying');
    await screen(page, 'j4-paid', 30_000);
    await page.locator('[data-receipt="printed"]').waitFor();
    // Paid with Alipay: the receipt says so.
    expect((await receiptLines(daemon)).some((l) => l.includes('支付宝 Alipay'))).toBe(true);
    await finishAndSkipRating(kiosk);
  });

  it('waits while the gateway times out, shows "confirming", then success', async () => {
    sandboxes.gateway.script({ amountFen: 186_000 }, { kind: 'timeout', afterMs: 30_000 });
    const kiosk = await openBills(browser);
    const { page } = kiosk;
    await billByKeypad(page, 'heating', '330106000101');
    await page.locator('[data-action="pay-arrears"]').click();
    await page.locator('[data-method="micropay"]').click();
    await screen(page, 'j4-present-code');
    const screens = await recordScreens(page);
    await scanWhenArmed(daemon, '134567890123450103');
    await screen(page, 'j4-creating');
    await capture(kiosk, 'j4-creating');
    await screen(page, 'j4-paid', 30_000);
    const seen = await screens();
    expect(seen.slice(seen.indexOf('j4-creating'))).toEqual(['j4-creating', 'j4-confirming', 'j4-paid']);
    await page.locator('[data-receipt="printed"]').waitFor();
    await finishAndSkipRating(kiosk);
  });

  it('prepays while the gateway is away: "confirming" with the receipt number, a receipt to leave with, then success', async () => {
    const kiosk = await openBills(browser);
    const { page } = kiosk;
    await billByKeypad(page, 'electricity', '3301060013');
    // No arrears: prepaying is the only choice.
    expect(await page.locator('[data-action="pay-arrears"]').count()).toBe(0);
    await page.locator('[data-action="prepay"]').click();
    await screen(page, 'j4-amount');
    await capture(kiosk, 'j4-amount');
    await press(page, '88.8');
    expect(await page.locator('[data-keypad-value]').innerText()).toBe('88.8');
    await page.locator('[data-action="amount-next"]').click();
    await screen(page, 'j4-method');
    expect(await page.locator('.lead').innerText()).toContain('88.80');
    await page.locator('[data-method="micropay"]').click();
    await screen(page, 'j4-present-code');
    await sandboxes.gateway.stop();
    await scanWhenArmed(daemon, '134567890123450104');
    await screen(page, 'j4-confirming');
    const number = await page.locator('[data-receipt-number]').innerText();
    expect(number).toMatch(/^[A-Z0-9]{8,32}$/);
    expect(await page.locator('[data-screen="j4-confirming"]').innerText()).not.toMatch(/失败|failed/i);
    await capture(kiosk, 'j4-confirming');
    await page.locator('[data-action="leave-with-receipt"]').click();
    await screen(page, 'j4-confirming-receipt');
    expect(await page.locator('[data-receipt]').getAttribute('data-receipt')).toBe('printed');
    expect(await receiptLines(daemon)).toContain('确认中 CONFIRMING');
    await capture(kiosk, 'j4-confirming-receipt');
    // The gateway is back: the kiosk sends the payment again under the same order and it goes through.
    await sandboxes.gateway.start();
    await screen(page, 'j4-paid', 30_000);
    await page.locator('[data-receipt="printed"]').waitFor();
    expect(await page.locator('[data-receipt-number]').innerText()).toBe(number);
    expect(sandboxes.gateway.trades().filter((t) => t.orderId === number)).toMatchObject([{ tradeState: 'SUCCESS', amountFen: 8_880 }]);
    await finishAndSkipRating(kiosk);
  });

  it('lets a QR code expire and says nothing was charged; a cancelled one too', async () => {
    const kiosk = await openBills(browser);
    const { page } = kiosk;
    await billByKeypad(page, 'water', '33010602');
    await page.locator('[data-action="prepay"]').click();
    await press(page, '23.5');
    await page.locator('[data-action="amount-next"]').click();
    await page.locator('[data-method="native"]').click();
    await screen(page, 'j4-qr');
    // The gateway goes quiet as the code runs out: the kiosk cannot close it yet and says so.
    await sandboxes.gateway.stop();
    let hole = await blackHole(sandboxes.gateway.url);
    const first = Number(await page.locator('[data-seconds-left]').getAttribute('data-seconds-left'));
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(6);
    await capture(kiosk, 'j4-qr');
    await expectInView(page, '[data-action="cancel-payment"]');
    await screen(page, 'j4-qr-expired');
    await capture(kiosk, 'j4-qr-expired');
    await hole.close();
    await sandboxes.gateway.start();
    await page.locator('[data-screen="j4-not-paid"] [data-why="expired"]').waitFor({ timeout: 30_000 });
    await capture(kiosk, 'j4-not-paid-expired');

    await page.locator('[data-action="pay-again"]').click();
    await screen(page, 'j4-method');
    await page.locator('[data-method="native"]').click();
    await screen(page, 'j4-qr');
    await sandboxes.gateway.stop();
    hole = await blackHole(sandboxes.gateway.url);
    await page.locator('[data-action="cancel-payment"]').click();
    await screen(page, 'j4-cancelling');
    await capture(kiosk, 'j4-cancelling');
    await hole.close();
    await sandboxes.gateway.start();
    await page.locator('[data-screen="j4-not-paid"] [data-why="cancelled"]').waitFor({ timeout: 30_000 });
    await capture(kiosk, 'j4-not-paid-cancelled');
    const closed = sandboxes.gateway.trades().filter((t) => t.amountFen === 2_350);
    expect(closed.map((t) => t.tradeState)).toEqual(['CLOSED', 'CLOSED']);
    expect(sandboxes.gateway.ledger().filter((e) => closed.some((t) => t.orderId === e.orderId))).toEqual([]);
    expect(kiosk.errors).toEqual([]);
    await page.close();
  });

  it('still completes a payment when the receipt printer runs out of paper, and shows the receipt number', async () => {
    const kiosk = await openBills(browser);
    const { page } = kiosk;
    await billByKeypad(page, 'electricity', '3301060014');
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'out' });
    await waitUntil(async () => (await paperState()) === 'out', 10_000, 'the printer to report no paper');
    await page.locator('[data-action="pay-arrears"]').click();
    await page.locator('[data-method="micropay"]').click();
    await scanWhenArmed(daemon, '134567890123450105');
    await screen(page, 'j4-paid');
    await page.locator('[data-receipt="notPrinted"]').waitFor();
    const number = await page.locator('[data-receipt-number]').innerText();
    expect(await page.locator('[data-receipt="notPrinted"]').innerText()).toContain(number);
    expect(await page.locator('[data-screen="j4-paid"]').innerText()).toContain('缴费成功');
    await capture(kiosk, 'j4-paid-no-receipt');
    await daemon.simulate('receiptPrinter', { action: 'paper', paper: 'full' });
    await finishAndSkipRating(kiosk);
  });
});
