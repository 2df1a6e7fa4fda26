// Helpers for the browser tests of the resident UI: a kiosk page in a given orientation, and
// capture(): axe-core (WCAG 2.2 A/AA, target-size) on the screen as it is, then a screenshot of it
// in both orientations under tests/artifacts/screens/.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ARTIFACTS } from './browser';
import type { DaemonProcess } from './daemon-process';
import { evalFace } from '../../device-daemon/src/testing/eval-faces';
import { HOLDER_CARD, siteFor, type Sandboxes } from './sandboxes';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export const ORIENTATIONS = {
  portrait: { width: 1080, height: 1920 },
  landscape: { width: 1920, height: 1080 },
} as const;
export type Orientation = keyof typeof ORIENTATIONS;

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export interface KioskPage {
  readonly page: Page;
  readonly orientation: Orientation;
  /** Uncaught page errors and console errors, to be empty at the end. */
  readonly errors: string[];
  /** Texts the page asked the daemon to speak, in order. */
  readonly spoken: string[];
  /** The rate asked for with each of them (normal, slow). */
  readonly speechRates: string[];
  /** Screens captured, in order. */
  readonly screens: string[];
}

export async function openKiosk(browser: Browser, daemon: DaemonProcess, orientation: Orientation = 'portrait', options: { fakeClock?: boolean } = {}): Promise<KioskPage> {
  // bypassCSP lets the test inject axe-core; the page itself keeps its strict policy.
  const page = await browser.newPage({ viewport: ORIENTATIONS[orientation], bypassCSP: true });
  const errors: string[] = [];
  const spoken: string[] = [];
  const speechRates: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname !== '/speech') return;
    spoken.push(url.searchParams.get('text') ?? '');
    speechRates.push(url.searchParams.get('rate') ?? '');
  });
  // The page's timers and Date under the test's control (idle timeouts, countdowns).
  if (options.fakeClock) await page.clock.install();
  await page.goto(`http://127.0.0.1:${daemon.uiPort}/`);
  await page.locator('[data-screen="attract"]').waitFor();
  return { page, orientation, errors, spoken, speechRates, screens: [] };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/** axe-core over the page as it is now; the violations, described enough to fix them. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, rules: { 'target-size': { enabled: true } }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, AXE_TAGS);
}

/**
 * The screen now showing: no axe violations in either orientation, and a screenshot of each.
 * Returns to the page's own orientation afterwards.
 */
export async function capture(kiosk: KioskPage, name: string): Promise<void> {
  const { page } = kiosk;
  const shown = await page.locator('[data-screen]').last().getAttribute('data-screen');
  // Let fonts and pictures settle so the screenshot is what a resident sees.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const order: Orientation[] = kiosk.orientation === 'portrait' ? ['portrait', 'landscape'] : ['landscape', 'portrait'];
  for (const orientation of order) {
    await page.setViewportSize(ORIENTATIONS[orientation]);
    expect(await axeViolations(page), `axe on ${name} (${shown}, ${orientation})`).toEqual([]);
    // The primary action is on screen without scrolling.
    const size = ORIENTATIONS[orientation];
    const outside = await page.locator('.actions .primary, .huge').evaluateAll(
      (buttons, viewport) => buttons.map((b) => b.getBoundingClientRect()).filter((r) => r.width > 0 && (r.bottom > viewport.height + 0.5 || r.right > viewport.width + 0.5)).length,
      size,
    );
    expect(outside, `primary action beyond the screen on ${name} (${orientation})`).toBe(0);
    const dir = join(ARTIFACTS, 'screens', orientation);
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled', caret: 'hide' });
  }
  await page.setViewportSize(ORIENTATIONS[kiosk.orientation]);
  kiosk.screens.push(name);
}

/** The primary action is on screen without scrolling: its box is inside the viewport. */
export async function expectInView(page: Page, selector: string): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  const viewport = page.viewportSize();
  expect(box, selector).not.toBeNull();
  if (!box || !viewport) return;
  expect(box.y + box.height, `${selector} below the fold`).toBeLessThanOrEqual(viewport.height);
  expect(box.x + box.width, `${selector} beyond the right edge`).toBeLessThanOrEqual(viewport.width);
}

/**
 * The simulated resident answers each challenge the page shows, half a second after it appears,
 * until the face check screen goes. Resolves with the challenges answered.
 */
export async function answerChallenges(kiosk: KioskPage, daemon: DaemonProcess, timeoutMs = 60_000): Promise<string[]> {
  const answered: string[] = [];
  const { page } = kiosk;
  for (let index = 0; ; index += 1) {
    const next = page.locator(`[data-challenge-index="${index}"]`);
    const gone = page.locator('[data-screen="identify-face-check"]');
    const which = await Promise.race([
      next.waitFor({ timeout: timeoutMs }).then(() => 'challenge' as const, () => undefined),
      gone.waitFor({ state: 'detached', timeout: timeoutMs }).then(() => 'done' as const, () => undefined),
    ]);
    if (which === undefined) throw new Error(`no challenge ${index} and the face check did not end`);
    if (which === 'done') return answered;
    const gesture = (await next.getAttribute('data-challenge')) ?? '';
    answered.push(gesture);
    await daemon.simulate('faceCamera', { action: 'perform', gesture, afterMs: 500 });
  }
}

/** A site for the UI tests: every device simulated, the holder's card photo one of the evaluation faces. */
export function uiSite(sandboxes: Sandboxes, extra: Record<string, unknown> = {}, platform: Record<string, unknown> = {}): Record<string, unknown> {
  // Generous backend timeouts: the sandboxes share two cores with Chromium, ffmpeg and the models.
  const base = siteFor(sandboxes, { platform: { requireFaceCheck: true, timeoutMs: 10_000, ...platform }, extra: { face: { liveness: { challengeTimeoutMs: 8_000 }, positioningTimeoutMs: 10_000 }, ...extra } });
  const devices = base['devices'] as Record<string, unknown>;
  const reader = devices['idCardReader'] as Record<string, unknown>;
  return { ...base, devices: { ...devices, idCardReader: { ...reader, simulator: { cards: [{ ...HOLDER_CARD, photo: evalFace('raj_4.png') }] } } } };
}

/**
 * From the consent screen to verified, as the holder: agree, answer the challenges, and (as a
 * resident would) try again if a slow frame made an attempt fail. Resolves with the attempts used.
 */
export async function passFaceCheck(kiosk: KioskPage, daemon: DaemonProcess): Promise<number> {
  const { page } = kiosk;
  await page.locator('[data-action="agree"]').click();
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    await answerChallenges(kiosk, daemon);
    await page.locator('[data-screen="identify-verified"], [data-screen="identify-check-failed"]').waitFor({ timeout: 30_000 });
    if ((await page.locator('[data-screen="identify-verified"]').count()) > 0) return attempt;
    await page.locator('[data-action="retry"]').click();
  }
  throw new Error('the holder was not verified in three attempts');
}
