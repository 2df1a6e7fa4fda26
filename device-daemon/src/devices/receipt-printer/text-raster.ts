// Text drawn into dots with the CJK font the kiosk installs (Debian's fonts-noto-cjk, "Noto Sans
// Mono CJK SC": Latin half-width, CJK full-width, like a printer's font; fonts-hanazono's HanaMinB
// for rare characters of CJK Extension B that no printer font holds). Used by the encoder for lines
// it must print as images, and by the virtual printer as its font ROM.
import type { Bitmap } from './encoder/escpos-builder';

export const FONT_STACK = "'Noto Sans Mono CJK SC', 'HanaMinB', 'HanaMinA', monospace";

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders an SVG with sharp (loaded on first use) into 8-bit grey, white paper. */
export async function rasteriseSvg(svg: string): Promise<{ width: number; height: number; grey: Uint8Array }> {
  const { default: sharp } = await import('sharp');
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, grey: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** An SVG of characters in fixed cells: `cells[i]` is drawn at x = `xs[i]`, baseline 20 of 24. */
export function cellsSvg(chars: readonly string[], xs: readonly number[], width: number, bold = false): string {
  const texts = chars.map((ch, i) => `<text x="${xs[i] ?? 0}" y="20">${escapeXml(ch)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(1, width)}" height="24"><style>text{font-family:${FONT_STACK};font-size:24px;${bold ? 'font-weight:bold;' : ''}}</style>${texts}</svg>`;
}

/** Packs grey pixels into a 1-bit bitmap (dark below the threshold), as a thermal head prints. */
export function toBitmap(grey: Uint8Array, width: number, height: number, threshold = 140): Bitmap {
  const rowBytes = Math.ceil(width / 8);
  const bits = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if ((grey[y * width + x] ?? 255) < threshold) {
        const at = y * rowBytes + (x >> 3);
        bits[at] = (bits[at] ?? 0) | (0x80 >> (x & 7));
      }
    }
  }
  return { width, height, bits };
}

/** Scales a bitmap by whole factors (GS ! sizes), nearest neighbour. */
export function scaleBitmap(bitmap: Bitmap, sx: number, sy: number): Bitmap {
  if (sx === 1 && sy === 1) return bitmap;
  const width = bitmap.width * sx;
  const height = bitmap.height * sy;
  const inRow = Math.ceil(bitmap.width / 8);
  const outRow = Math.ceil(width / 8);
  const bits = new Uint8Array(outRow * height);
  for (let y = 0; y < height; y += 1) {
    const sourceY = Math.floor(y / sy);
    for (let x = 0; x < width; x += 1) {
      const sourceX = Math.floor(x / sx);
      if ((bitmap.bits[sourceY * inRow + (sourceX >> 3)] ?? 0) & (0x80 >> (sourceX & 7))) {
        const at = y * outRow + (x >> 3);
        bits[at] = (bits[at] ?? 0) | (0x80 >> (x & 7));
      }
    }
  }
  return { width, height, bits };
}

/** One line of text as a bitmap of `columns` half-width cells, at a GS ! size. */
export async function renderTextLine(text: string, widthMultiplier: number, heightMultiplier: number, bold: boolean): Promise<Bitmap> {
  const chars = [...text];
  const xs: number[] = [];
  let x = 0;
  for (const ch of chars) {
    xs.push(x);
    x += (ch.codePointAt(0) ?? 0) < 0x80 ? 12 : 24;
  }
  const { width, height, grey } = await rasteriseSvg(cellsSvg(chars, xs, x, bold));
  return scaleBitmap(toBitmap(grey, width, height), widthMultiplier, heightMultiplier);
}
