// What every receipt template is: a zod schema for its data (from outside: the UI, backends), a
// sample for technicians and tests, and a layout from typed data.
import type { z } from 'zod';
import type { PrinterProfile, ReceiptLayout } from '../encoder/receipt-document';

export interface TemplateContext {
  readonly terminalId: string;
  readonly site: string;
  readonly profile: PrinterProfile;
  readonly now: Date;
  /** Shown at the foot of every slip. */
  readonly hotline: string;
}

export interface ReceiptTemplate<T> {
  readonly name: string;
  readonly title: string;
  readonly schema: z.ZodType<T>;
  readonly sample: T;
  layout(data: T, context: TemplateContext): ReceiptLayout;
}

/** YYYY-MM-DD HH:mm in China time. */
export function chinaTime(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Fen to ￥1,234.50 (the full-width yen sign has a two-byte code; ¥ has not). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}￥${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** The foot every slip shares: where it was printed and whom to call. */
export function footer(layout: ReceiptLayout, context: TemplateContext): void {
  layout.rule();
  layout.text(context.site, { align: 'center' });
  layout.line(`终端 Terminal ${context.terminalId}   ${chinaTime(context.now)}`, { align: 'center' });
  layout.line(`服务热线 Hotline ${context.hotline}`, { align: 'center' });
}
