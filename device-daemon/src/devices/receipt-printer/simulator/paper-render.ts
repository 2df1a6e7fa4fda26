// Renders the paper as a PNG exactly 576 dots wide: glyphs from the font ROM at their sizes and
// styles, raster images and QR codes dot for dot, a dashed line where the cutter cut.
import { GlyphCache } from './glyph-cache';
import type { PaperBlock } from './paper';

export const PAPER_DOTS = 576;
const MARGIN = 16;

export function blockHeight(block: PaperBlock): number {
  switch (block.kind) {
    case 'text':
      return block.feed;
    case 'image':
      return block.bitmap.height;
    case 'qr':
      return block.modules.length * block.moduleSize;
    case 'feed':
      return block.dots;
    case 'cut':
      return 12;
  }
}

export class PaperRenderer {
  constructor(private readonly glyphs = new GlyphCache()) {}

  /** 8-bit grey, white paper, black dots. */
  async renderGrey(blocks: readonly PaperBlock[]): Promise<{ width: number; height: number; grey: Uint8Array }> {
    const chars = new Set<string>();
    for (const block of blocks) if (block.kind === 'text') for (const g of block.glyphs) chars.add(g.ch);
    await this.glyphs.ensure(chars);
    const width = PAPER_DOTS;
    const height = MARGIN * 2 + blocks.reduce((sum, b) => sum + blockHeight(b), 0);
    const grey = new Uint8Array(width * height).fill(255);
    const dot = (x: number, y: number): void => {
      if (x >= 0 && x < width && y >= 0 && y < height) grey[y * width + x] = 0;
    };
    let top = MARGIN;
    for (const block of blocks) {
      switch (block.kind) {
        case 'text': {
          // Characters sit on the line's baseline: the tallest glyph sets the line height.
          for (const g of block.glyphs) {
            const glyph = this.glyphs.get(g.ch);
            const cellWidth = g.cell * g.style.width;
            const cellHeight = 24 * g.style.height;
            const y0 = top + block.height - cellHeight;
            if (g.style.reverse) for (let y = 0; y < cellHeight; y += 1) for (let x = 0; x < cellWidth; x += 1) dot(g.x + x, y0 + y);
            if (glyph) {
              for (let y = 0; y < cellHeight; y += 1) {
                for (let x = 0; x < cellWidth; x += 1) {
                  const on = glyph.dots[Math.floor(y / g.style.height) * glyph.width + Math.floor(x / g.style.width)] === 1;
                  // Emphasis prints every dot twice, one dot to the right.
                  const onBold = g.style.bold && x > 0 && glyph.dots[Math.floor(y / g.style.height) * glyph.width + Math.floor((x - 1) / g.style.width)] === 1;
                  if ((on || onBold) !== g.style.reverse) dot(g.x + x, y0 + y);
                  else if (g.style.reverse) grey[(y0 + y) * width + g.x + x] = 255;
                }
              }
            }
            if (g.style.underline) for (let x = 0; x < cellWidth; x += 1) dot(g.x + x, y0 + cellHeight - 1);
          }
          break;
        }
        case 'image': {
          const rowBytes = Math.ceil(block.bitmap.width / 8);
          for (let y = 0; y < block.bitmap.height; y += 1) {
            for (let x = 0; x < block.bitmap.width; x += 1) {
              if ((block.bitmap.bits[y * rowBytes + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) dot(block.x + x, top + y);
            }
          }
          break;
        }
        case 'qr': {
          block.modules.forEach((row, r) =>
            row.forEach((dark, c) => {
              if (!dark) return;
              for (let y = 0; y < block.moduleSize; y += 1) for (let x = 0; x < block.moduleSize; x += 1) dot(block.x + c * block.moduleSize + x, top + r * block.moduleSize + y);
            }),
          );
          break;
        }
        case 'cut':
          for (let x = 0; x < width; x += 1) if (x % 12 < 6) grey[(top + 6) * width + x] = 96;
          break;
        case 'feed':
          break;
      }
      top += blockHeight(block);
    }
    return { width, height, grey };
  }

  async renderPng(blocks: readonly PaperBlock[]): Promise<Buffer> {
    const { width, height, grey } = await this.renderGrey(blocks);
    const { default: sharp } = await import('sharp');
    return sharp(grey, { raw: { width, height, channels: 1 } }).png({ compressionLevel: 6 }).toBuffer();
  }
}
