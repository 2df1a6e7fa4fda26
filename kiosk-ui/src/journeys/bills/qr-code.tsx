// The payment QR code drawn as one SVG path: no picture, nothing for the page's CSP to refuse.
import { useMemo } from 'preact/hooks';
import { QUIET, qrMatrix, qrPath } from './qr-matrix';

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
