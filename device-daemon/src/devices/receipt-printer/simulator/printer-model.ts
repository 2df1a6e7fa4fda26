// The print mechanism of the virtual printer: executes ESC/POS commands in order against the
// printer's modes (Chinese mode, emphasis, sizes, alignment, margins, positions, line spacing) and
// lays characters, rasters and QR codes onto the paper as a real printer would.
import qrcode from 'qrcode-generator';
import type { Bitmap } from '../encoder/escpos-builder';
import { lineText, Paper, type GlyphStyle, type PlacedGlyph } from './paper';
import type { EscPosToken } from './escpos-stream-parser';

type Align = 'left' | 'center' | 'right';

interface Modes {
  chinese: boolean;
  bold: boolean;
  underline: boolean;
  reverse: boolean;
  width: number;
  height: number;
  align: Align;
  lineSpacing: number;
  halfSpacing: number;
  fullSpacing: number;
  leftMargin: number;
  areaWidth: number;
}

const PAPER = 576;

const initialModes = (): Modes => ({
  chinese: false,
  bold: false,
  underline: false,
  reverse: false,
  width: 1,
  height: 1,
  align: 'left',
  lineSpacing: 30,
  halfSpacing: 0,
  fullSpacing: 0,
  leftMargin: 0,
  areaWidth: PAPER,
});

function alignment(n: number): Align {
  if (n === 1 || n === 49) return 'center';
  if (n === 2 || n === 50) return 'right';
  return 'left';
}

const gb18030 = new TextDecoder('gb18030');
const latin1 = new TextDecoder('latin1');

interface LineGlyph {
  readonly ch: string;
  /** Dots from the left margin. */
  readonly x: number;
  readonly cell: 12 | 24;
  readonly style: GlyphStyle;
}

export class PrinterModel {
  readonly paper = new Paper();
  #m = initialModes();
  #line: LineGlyph[] = [];
  #x = 0;
  #positioned = false;
  #pendingLead: number | undefined;
  #qr: { moduleSize: number; ec: 'L' | 'M' | 'Q' | 'H'; data: Uint8Array } = { moduleSize: 3, ec: 'M', data: new Uint8Array(0) };
  #unknown = 0;

  get unknownCommands(): number {
    return this.#unknown;
  }

  get chineseMode(): boolean {
    return this.#m.chinese;
  }

  /** Every printed text line, in order. */
  textLines(): string[] {
    return this.paper.blocks.flatMap((b) => (b.kind === 'text' ? [lineText(b)] : []));
  }

  execute(token: EscPosToken): void {
    if (token.kind === 'text') return this.#text(token.bytes);
    if (token.kind === 'unknown') {
      this.#unknown += 1;
      return;
    }
    const b = token.bytes;
    const arg = (i: number): number => b[i] ?? 0;
    const m = this.#m;
    switch (token.name) {
      case 'LF':
        return this.#flush(true);
      case 'HT': {
        const tab = 8 * 12 * m.width;
        this.#x = (Math.floor(this.#x / tab) + 1) * tab;
        return;
      }
      case 'ESC @':
        // Initialise: modes reset and the unprinted line is discarded.
        this.#m = initialModes();
        this.#line = [];
        this.#x = 0;
        this.#positioned = false;
        this.#pendingLead = undefined;
        return;
      case 'ESC !': {
        const n = arg(2);
        m.bold = (n & 0x08) !== 0;
        m.height = n & 0x10 ? 2 : 1;
        m.width = n & 0x20 ? 2 : 1;
        m.underline = (n & 0x80) !== 0;
        return;
      }
      case 'ESC E':
      case 'ESC G':
        m.bold = (arg(2) & 1) === 1;
        return;
      case 'ESC -':
        m.underline = [1, 2, 49, 50].includes(arg(2));
        return;
      case 'GS B':
        m.reverse = (arg(2) & 1) === 1;
        return;
      case 'GS !':
        m.width = ((arg(2) >> 4) & 7) + 1;
        m.height = (arg(2) & 7) + 1;
        return;
      case 'ESC a':
        m.align = alignment(arg(2));
        return;
      case 'ESC 2':
        m.lineSpacing = 30;
        return;
      case 'ESC 3':
        m.lineSpacing = arg(2);
        return;
      case 'ESC SP':
        m.halfSpacing = arg(2);
        return;
      case 'FS S':
        m.fullSpacing = arg(2) + arg(3);
        return;
      case 'ESC $':
        this.#x = arg(2) + 256 * arg(3);
        this.#positioned = true;
        return;
      case 'ESC \\': {
        const delta = (arg(2) + 256 * arg(3)) << 16 >> 16;
        this.#x = Math.max(0, this.#x + delta);
        this.#positioned = true;
        return;
      }
      case 'GS L':
        m.leftMargin = Math.min(PAPER - 12, arg(2) + 256 * arg(3));
        m.areaWidth = Math.min(m.areaWidth, PAPER - m.leftMargin);
        return;
      case 'GS W':
        m.areaWidth = Math.max(12, Math.min(PAPER - m.leftMargin, arg(2) + 256 * arg(3)));
        return;
      case 'FS &':
        m.chinese = true;
        return;
      case 'FS .':
        m.chinese = false;
        this.#pendingLead = undefined;
        return;
      case 'ESC d':
        this.#flush(false);
        return this.paper.add({ kind: 'feed', dots: arg(2) * m.lineSpacing });
      case 'ESC J':
        this.#flush(false);
        return this.paper.add({ kind: 'feed', dots: arg(2) });
      case 'GS v 0':
        return this.#raster(b);
      case 'GS (':
        return this.#function(b);
      case 'GS V': {
        this.#flush(false);
        const mode = arg(2);
        if (mode === 65 || mode === 66) this.paper.add({ kind: 'feed', dots: arg(3) });
        return this.paper.add({ kind: 'cut', partial: mode === 1 || mode === 49 || mode === 66 });
      }
      default:
        // Commands that set things this model does not draw (code pages, fonts, cash drawer).
        return;
    }
  }

