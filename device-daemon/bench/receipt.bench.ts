// Receipt encoding and rendering: our encoder against receiptline (the independent encoder) on the
// same acceptance slip with a QR code, and the virtual printer's render of it to a PNG.
import receiptline from 'receiptline';
import { encodeDocument, PAPER_80MM } from '../src/devices/receipt-printer/encoder/receipt-document';
import { PaperRenderer } from '../src/devices/receipt-printer/simulator/paper-render';
import { printToModel } from '../src/devices/receipt-printer/simulator/print-to-paper';
import { acceptanceSlip } from '../src/devices/receipt-printer/templates/acceptance-slip';
import { report, summarise } from './stats';

const context = { terminalId: 'HZ-XH-0042', site: '西湖区转塘街道便民服务中心', profile: PAPER_80MM, now: new Date('2026-11-22T02:30:00Z'), hotline: '12345' };
const data = acceptanceSlip.sample;

/** The same slip in receiptline's markdown-like language. */
const receiptlineDoc = [
  '^^^容缺受理回执',
  'ACCEPTANCE SLIP',
  '---',
  `事项 Service：${data.itemName}`,
  `|事项编码 Code | ${data.itemCode}|`,
  `受理部门 Department：${data.department}`,
  `|申请人 Applicant | ${data.applicantMasked}|`,
  '|受理时间 Accepted | 2026-11-22 10:05|',
  `|承诺办结 Due by | ${data.promisedBy ?? ''}|`,
  '---',
  '办件编号 Tracking number',
  `^^${data.trackingNumber}`,
  '---',
  '"待补正材料 Materials to supply"',
  ...data.missing.flatMap((m, i) => [`${i + 1}. ${m.name}`, `|   补正截止 Deadline | ${m.deadline}|`]),
  '请在截止日期前补交上述材料，逾期未补正的，将按规定处理。',
  '',
  `{code:${data.trackUrl}; option:qrcode,6,m}`,
  '扫码查询办件进度 Scan to track',
  '---',
  context.site,
  '终端 Terminal HZ-XH-0042   2026-11-22 10:30',
  '服务热线 Hotline 12345',
  '=',
].join('\n');

function time(iterations: number, warmup: number, run: () => void): number[] {
  const samples: number[] = [];
  for (let i = 0; i < warmup + iterations; i += 1) {
    const started = performance.now();
    run();
    const elapsed = performance.now() - started;
    if (i >= warmup) samples.push(elapsed);
  }
  return samples;
}

async function main(): Promise<void> {
  const ours = time(5_000, 500, () => {
    const encoded = encodeDocument(acceptanceSlip.layout(data, context).ops, context.profile);
    if (!encoded.ok) throw new Error(encoded.error.message);
  });
  const theirs = time(2_000, 200, () => {
    receiptline.transform(receiptlineDoc, { cpl: 48, encoding: 'gb18030', command: 'generic' });
  });
  const oursSummary = summarise(ours);
  const theirsSummary = summarise(theirs);
  report('receipt.encode.ours', 'ms', oursSummary, { target: 'p50 at most 0.3 ms, at least 3x faster than receiptline' });
  report('receipt.encode.receiptline', 'ms', theirsSummary, { ratio: `${(theirsSummary.p50 / oursSummary.p50).toFixed(1)}x slower than ours at p50` });

  const encoded = encodeDocument(acceptanceSlip.layout(data, context).ops, context.profile);
  if (!encoded.ok) throw new Error(encoded.error.message);
  const renderer = new PaperRenderer();
  // The first render draws the font's glyphs once; the kiosk's renders after that are warm.
  await renderer.renderPng(printToModel(encoded.value).paper.blocks);
  const renders: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const started = performance.now();
    await renderer.renderPng(printToModel(encoded.value).paper.blocks);
    renders.push(performance.now() - started);
  }
  report('receipt.render.virtualPrinter', 'ms', summarise(renders), { target: 'at most 50 ms' });
}

void main();
