// Money, wallets and dates for J4, pure: amounts travel as integer fen (never floats), the resident
// types yuan; the receipt wants the wallet and China time.

/** The largest prepayment the kiosk takes (the daemon's default payments.maxAmountFen). */
export const MAX_AMOUNT_FEN = 5_000_000;

/** What the amount keypad may hold: up to six yuan digits and two decimals. */
const YUAN_ENTRY = /^\d{0,6}(\.\d{0,2})?$/;

export function isYuanEntry(text: string): boolean {
  return YUAN_ENTRY.test(text);
}

/** "128.4" → 12840 fen; undefined for an empty or malformed entry. Parsed as text, so no rounding. */
export function yuanToFen(text: string): number | undefined {
  const match = /^(\d{1,6})(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return undefined;
  const yuan = Number(match[1]);
  const fen = Number((match[2] ?? '').padEnd(2, '0'));
  return yuan * 100 + fen;
}

/** 12840 → "128.40" (a negative balance keeps its sign). */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export type Wallet = 'wechat' | 'alipay' | 'unionpay';

/** The wallet of a payment code, by its prefix (as the gateway routes it). */
export function walletOfCode(code: string): Wallet | undefined {
  if (/^1[0-5]\d{16}$/.test(code)) return 'wechat';
  if (/^(2[5-9]|30)\d{14,22}$/.test(code)) return 'alipay';
  if (/^62\d{17}$/.test(code)) return 'unionpay';
  return undefined;
}

/** The wallet a native QR code opens in; an aggregated code is booked as UnionPay. */
export function walletOfQr(qrContent: string): Wallet {
  if (qrContent.startsWith('weixin://') || qrContent.includes('wxpay')) return 'wechat';
  if (qrContent.includes('alipay')) return 'alipay';
  return 'unionpay';
}

/** A payment code as the scanner reads it (16 to 24 digits). */
export function isPaymentCode(text: string): boolean {
  return /^\d{16,24}$/.test(text);
}

/** China time (UTC+8, no daylight saving) as an ISO string with its offset, for the receipt. */
export function chinaIso(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** "2026-10" → { zh: "2026年10月", en: "October 2026" }; anything else as it is. */
export function billMonthText(month: string): { zh: string; en: string } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return { zh: month, en: month };
  const names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const index = Number(match[2]) - 1;
  return { zh: `${match[1]}年${Number(match[2])}月`, en: `${names[index] ?? match[2]} ${match[1]}` };
}

/** Seconds as the countdown shows and says them: "1:05" and minutes/seconds. */
export function clockText(seconds: number): string {
  const s = Math.max(0, seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Spoken at arrival (by the screen), then at each whole minute, at 30 and at 10 seconds. */
export function shouldSpeakCountdown(secondsLeft: number): boolean {
  return secondsLeft > 0 && (secondsLeft % 60 === 0 || secondsLeft === 30 || secondsLeft === 10);
}
