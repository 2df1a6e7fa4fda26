// Working days in China time (UTC+8), for time limits and 容缺受理 deadlines. Weekends are skipped;
// public holidays and their make-up working days are not known here (the platform's calendar is
// the authority), so a deadline computed here is never later than the platform's own.
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The calendar date in China time, YYYY-MM-DD. */
export function dateOnly(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The date `days` working days after `from` (China time); 0 is the same day. */
export function addWorkingDays(from: Date, days: number): Date {
  const local = new Date(from.getTime() + CHINA_OFFSET_MS);
  let added = 0;
  while (added < days) {
    local.setUTCDate(local.getUTCDate() + 1);
    const weekday = local.getUTCDay();
    if (weekday !== 0 && weekday !== 6) added += 1;
  }
  return new Date(local.getTime() - CHINA_OFFSET_MS);
}
