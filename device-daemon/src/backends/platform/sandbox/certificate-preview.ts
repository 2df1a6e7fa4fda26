// A picture of a certificate's first page for the resident's screen, as platforms offer with their
// PDFs: the same content, drawn as SVG and rendered by sharp with the CJK fonts fontconfig finds.
import sharp from 'sharp';
import type { CertificateContent } from './certificate-pdf';

const WIDTH = 794;
const HEIGHT = 1123;

const escape = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function renderCertificatePreview(content: CertificateContent): Promise<Buffer> {
  const lines: string[] = [];
  let y = 90;
  const text = (x: number, size: number, value: string, anchor = 'start', fill = '#14213d'): void => {
    lines.push(`<text x="${x}" y="${y}" font-size="${size}" text-anchor="${anchor}" fill="${fill}">${escape(value)}</text>`);
  };
  text(WIDTH / 2, 34, content.title.zh, 'middle');
  y += 34;
  text(WIDTH / 2, 18, content.title.en, 'middle', '#3d4a66');
  y += 40;
  text(WIDTH - 60, 14, `编号 No. ${content.serial}`, 'end');
  y += 14;
  lines.push(`<line x1="60" y1="${y}" x2="${WIDTH - 60}" y2="${y}" stroke="#14213d" stroke-width="1.5"/>`);
  y += 36;
  text(60, 18, `姓名 Name：${content.holder.name}`);
  y += 30;
  text(60, 18, `公民身份号码 ID number：${content.holder.idNumber}`);
  y += 40;
  const columns = content.table.columns;
  const colWidth = (WIDTH - 120) / columns.length;
  const row = (cells: readonly string[], bold: boolean): void => {
    cells.forEach((cell, i) => lines.push(`<text x="${66 + i * colWidth}" y="${y}" font-size="${bold ? 15 : 14}" fill="#14213d"${bold ? ' font-weight="bold"' : ''}>${escape(cell.length > 26 ? `${cell.slice(0, 25)}…` : cell)}</text>`));
    y += 12;
    lines.push(`<line x1="60" y1="${y}" x2="${WIDTH - 60}" y2="${y}" stroke="#9aa3b5" stroke-width="0.8"/>`);
    y += 26;
  };
  row(columns, true);
  for (const cells of content.table.rows.slice(0, 16)) row(cells, false);
  y = HEIGHT - 160;
  text(WIDTH - 60, 18, content.issuer, 'end');
  y += 28;
  const d = content.issuedAt;
  text(WIDTH - 60, 18, `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`, 'end');
  lines.push(`<circle cx="${WIDTH - 130}" cy="${HEIGHT - 150}" r="52" fill="none" stroke="#c8161d" stroke-width="3"/>`);
  lines.push(`<text x="${WIDTH - 130}" y="${HEIGHT - 138}" font-size="34" text-anchor="middle" fill="#c8161d">★</text>`);
  lines.push(`<text x="60" y="${HEIGHT - 60}" font-size="14" fill="#3d4a66">预览 Preview · 打印件附核验二维码 The printed copy carries a verification QR code</text>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif"><rect width="100%" height="100%" fill="#ffffff"/>${lines.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
}
