// The modules of a payment QR code, by qrcode-generator (the library the daemon already uses for
// printed codes): byte mode, error correction M, with the quiet zone of four modules scanners need.
import qrcode from 'qrcode-generator';

export const QUIET = 4;

/** The dark modules of `text` as rows of booleans (byte mode, error correction M). */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => qr.isDark(row, col)));
}

/** An SVG path drawing each dark module as a unit square, offset by the quiet zone. */
export function qrPath(matrix: readonly (readonly boolean[])[]): string {
  const parts: string[] = [];
  matrix.forEach((cells, row) => {
    cells.forEach((dark, col) => {
      if (dark) parts.push(`M${col + QUIET} ${row + QUIET}h1v1h-1z`);
    });
  });
  return parts.join('');
}
