// The same slip built by our encoder and by receiptline (an independent ESC/POS encoder), printed
// on the virtual printer: the text that comes out must be the same.
import receiptline from 'receiptline';
import { describe, expect, it } from 'vitest';
import { encodeDocument, ReceiptLayout } from './encoder/receipt-document';
import { printToModel } from './simulator/print-to-paper';

const normalise = (lines: readonly string[]): string[] => lines.map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l.length > 0);

describe('our encoder against receiptline', () => {
  it('prints the same text for the same receipt', () => {
    const ours = new ReceiptLayout()
      .text('缴费凭证', { align: 'center', bold: true })
      .pair('户号 Account', '330106001234567')
      .pair('金额 Amount', '￥128.50')
      .pair('订单号 Order', 'KSK20261122093015A7F3')
      .text('谢谢 Thank you', { align: 'center' })
      .cut();
    const encoded = encodeDocument(ours.ops);
    if (!encoded.ok) throw new Error(encoded.error.message);
    const doc = ['^缴费凭证', '|户号 Account | 330106001234567|', '|金额 Amount | ￥128.50|', '|订单号 Order | KSK20261122093015A7F3|', '谢谢 Thank you', '='].join('\n');
    const theirs = Buffer.from(receiptline.transform(doc, { cpl: 48, encoding: 'gb18030', command: 'generic' }), 'binary');
    const ourText = normalise(printToModel(encoded.value).textLines());
    const theirModel = printToModel(theirs);
    expect(ourText).toEqual(['缴费凭证', '户号 Account 330106001234567', '金额 Amount ￥128.50', '订单号 Order KSK20261122093015A7F3', '谢谢 Thank you']);
    expect(normalise(theirModel.textLines())).toEqual(ourText);
    expect(theirModel.unknownCommands).toBe(0);
  });
});
