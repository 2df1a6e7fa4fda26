// What the virtual printer has put on paper: blocks in order (text lines with their glyphs placed in
// dots, raster images, QR codes, feeds, cuts), kept within a bound, readable as text or renderable.
import type { Bitmap } from '../encoder/escpos-builder';

export interface GlyphStyle {
  readonly bold: boolean;
  readonly underline: boolean;
  readonly reverse: boolean;
  readonly width: number;
  readonly height: number;
}

export interface PlacedGlyph {
  readonly ch: string;
  /** Dots from the left edge of the paper. */
  readonly x: number;
  /** 12 for one-byte characters, 24 for two-byte ones, before scaling. */
  readonly cell: 12 | 24;
  readonly style: GlyphStyle;
}

export type PaperBlock =
  | { readonly kind: 'text'; readonly glyphs: readonly PlacedGlyph[]; readonly height: number; readonly feed: number }
  | { readonly kind: 'image'; readonly x: number; readonly bitmap: Bitmap }
  | { readonly kind: 'qr'; readonly x: number; readonly moduleSize: number; readonly modules: readonly (readonly boolean[])[] }
  | { readonly kind: 'feed'; readonly dots: number }
  | { readonly kind: 'cut'; readonly partial: boolean };

/** The paper roll keeps this many blocks; older ones fall off, as real paper is torn away. */
const MAX_BLOCKS = 5_000;

export class Paper {
  #blocks: PaperBlock[] = [];

  add(block: PaperBlock): void {
    this.#blocks.push(block);
    if (this.#blocks.length > MAX_BLOCKS) this.#blocks.splice(0, this.#blocks.length - MAX_BLOCKS);
  }

  get blocks(): readonly PaperBlock[] {
    return this.#blocks;
  }

  get cuts(): number {
    return this.#blocks.filter((b) => b.kind === 'cut').length;
  }

  /** The receipts cut so far, oldest first, each without its cut; what follows the last cut is still on the roll. */
  receipts(): PaperBlock[][] {
    const out: PaperBlock[][] = [];
    let current: PaperBlock[] = [];
    for (const block of this.#blocks) {
      if (block.kind === 'cut') {
        out.push(current);
        current = [];
      } else {
        current.push(block);
      }
    }
    return out;
  }

  clear(): void {
    this.#blocks = [];
  }
}

/** A text block as a string: glyphs in order, one space wherever a gap of a column or more lies. */
export function lineText(block: Extract<PaperBlock, { kind: 'text' }>): string {
  const glyphs = [...block.glyphs].sort((a, b) => a.x - b.x);
  let out = '';
  let end = glyphs[0]?.x ?? 0;
  for (const g of glyphs) {
    if (g.x - end >= 12) out += ' ';
    out += g.ch;
    end = g.x + g.cell * g.style.width;
  }
  return out.trimEnd();
}
