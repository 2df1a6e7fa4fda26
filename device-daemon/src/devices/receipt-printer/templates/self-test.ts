// The technician's test slip: the terminal and printer identity, every size and style, a column
// ruler, Chinese text, and a QR code, so a glance shows the head, the font and the cutter work.
import { z } from 'zod';
import { ReceiptLayout } from '../encoder/receipt-document';
import { chinaTime, footer, type ReceiptTemplate } from './template';

export const selfTestSchema = z.strictObject({
  daemonVersion: z.string().max(40),
  printerModel: z.string().max(64),
  printerStatus: z.string().max(80),
  paperCount: z.int().min(0).optional(),
});
export type SelfTest = z.infer<typeof selfTestSchema>;

export const selfTest: ReceiptTemplate<SelfTest> = {
  name: 'self-test',
  title: '自检单 Self-test page',
  schema: selfTestSchema,
  sample: { daemonVersion: '0.1.0', printerModel: 'ESC/POS 80 mm receipt printer', printerStatus: 'online, paper full, cover closed', paperCount: 1_284 },
  layout(d, context) {
    const l = new ReceiptLayout(context.profile);
    l.text('打印机自检 PRINTER SELF-TEST', { align: 'center', bold: true, height: 2 });
    l.rule('=');
    l.pair('终端 Terminal', context.terminalId);
    l.pair('软件 Daemon', d.daemonVersion);
    l.pair('打印机 Printer', d.printerModel);
    l.pair('状态 Status', d.printerStatus);
    if (d.paperCount !== undefined) l.pair('已打印 Printed slips', String(d.paperCount));
    l.pair('时间 Time', chinaTime(context.now));
    l.rule();
    const columns = context.profile.columns;
    l.line('1234567890'.repeat(Math.ceil(columns / 10)).slice(0, columns));
    l.line('ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz');
    l.line('政务服务自助终端打印测试：中文二十四字一行满');
    l.text('宽 Wide', { width: 2 });
    l.text('高 Tall', { height: 2 });
    l.text('粗体 Bold', { bold: true });
    l.text('居中 Centre', { align: 'center' });
    l.text('靠右 Right', { align: 'right' });
    l.feed(1);
    l.qr(`SELFTEST ${context.terminalId} ${context.now.toISOString()}`, 5, 'M');
    footer(l, context);
    return l.cut();
  },
};
