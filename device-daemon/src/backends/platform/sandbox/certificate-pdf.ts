// Certificates as the sandbox platform issues them: A4 PDFs with Chinese text, the holder's details,
// the record itself, and a verification QR code, signed off with the issuer's seal.
import PDFDocument from 'pdfkit';
import qrcode from 'qrcode-generator';
import type { FontFace } from './cjk-font';

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export interface CertificateContent {
  readonly serial: string;
  readonly title: Bilingual;
  readonly holder: { readonly name: string; readonly idNumber: string };
  readonly issuer: string;
  readonly issuedAt: Date;
  readonly intro: string;
  readonly table: { readonly columns: readonly string[]; readonly rows: ReadonlyArray<readonly string[]> };
  readonly verifyUrl: string;
}

const MARGIN = 56;
const RED = '#c8161d';

function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const cell = size / (n + 8);
  doc.save().rect(x, y, size, size).fill('#ffffff');
  for (let r = 0; r < n; r += 1) for (let c = 0; c < n; c += 1) if (qr.isDark(r, c)) doc.rect(x + (c + 4) * cell, y + (r + 4) * cell, cell, cell).fill('#000000');
  doc.restore();
}

function drawSeal(doc: PDFKit.PDFDocument, issuer: string, cx: number, cy: number): void {
  doc.save().lineWidth(2.5).strokeColor(RED).circle(cx, cy, 46).stroke();
  doc.fillColor(RED).fontSize(9);
  // The issuer's name set around the upper rim, a star in the middle, as a round official seal.
  const chars = [...issuer].slice(0, 16);
  const span = Math.PI * 1.25;
  chars.forEach((ch, i) => {
    const angle = -Math.PI / 2 - span / 2 + (span * (i + 0.5)) / chars.length;
    const x = cx + Math.cos(angle) * 34;
    const y = cy + Math.sin(angle) * 34;
    doc.save().translate(x, y).rotate(((angle + Math.PI / 2) * 180) / Math.PI).text(ch, -4.5, -5.5, { lineBreak: false }).restore();
  });
  doc.fontSize(22).text('★', cx - 11, cy - 14, { lineBreak: false });
  doc.restore();
}

export function renderCertificatePdf(content: CertificateContent, font: FontFace): Promise<{ pdf: Buffer; pages: number }> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: `${content.title.zh} ${content.title.en}`, Author: content.issuer, Subject: content.serial } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('error', reject);
    doc.registerFont('cjk', font.path, font.postscriptName);
    doc.font('cjk');
    const width = doc.page.width - 2 * MARGIN;

    doc.fontSize(22).text(content.title.zh, { align: 'center' });
    doc.fontSize(11).fillColor('#444444').text(content.title.en, { align: 'center' }).fillColor('#000000');
    doc.moveDown(0.5).fontSize(9).text(`编号 No. ${content.serial}`, { align: 'right' });
    doc.moveDown(0.5).moveTo(MARGIN, doc.y).lineTo(MARGIN + width, doc.y).lineWidth(0.8).stroke();
    doc.moveDown(0.6).fontSize(11);
    doc.text(`姓名 Name：${content.holder.name}`);
    doc.text(`公民身份号码 ID number：${content.holder.idNumber}`);
    doc.moveDown(0.5).text(content.intro, { width });
    doc.moveDown(0.6);

    const columns = content.table.columns;
    const colWidth = width / columns.length;
    const row = (cells: readonly string[], bold: boolean): void => {
      if (doc.y > doc.page.height - MARGIN - 200) doc.addPage();
      const y = doc.y;
      doc.fontSize(bold ? 10 : 9.5).fillColor(bold ? '#000000' : '#222222');
      cells.forEach((cell, i) => doc.text(cell, MARGIN + i * colWidth + 3, y + 4, { width: colWidth - 6, lineBreak: true }));
      const bottom = Math.max(doc.y, y + 18) + 2;
      doc.moveTo(MARGIN, bottom).lineTo(MARGIN + width, bottom).lineWidth(0.4).strokeColor('#999999').stroke().strokeColor('#000000');
      doc.x = MARGIN;
      doc.y = bottom + 1;
    };
    row(columns, true);
    for (const cells of content.table.rows) row(cells, false);

    const footerTop = Math.max(doc.y + 20, doc.page.height - MARGIN - 150);
    if (footerTop > doc.page.height - MARGIN - 150) doc.addPage();
    const top = Math.min(footerTop, doc.page.height - MARGIN - 150);
    drawQr(doc, content.verifyUrl, MARGIN, top, 110);
    doc.fontSize(8.5).fillColor('#000000').text('扫码核验真伪 Scan to verify', MARGIN, top + 114, { width: 140 });
    const date = content.issuedAt;
    const issued = `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日`;
    doc.fontSize(11).text(content.issuer, MARGIN + width - 220, top + 40, { width: 220, align: 'right' });
    doc.text(issued, MARGIN + width - 220, top + 60, { width: 220, align: 'right' });
    drawSeal(doc, content.issuer, MARGIN + width - 70, top + 52);

    const pages = doc.bufferedPageRange().count;
    for (let i = 0; i < pages; i += 1) {
      doc.switchToPage(i);
      // Writing inside the bottom margin would start a new page: lift the margin for the footer.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.fontSize(8).fillColor('#666666').text(`第 ${i + 1} 页 共 ${pages} 页  Page ${i + 1} of ${pages}`, MARGIN, doc.page.height - MARGIN + 16, { width, align: 'center', lineBreak: false });
      doc.page.margins.bottom = bottom;
    }
    doc.on('end', () => resolve({ pdf: Buffer.concat(chunks), pages }));
    doc.end();
  });
}
