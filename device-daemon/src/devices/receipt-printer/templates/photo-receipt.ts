// 证件照回执: the receipt of an ID photo sheet, with what was printed and the pickup code (and its QR
// code) that matches the sheet's caption, so staff can hand over a sheet left in the A4 tray.
import { z } from 'zod';
import { PHOTO_BACKGROUNDS, PHOTO_SIZES, type PhotoBackground, type PhotoSize } from '../../../protocol';
import { ReceiptLayout } from '../encoder/receipt-document';
import { chinaTime, footer, type ReceiptTemplate } from './template';

export const photoReceiptSchema = z.strictObject({
  size: z.enum(PHOTO_SIZES),
  background: z.enum(PHOTO_BACKGROUNDS),
  sheets: z.int().min(1).max(4),
  photosPerSheet: z.int().min(1).max(100),
  /** Six characters without look-alikes (no 0/O, 1/I). */
  pickupCode: z.string().regex(/^[A-HJ-NP-Z2-9]{6}$/),
  printedAt: z.iso.datetime({ offset: true }),
});
export type PhotoReceipt = z.infer<typeof photoReceiptSchema>;

const SIZES: Readonly<Record<PhotoSize, string>> = {
  oneInch: '一寸 1-inch 25x35mm',
  twoInch: '二寸 2-inch 35x49mm',
  smallTwoInch: '小二寸 Small 2-inch 35x45mm',
  idCard: '身份证 ID card 26x32mm',
};

const BACKGROUNDS: Readonly<Record<PhotoBackground, string>> = { white: '白底 White', blue: '蓝底 Blue', red: '红底 Red' };

export const photoReceipt: ReceiptTemplate<PhotoReceipt> = {
  name: 'photo-receipt',
  title: '证件照回执 ID photo receipt',
  schema: photoReceiptSchema,
  sample: { size: 'oneInch', background: 'blue', sheets: 1, photosPerSheet: 49, pickupCode: 'K7Q2MZ', printedAt: '2026-11-22T10:12:00+08:00' },
  layout(d, context) {
    const l = new ReceiptLayout(context.profile);
    l.text('证件照 ID PHOTO', { align: 'center', bold: true, width: 2, height: 2 });
    l.rule();
    l.pair('规格 Size', SIZES[d.size]);
    l.pair('背景 Background', BACKGROUNDS[d.background]);
    l.pair('张数 Sheets (A4)', String(d.sheets));
    l.pair('每张 Photos per sheet', String(d.photosPerSheet));
    l.pair('时间 Printed', chinaTime(new Date(d.printedAt)));
    l.rule();
    l.text('取件码 Pickup code', { align: 'center' });
    l.line(d.pickupCode, { align: 'center', bold: true, width: 2, height: 2 });
    l.feed(1);
    l.qr(d.pickupCode, 6, 'M');
    l.text('请在A4打印机出纸口取照片，沿细线裁剪。', { align: 'center' });
    l.text('Collect the sheet from the A4 printer; cut along the thin lines.', { align: 'center' });
    l.text('未取到请凭取件码找工作人员 No sheet? Show staff this code.', { align: 'center' });
    footer(l, context);
    return l.cut();
  },
};