  #style(): GlyphStyle {
    const m = this.#m;
    return { bold: m.bold, underline: m.underline, reverse: m.reverse, width: m.width, height: m.height };
  }

  #place(ch: string, cell: 12 | 24): void {
    const m = this.#m;
    const advance = cell * m.width + (cell === 12 ? m.halfSpacing : m.fullSpacing);
    if (this.#x + cell * m.width > m.areaWidth) this.#flush(true);
    this.#line.push({ ch, x: this.#x, cell, style: this.#style() });
    this.#x += advance;
  }

  #text(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (this.#pendingLead !== undefined) {
        const ch = gb18030.decode(Uint8Array.of(this.#pendingLead, byte));
        this.#pendingLead = undefined;
        this.#place(ch, 24);
      } else if (this.#m.chinese && byte >= 0x81 && byte <= 0xfe) {
        this.#pendingLead = byte;
      } else if (byte >= 0x20) {
        this.#place(byte < 0x80 ? String.fromCharCode(byte) : latin1.decode(Uint8Array.of(byte)), 12);
      }
    }
  }

  /** Prints the line in the buffer; an empty line still feeds when `feedEmpty`. */
  #flush(feedEmpty: boolean): void {
    const m = this.#m;
    if (this.#line.length === 0) {
      if (feedEmpty) this.paper.add({ kind: 'feed', dots: m.lineSpacing || 24 });
      this.#x = 0;
      this.#positioned = false;
      return;
    }
    const width = Math.max(...this.#line.map((g) => g.x + g.cell * g.style.width));
    const shift = this.#positioned ? 0 : this.#alignShift(width);
    const height = Math.max(...this.#line.map((g) => 24 * g.style.height));
    const glyphs: PlacedGlyph[] = this.#line.map((g) => ({ ch: g.ch, x: m.leftMargin + shift + g.x, cell: g.cell, style: g.style }));
    this.paper.add({ kind: 'text', glyphs, height, feed: Math.max(m.lineSpacing, height) });
    this.#line = [];
    this.#x = 0;
    this.#positioned = false;
  }

  #alignShift(width: number): number {
    const room = Math.max(0, this.#m.areaWidth - width);
    return this.#m.align === 'center' ? Math.floor(room / 2) : this.#m.align === 'right' ? room : 0;
  }

  #raster(b: Uint8Array): void {
    this.#flush(false);
    const widthBytes = (b[4] ?? 0) + 256 * (b[5] ?? 0);
    const height = (b[6] ?? 0) + 256 * (b[7] ?? 0);
    const bitmap: Bitmap = { width: widthBytes * 8, height, bits: b.slice(8, 8 + widthBytes * height) };
    this.paper.add({ kind: 'image', x: this.#m.leftMargin + this.#alignShift(bitmap.width), bitmap });
  }

  /** GS ( k: the QR code functions (cn 49). Other 2-D symbols are accepted and not drawn. */
  #function(b: Uint8Array): void {
    if (b[2] !== 0x6b || b[5] !== 0x31) return;
    const fn = b[6];
    if (fn === 0x43) this.#qr.moduleSize = Math.max(1, Math.min(16, b[7] ?? 3));
    else if (fn === 0x45) this.#qr.ec = (['L', 'M', 'Q', 'H'] as const)[(b[7] ?? 49) - 48] ?? 'M';
    else if (fn === 0x50) this.#qr.data = b.slice(8);
    else if (fn === 0x51) this.#printQr();
  }

  #printQr(): void {
    this.#flush(false);
    const qr = qrcode(0, this.#qr.ec);
    // Byte mode: each char of a latin1 string is one stored byte, whatever its text encoding.
    qr.addData(latin1.decode(this.#qr.data), 'Byte');
    qr.make();
    const count = qr.getModuleCount();
    const modules = Array.from({ length: count }, (_, r) => Array.from({ length: count }, (_, c) => qr.isDark(r, c)));
    const size = count * this.#qr.moduleSize;
    this.paper.add({ kind: 'qr', x: this.#m.leftMargin + this.#alignShift(size), moduleSize: this.#qr.moduleSize, modules });
  }
}
