// The printed sheet: as many copies of the photo as fit on A4 at their real size, each framed by a
// hairline to cut along, and a caption with the pickup code that matches the receipt. The PDF is
// made in memory; the caller wipes it once the printer has it.
import PDFDocument from 'pdfkit';
import type { PhotoBackground, PhotoSize } from '../protocol';
import type { PhotoSpec } from './photo-spec';

const PT_PER_MM = 72 / 25.4;
const A4 = { width: 210, height: 297 };
/** Clear of what office printers cannot reach (about 4-5 mm) with room to hold the sheet. */
const MARGIN_MM = 10;
const CAPTION_MM = 8;
/** Between photos: two cuts with room for the blade. */
const GAP_MM = 2;

export interface SheetLayout {
  readonly columns: number;
  readonly rows: number;
  readonly perSheet: number;
  /** Top-left corners of the photos, in mm from the sheet's top-left. */
  readonly cells: ReadonlyArray<{ readonly x: number; readonly y: number }>;
}

export function sheetLayout(spec: PhotoSpec): SheetLayout {
  const usableWidth = A4.width - 2 * MARGIN_MM;
  const usableHeight = A4.height - 2 * MARGIN_MM - CAPTION_MM;
  const columns = Math.max(1, Math.floor((usableWidth + GAP_MM) / (spec.widthMm + GAP_MM)));
  const rows = Math.max(1, Math.floor((usableHeight + GAP_MM) / (spec.heightMm + GAP_MM)));
  // The grid centred in the space below the caption.
  const gridWidth = columns * spec.widthMm + (columns - 1) * GAP_MM;
  const gridHeight = rows * spec.heightMm + (rows - 1) * GAP_MM;
  const left = (A4.width - gridWidth) / 2;
  const top = MARGIN_MM + CAPTION_MM + (usableHeight - gridHeight) / 2;
  const cells: Array<{ x: number; y: number }> = [];
  for (let r = 0; r < rows; r += 1) for (let c = 0; c < columns; c += 1) cells.push({ x: left + c * (spec.widthMm + GAP_MM), y: top + r * (spec.heightMm + GAP_MM) });
  return { columns, rows, perSheet: columns * rows, cells };
}

export interface SheetCaption {
  readonly size: PhotoSize;
  readonly background: PhotoBackground;
  readonly pickupCode: string;
  readonly terminalId: string;
  /** Already formatted (China time). */
  readonly printedAt: string;
}

/** In the PDF's built-in font (no CJK font needed on the print path). */
const SIZE_LABELS: Readonly<Record<PhotoSize, string>> = { oneInch: '1-inch', twoInch: '2-inch', smallTwoInch: 'small 2-inch', idCard: 'ID card' };

export function renderPhotoSheet(jpeg: Buffer, spec: PhotoSpec, sheets: number, caption: SheetCaption): Promise<{ pdf: Buffer; layout: SheetLayout }> {
  const layout = sheetLayout(spec);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { Title: 'ID photo', Author: caption.terminalId } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('error', reject);
    doc.on('end', () => {
      const pdf = Buffer.concat(chunks);
      for (const chunk of chunks) chunk.fill(0);
      resolve({ pdf, layout });
    });
    // A data URL is the one source pdfkit embeds once and reuses for every copy.
    const image = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    const mm = (v: number): number => v * PT_PER_MM;
    for (let sheet = 1; sheet <= sheets; sheet += 1) {
      doc.addPage({ size: 'A4', margin: 0 });
      const text = `ID photo ${SIZE_LABELS[caption.size]} ${spec.widthMm}x${spec.heightMm} mm, ${caption.background} | pickup code ${caption.pickupCode} | sheet ${sheet} of ${sheets} | terminal ${caption.terminalId} | ${caption.printedAt}`;
      doc.font('Helvetica').fontSize(8).fillColor('#444444').text(text, mm(MARGIN_MM), mm(MARGIN_MM + 2), { width: mm(A4.width - 2 * MARGIN_MM), align: 'center', lineBreak: false });
      for (const cell of layout.cells) doc.image(image, mm(cell.x), mm(cell.y), { width: mm(spec.widthMm), height: mm(spec.heightMm) });
      // Hairlines on the photos' edges: the cut lines, light enough to vanish if cut a little inside.
      doc.save().lineWidth(0.25).strokeColor('#9a9a9a');
      for (const cell of layout.cells) doc.rect(mm(cell.x), mm(cell.y), mm(spec.widthMm), mm(spec.heightMm)).stroke();
      doc.restore();
    }
    doc.end();
  });
}
