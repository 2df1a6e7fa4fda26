// 缴费凭证: the receipt of a utility bill payment. An uncertain result prints as "confirming" with
// its receipt number, never as failed while money may have moved.
import { z } from 'zod';
import { ReceiptLayout } from '../encoder/receipt-document';
import { chinaTime, footer, yuan, type ReceiptTemplate } from './template';

const UTILITY = { water: '水费 Water', electricity: '电费 Electricity', gas: '燃气费 Gas', heating: '供暖费 Heating' } as const;
const METHOD = { wechat: '微信支付 WeChat Pay', alipay: '支付宝 Alipay', unionpay: '云闪付 UnionPay' } as const;

export const paymentReceiptSchema = z.strictObject({
  utility: z.enum(['water', 'electricity', 'gas', 'heating']),
  /** The utility account number; the slip shows its last four characters only. */
  account: z.string().regex(/^[0-9A-Za-z-]{4,32}$/),
  /** Already masked (张**). */
  holderMasked: z.string().max(32),
  billPeriod: z.string().max(32).optional(),
  kind: z.enum(['arrears', 'prepayment']),
  amountFen: z.int().positive().max(100_000_000),
  method: z.enum(['wechat', 'alipay', 'unionpay']),
  orderId: z.string().regex(/^[0-9A-Za-z_-]{6,64}$/),
  receiptNumber: z.string().regex(/^[0-9A-Za-z-]{4,32}$/),
  status: z.enum(['success', 'confirming']),
  paidAt: z.iso.datetime({ offset: true }),
  verifyUrl: z.url().max(400).optional(),
});
export type PaymentReceipt = z.infer<typeof paymentReceiptSchema>;

export const paymentReceipt: ReceiptTemplate<PaymentReceipt> = {
  name: 'payment-receipt',
  title: '缴费凭证 Payment receipt',
  schema: paymentReceiptSchema,
  sample: {
    utility: 'electricity',
    account: '330106001234567',
    holderMasked: '张**',
    billPeriod: '2026年10月 October 2026',
    kind: 'arrears',
    amountFen: 12_850,
    method: 'wechat',
    orderId: 'KSK20261122093015A7F3',
    receiptNumber: 'R2611220042',
    status: 'success',
    paidAt: '2026-11-22T09:30:15+08:00',
    verifyUrl: 'https://zwfw.example.gov.cn/pay/verify?r=R2611220042',
  },
  layout(d, context) {
    const l = new ReceiptLayout(context.profile);
    l.text('水电燃暖缴费凭证', { align: 'center', bold: true, width: 2, height: 2 });
    l.text('UTILITY PAYMENT RECEIPT', { align: 'center' });
    l.rule();
    l.pair('缴费项目 Utility', UTILITY[d.utility]);
    l.pair('户号 Account', `****${d.account.slice(-4)}`);
    l.pair('户名 Holder', d.holderMasked);
    if (d.billPeriod) l.pair('账期 Period', d.billPeriod);
    l.pair('类型 Type', d.kind === 'arrears' ? '缴纳欠费 Arrears' : '预存 Prepayment');
    l.pair('金额 Amount', yuan(d.amountFen), { bold: true, height: 2 });
    l.pair('支付方式 Method', METHOD[d.method]);
    l.pair('订单号 Order', d.orderId);
    l.pair('凭证号 Receipt', d.receiptNumber);
    l.pair('时间 Time', chinaTime(new Date(d.paidAt)));
    l.rule();
    if (d.status === 'success') {
      l.text('缴费成功 PAID', { align: 'center', bold: true, width: 2, height: 2 });
    } else {
      l.text('确认中 CONFIRMING', { align: 'center', bold: true, width: 2, height: 2 });
      l.text('支付结果确认中，请勿重复缴费。可凭凭证号查询结果。', { align: 'center' });
      l.text('The payment is being confirmed. Do not pay again; ask with the receipt number.', { align: 'center' });
    }
    if (d.verifyUrl) {
      l.feed(1);
      l.qr(d.verifyUrl, 6, 'M');
      l.text('扫码核验 Scan to verify', { align: 'center' });
    }
    l.text('请妥善保管本凭证 Please keep this receipt', { align: 'center' });
    footer(l, context);
    return l.cut();
  },
};
