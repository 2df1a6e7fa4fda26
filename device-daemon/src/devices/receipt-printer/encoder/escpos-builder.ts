// A small, typed ESC/POS writer: exactly the commands the kiosk's receipts need, appended into one
// growing buffer. Byte values follow the Epson ESC/POS reference (GS ( k with pL pH counting bytes,
// GS v 0 rasters, GS V cuts, FS & / FS . for Chinese mode).

export type Alignment = 'left' | 'center' | 'right';

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export interface Bitmap {
  /** Width in dots; rows are packed MSB first, `Math.ceil(width / 8)` bytes each. */
  readonly width: number;
  readonly height: number;
  readonly bits: Uint8Array;
}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

const ALIGN: Record<Alignment, number> = { left: 0, center: 1, right: 2 };
const EC: Record<QrErrorCorrection, number> = { L: 48, M: 49, Q: 50, H: 51 };

export class EscPosBuilder {
  #buffer = new Uint8Array(2048);
  #length = 0;

  #reserve(n: number): void {
    if (this.#length + n <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < this.#length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }

  raw(...bytes: number[]): this {
    this.#reserve(bytes.length);
    for (const b of bytes) this.#buffer[this.#length++] = b & 0xff;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.#reserve(data.length);
    this.#buffer.set(data, this.#length);
    this.#length += data.length;
    return this;
  }

  /** ESC @ */
  initialise(): this {
    return this.raw(ESC, 0x40);
  }

  /** FS & enters Chinese (two-byte) mode, FS . leaves it. */
  chinese(on: boolean): this {
    return on ? this.raw(FS, 0x26) : this.raw(FS, 0x2e);
  }

  /** ESC a n */
  align(alignment: Alignment): this {
    return this.raw(ESC, 0x61, ALIGN[alignment]);
  }

  /** ESC E n */
  bold(on: boolean): this {
    return this.raw(ESC, 0x45, on ? 1 : 0);
  }

  /** GS ! n: width and height multipliers 1 to 8. */
  size(width: number, height: number): this {
    const w = Math.min(8, Math.max(1, Math.round(width))) - 1;
    const h = Math.min(8, Math.max(1, Math.round(height))) - 1;
    return this.raw(GS, 0x21, (w << 4) | h);
  }

  /** ESC 3 n: line spacing in dots (30 is the printers' default of ESC 2). */
  lineSpacing(dots: number): this {
    return this.raw(ESC, 0x33, dots);
  }

  lineFeed(): this {
    return this.raw(LF);
  }

  /** ESC d n */
  feedLines(n: number): this {
    return this.raw(ESC, 0x64, Math.min(255, Math.max(0, n)));
  }

  /** GS ( k: model 2, module size, error correction, store the data, print it. */
  qr(data: Uint8Array, moduleSize: number, errorCorrection: QrErrorCorrection): this {
    const stored = data.length + 3;
    this.raw(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00);
    this.raw(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, Math.min(16, Math.max(1, moduleSize)));
    this.raw(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, EC[errorCorrection]);
    this.raw(GS, 0x28, 0x6b, stored & 0xff, stored >> 8, 0x31, 0x50, 0x30);
    this.bytes(data);
    return this.raw(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30);
  }

  /** GS v 0 m xL xH yL yH d...: a raster image, normal density. */
  raster(bitmap: Bitmap): this {
    const widthBytes = Math.ceil(bitmap.width / 8);
    this.raw(GS, 0x76, 0x30, 0x00, widthBytes & 0xff, widthBytes >> 8, bitmap.height & 0xff, bitmap.height >> 8);
    return this.bytes(bitmap.bits.subarray(0, widthBytes * bitmap.height));
  }

  /** GS V 66 n: feed n dots to the cutter, then cut (partial leaves a hinge). */
  cut(partial: boolean, feedDots = 0): this {
    return this.raw(GS, 0x56, partial ? 0x42 : 0x41, feedDots);
  }

  build(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }

  get length(): number {
    return this.#length;
  }
}
