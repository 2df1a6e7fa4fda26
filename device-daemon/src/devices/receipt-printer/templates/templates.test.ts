// Each template through the encoder and the virtual printer, read back by an independent QR reader.
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { PAPER_80MM } from '../encoder/receipt-document';
import { PaperRenderer } from '../simulator/paper-render';
import { printToModel } from '../simulator/print-to-paper';
import { renderTemplate, sampleData, TEMPLATE_NAMES, type TemplateName } from './registry';

const CONTEXT = { terminalId: 'HZ-XH-0042', site: '西湖区转塘街道便民服务中心', profile: PAPER_80MM, now: new Date('2026-11-22T02:30:00Z'), hotline: '12345' };
const renderer = new PaperRenderer();

async function printed(name: TemplateName, data: unknown = sampleData(name)) {
  const bytes = await renderTemplate(name, data, CONTEXT);
  if (!bytes.ok) throw new Error(bytes.error.message);
  const model = printToModel(bytes.value);
  const { width, height, grey } = await renderer.renderGrey(model.paper.blocks);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < grey.length; i += 1) {
    const v = grey[i] ?? 255;
    rgba.set([v, v, v, 255], i * 4);
  }
  return { model, width, height, qr: jsQR(rgba, width, height)?.data, lines: model.textLines() };
}

const EXPECTED_QR: Record<TemplateName, string | RegExp> = {
  'payment-receipt': 'https://zwfw.example.gov.cn/pay/verify?r=R2611220042',
  'acceptance-slip': 'https://zwfw.example.gov.cn/track?n=ZJ3301062611220017',
  'queue-ticket': 'https://zwfw.example.gov.cn/queue?t=A023',
  'photo-receipt': 'K7Q2MZ',
  'self-test': /^SELFTEST HZ-XH-0042 2026-11-22T02:30:00\.000Z$/,
};

describe('receipt templates on the virtual printer', () => {
  for (const name of TEMPLATE_NAMES) {
    it(`prints ${name} 576 dots wide with a QR code that reads back`, async () => {
      const job = await printed(name);
      expect(job.width).toBe(576);
      expect(job.model.unknownCommands).toBe(0);
      expect(job.model.paper.cuts).toBe(1);
      expect(job.qr).toMatch(EXPECTED_QR[name]);
      // Every line fits the paper: no glyph reaches past dot 576.
      for (const block of job.model.paper.blocks) if (block.kind === 'text') for (const g of block.glyphs) expect(g.x + g.cell * g.style.width).toBeLessThanOrEqual(576);
    });
  }

  it('prints the fields a resident and an auditor look for', async () => {
    const receipt = await printed('payment-receipt');
    expect(receipt.lines).toEqual(expect.arrayContaining(['水电燃暖缴费凭证', '缴费成功 PAID']));
    expect(receipt.lines.join('\n')).toMatch(/金额 Amount +￥128\.50/);
    expect(receipt.lines.join('\n')).toMatch(/户号 Account +\*{4}4567/);
    const confirming = await printed('payment-receipt', { ...(sampleData('payment-receipt') as object), status: 'confirming' });
    expect(confirming.lines).toContain('确认中 CONFIRMING');
    const slip = await printed('acceptance-slip');
    expect(slip.lines).toEqual(expect.arrayContaining(['容缺受理回执', 'ZJ3301062611220017', '1. 户口簿本人页复印件']));
    expect(slip.lines.join('\n')).toMatch(/补正截止 Deadline +2026-12-02/);
  });

  it('refuses bad data and a QR payload over the printer\'s limit before anything prints', async () => {
    const tooLong = await renderTemplate('acceptance-slip', { ...(sampleData('acceptance-slip') as object), trackUrl: `https://x.cn/${'a'.repeat(300)}` }, { ...CONTEXT, profile: { ...PAPER_80MM, qrMaxBytes: 256 } });
    expect(tooLong.ok ? 'encoded' : tooLong.error).toEqual({ code: 'qrTooLong', message: "QR payload of 313 bytes is over the printer's 256" });
    const bad = await renderTemplate('payment-receipt', { ...(sampleData('payment-receipt') as object), amountFen: -5 }, CONTEXT);
    expect(bad.ok ? 'encoded' : bad.error.code).toBe('invalidData');
  });

  it('wraps or cuts text that is too long instead of overflowing', async () => {
    const longName = '省级统筹城乡居民基本医疗保险参保登记及缴费基数核定与异地就医备案联合办理事项';
    const slip = await printed('acceptance-slip', { ...(sampleData('acceptance-slip') as object), itemName: longName });
    const text = slip.lines.join('');
    expect(text.replace(/\s/g, '')).toContain(longName);
  });

  it('prints a name with a character the printer font lacks as an image, not as junk', async () => {
    const job = await printed('payment-receipt', { ...(sampleData('payment-receipt') as object), holderMasked: '𠀀**' });
    const images = job.model.paper.blocks.filter((b) => b.kind === 'image');
    expect(images).toHaveLength(1);
    expect(job.lines.join('\n')).not.toMatch(/户名 Holder/);
  });
});
