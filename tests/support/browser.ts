// Debian's Chromium, driven headless by playwright-core. The flags keep it off the network: this
// machine has none, and the kiosk must not depend on one.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from './daemon-process';

export const CHROMIUM = process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'tests', 'artifacts');

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: npm test installs Debian's chromium (scripts/ensure-system.mjs)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  // playwright's launch gives every browser a fresh, temporary profile (--user-data-dir).
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}
