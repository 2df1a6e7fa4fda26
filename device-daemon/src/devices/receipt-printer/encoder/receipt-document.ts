// A receipt as a list of print operations, laid out for the paper, then encoded to ESC/POS bytes.
// Layout never lets text overflow a line: it wraps, or cuts with a mark. A line holding a character
// the printer's font cannot print is sent as an image of the line instead.
import { err, ok, type Result } from '../../../core/result';
import { renderTextLine } from '../text-raster';
import { EscPosBuilder, type Alignment, type Bitmap, type QrErrorCorrection } from './escpos-builder';
import { encodeGb18030, printable, substitute } from './gb18030';
import { labelValue, truncate, wrap } from './text-layout';

export interface PrinterProfile {
  /** Font A columns at normal size (48 on 80 mm paper). */
  readonly columns: number;
  readonly widthDots: number;
  /** The longest QR payload the printer takes in GS ( k. */
  readonly qrMaxBytes: number;
}

export const PAPER_80MM: PrinterProfile = { columns: 48, widthDots: 576, qrMaxBytes: 512 };

export interface TextStyle {
  readonly align: Alignment;
  readonly bold: boolean;
  /** GS ! multipliers. */
  readonly width: 1 | 2 | 3;
  readonly height: 1 | 2 | 3;
}

export const PLAIN: TextStyle = { align: 'left', bold: false, width: 1, height: 1 };

export type PrintOp =
  | { readonly kind: 'line'; readonly text: string; readonly style: TextStyle }
  | { readonly kind: 'feed'; readonly lines: number }
  | { readonly kind: 'qr'; readonly data: string; readonly moduleSize: number; readonly errorCorrection: QrErrorCorrection; readonly align: Alignment }
  | { readonly kind: 'image'; readonly bitmap: Bitmap; readonly align: Alignment }
  | { readonly kind: 'cut'; readonly partial: boolean };

export interface DocumentError {
  readonly code: 'qrTooLong' | 'missingImage';
  readonly message: string;
}

/** Lays text out for the paper as print operations. */
export class ReceiptLayout {
  readonly ops: PrintOp[] = [];

  constructor(readonly profile: PrinterProfile = PAPER_80MM) {}

  columnsFor(style: Partial<TextStyle>): number {
    return Math.floor(this.profile.columns / (style.width ?? 1));
  }

  /** Wrapped text: every line fits. */
  text(text: string, style: Partial<TextStyle> = {}): this {
    const full: TextStyle = { ...PLAIN, ...style };
    for (const line of wrap(substitute(text), this.columnsFor(full))) this.ops.push({ kind: 'line', text: line, style: full });
    return this;
  }

  /** One line only: cut with a mark when too long. */
  line(text: string, style: Partial<TextStyle> = {}): this {
    const full: TextStyle = { ...PLAIN, ...style };
    this.ops.push({ kind: 'line', text: truncate(substitute(text), this.columnsFor(full)), style: full });
    return this;
  }

  /** Label on the left, value on the right. */
  pair(label: string, value: string, style: Partial<TextStyle> = {}): this {
    const full: TextStyle = { ...PLAIN, ...style };
    for (const line of labelValue(substitute(label), substitute(value), this.columnsFor(full))) this.ops.push({ kind: 'line', text: line, style: full });
    return this;
  }

  rule(char = '-'): this {
    this.ops.push({ kind: 'line', text: char.repeat(this.profile.columns), style: PLAIN });
    return this;
  }

  feed(lines = 1): this {
    this.ops.push({ kind: 'feed', lines });
    return this;
  }

  qr(data: string, moduleSize = 6, errorCorrection: QrErrorCorrection = 'M', align: Alignment = 'center'): this {
    this.ops.push({ kind: 'qr', data, moduleSize, errorCorrection, align });
    return this;
  }

  cut(partial = true): this {
    this.ops.push({ kind: 'cut', partial });
    return this;
  }
}

const imageKey = (text: string, style: TextStyle): string => `${style.width}x${style.height}${style.bold ? 'b' : ''}:${text}`;

/** Draws the lines that need it (characters without a printer code) as images. */
export async function renderImageLines(ops: readonly PrintOp[]): Promise<Map<string, Bitmap>> {
  const images = new Map<string, Bitmap>();
  for (const op of ops) {
    if (op.kind !== 'line' || printable(op.text)) continue;
    const key = imageKey(op.text, op.style);
    if (!images.has(key)) images.set(key, await renderTextLine(op.text, op.style.width, op.style.height, op.style.bold));
  }
  return images;
}

/** Encodes the operations: one ESC/POS job, starting with ESC @ and ending after its cut. */
export function encodeDocument(ops: readonly PrintOp[], profile: PrinterProfile = PAPER_80MM, images: ReadonlyMap<string, Bitmap> = new Map()): Result<Uint8Array, DocumentError> {
  const encoder = new TextEncoder();
  const qrData = new Map<PrintOp, Uint8Array>();
  for (const op of ops) {
    if (op.kind !== 'qr') continue;
    const data = encoder.encode(op.data);
    if (data.length > profile.qrMaxBytes) return err({ code: 'qrTooLong', message: `QR payload of ${data.length} bytes is over the printer's ${profile.qrMaxBytes}` });
    qrData.set(op, data);
  }
  const b = new EscPosBuilder().initialise().chinese(true).lineSpacing(30);
  let align: Alignment = 'left';
  let bold = false;
  let size = 1 * 16 + 1;
  const setAlign = (a: Alignment): void => {
    if (a !== align) b.align(a);
    align = a;
  };
  for (const op of ops) {
    switch (op.kind) {
      case 'line': {
        setAlign(op.style.align);
        const text = encodeGb18030(op.text);
        if (text.unencodable.length > 0) {
          const image = images.get(imageKey(op.text, op.style));
          if (!image) return err({ code: 'missingImage', message: 'a line needs an image: call renderImageLines first' });
          b.raster(image);
          break;
        }
        if (op.style.bold !== bold) b.bold(op.style.bold);
        bold = op.style.bold;
        const wanted = op.style.width * 16 + op.style.height;
        if (wanted !== size) b.size(op.style.width, op.style.height);
        size = wanted;
        b.bytes(text.bytes).lineFeed();
        break;
      }
      case 'feed':
        b.feedLines(op.lines);
        break;
      case 'qr':
        setAlign(op.align);
        b.qr(qrData.get(op) ?? encoder.encode(op.data), op.moduleSize, op.errorCorrection).lineFeed();
        break;
      case 'image':
        setAlign(op.align);
        b.raster(op.bitmap);
        break;
      case 'cut':
        b.feedLines(4).cut(op.partial);
        break;
    }
  }
  return ok(b.build());
}
