// 排队取号: a queue ticket for the staffed windows where the site has a queue.
import { z } from 'zod';
import { ReceiptLayout } from '../encoder/receipt-document';
import { chinaTime, footer, type ReceiptTemplate } from './template';

export const queueTicketSchema = z.strictObject({
  number: z.string().regex(/^[A-Z]?\d{1,4}$/),
  service: z.string().min(1).max(40),
  waiting: z.int().min(0).max(9_999),
  issuedAt: z.iso.datetime({ offset: true }),
  statusUrl: z.url().max(400).optional(),
});
export type QueueTicket = z.infer<typeof queueTicketSchema>;

export const queueTicket: ReceiptTemplate<QueueTicket> = {
  name: 'queue-ticket',
  title: '排队号 Queue ticket',
  schema: queueTicketSchema,
  sample: { number: 'A023', service: '社保医保 Social and medical insurance', waiting: 4, issuedAt: '2026-11-22T10:12:00+08:00', statusUrl: 'https://zwfw.example.gov.cn/queue?t=A023' },
  layout(d, context) {
    const l = new ReceiptLayout(context.profile);
    l.text('排队号 QUEUE NUMBER', { align: 'center' });
    l.line(d.number, { align: 'center', bold: true, width: 3, height: 3 });
    l.text(d.service, { align: 'center' });
    l.text(`前面还有 ${d.waiting} 人  ${d.waiting} waiting ahead`, { align: 'center' });
    l.text(`取号时间 ${chinaTime(new Date(d.issuedAt))}`, { align: 'center' });
    l.text('过号请重新取号 If you miss your number, take a new one', { align: 'center' });
    if (d.statusUrl) {
      l.feed(1);
      l.qr(d.statusUrl, 5, 'M');
    }
    footer(l, context);
    return l.cut();
  },
};
