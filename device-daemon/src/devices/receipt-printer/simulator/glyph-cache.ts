// The virtual printer's font ROM: each character drawn once from the CJK font into its cell (12 x 24
// dots for one-byte characters, 24 x 24 for two-byte ones), then kept as dots.
import { cellsSvg, rasteriseSvg } from '../text-raster';

export interface GlyphDots {
  readonly width: number;
  readonly height: number;
  /** 1 where the head burns a dot. */
  readonly dots: Uint8Array;
}

const BATCH = 96;

export class GlyphCache {
  readonly #glyphs = new Map<string, GlyphDots>();

  get(ch: string): GlyphDots | undefined {
    return this.#glyphs.get(ch);
  }

  get size(): number {
    return this.#glyphs.size;
  }

  /** Draws every character not drawn yet, a batch at a time. */
  async ensure(chars: Iterable<string>): Promise<void> {
    const missing = [...new Set(chars)].filter((ch) => !this.#glyphs.has(ch));
    for (let i = 0; i < missing.length; i += BATCH) {
      const batch = missing.slice(i, i + BATCH);
      const xs = batch.map((_, j) => j * 24);
      const { width, grey } = await rasteriseSvg(cellsSvg(batch, xs, batch.length * 24));
      batch.forEach((ch, j) => {
        const cell = (ch.codePointAt(0) ?? 0) < 0x80 ? 12 : 24;
        const dots = new Uint8Array(cell * 24);
        for (let y = 0; y < 24; y += 1) {
          for (let x = 0; x < cell; x += 1) dots[y * cell + x] = (grey[y * width + j * 24 + x] ?? 255) < 140 ? 1 : 0;
        }
        this.#glyphs.set(ch, { width: cell, height: 24, dots });
      });
    }
  }
}
