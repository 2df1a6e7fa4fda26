// The payment QR code drawn as one SVG path (no pictures, nothing for the page's CSP to refuse), with
// the quiet zone of four modules scanners need. Encoded by qrcode-generator, the library the daemon
// already uses for printed codes.
import qrcode from 'qrcode-generator';
import { useMemo } from 'preact/hooks';

const QUIET = 4;

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

export function QrCode({ text, label }: { text: string; label: string }) {
  const { path, size } = useMemo(() => {
    const matrix = qrMatrix(text);
    return { path: qrPath(matrix), size: matrix.length + QUIET * 2 };
  }, [text]);
  return (
    <svg class="bills-qr" role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}
