// 受理回执: the acceptance slip of an application, with its tracking number and a QR code to track
// it; under 容缺受理 it lists each missing material with the deadline to supply it.
import { z } from 'zod';
import { ReceiptLayout } from '../encoder/receipt-document';
import { chinaTime, footer, type ReceiptTemplate } from './template';

export const acceptanceSlipSchema = z.strictObject({
  itemName: z.string().min(1).max(80),
  /** The item's code, the same at every level (三级四同). */
  itemCode: z.string().regex(/^[0-9A-Za-z-]{4,40}$/),
  department: z.string().min(1).max(60),
  applicantMasked: z.string().max(32),
  trackingNumber: z.string().regex(/^[0-9A-Za-z-]{6,40}$/),
  acceptedAt: z.iso.datetime({ offset: true }),
  promisedBy: z.iso.date().optional(),
  missing: z
    .array(z.strictObject({ name: z.string().min(1).max(80), deadline: z.iso.date() }))
    .max(20)
    .default([]),
  trackUrl: z.url().max(400),
});
export type AcceptanceSlip = z.infer<typeof acceptanceSlipSchema>;

export const acceptanceSlip: ReceiptTemplate<AcceptanceSlip> = {
  name: 'acceptance-slip',
  title: '受理回执 Acceptance slip',
  schema: acceptanceSlipSchema,
  sample: {
    itemName: '城乡居民基本养老保险参保登记',
    itemCode: '330106-JD-0231-001',
    department: '西湖区人力资源和社会保障局',
    applicantMasked: '王**',
    trackingNumber: 'ZJ3301062611220017',
    acceptedAt: '2026-11-22T10:05:00+08:00',
    promisedBy: '2026-12-06',
    missing: [{ name: '户口簿本人页复印件', deadline: '2026-12-02' }],
    trackUrl: 'https://zwfw.example.gov.cn/track?n=ZJ3301062611220017',
  },
  layout(d, context) {
    const l = new ReceiptLayout(context.profile);
    l.text(d.missing.length > 0 ? '容缺受理回执' : '受理回执', { align: 'center', bold: true, width: 2, height: 2 });
    l.text('ACCEPTANCE SLIP', { align: 'center' });
    l.rule();
    l.text(`事项 Service：${d.itemName}`);
    l.pair('事项编码 Code', d.itemCode);
    l.text(`受理部门 Department：${d.department}`);
    l.pair('申请人 Applicant', d.applicantMasked);
    l.pair('受理时间 Accepted', chinaTime(new Date(d.acceptedAt)));
    if (d.promisedBy) l.pair('承诺办结 Due by', d.promisedBy);
    l.rule();
    l.text('办件编号 Tracking number', { align: 'center' });
    l.line(d.trackingNumber, { align: 'center', bold: true, height: 2 });
    if (d.missing.length > 0) {
      l.rule();
      l.text('待补正材料 Materials to supply', { bold: true });
      d.missing.forEach((m, i) => {
        l.text(`${i + 1}. ${m.name}`);
        l.pair('   补正截止 Deadline', m.deadline);
      });
      l.text('请在截止日期前补交上述材料，逾期未补正的，将按规定处理。');
      l.text('Supply the materials by the deadline, or the application will be handled as the rules provide.');
    }
    l.feed(1);
    l.qr(d.trackUrl, 6, 'M');
    l.text('扫码查询办件进度 Scan to track', { align: 'center' });
    footer(l, context);
    return l.cut();
  },
};
