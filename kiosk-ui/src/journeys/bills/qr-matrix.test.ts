import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { QUIET, qrMatrix, qrPath } from './qr-matrix';

/** The matrix as an RGBA picture, `scale` pixels a module, quiet zone included, for jsQR. */
function pixels(matrix: boolean[][], scale = 4): { data: Uint8ClampedArray; size: number } {
  const size = (matrix.length + QUIET * 2) * scale;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  matrix.forEach((cells, row) =>
    cells.forEach((dark, col) => {
      if (!dark) return;
      for (let y = 0; y < scale; y += 1)
        for (let x = 0; x < scale; x += 1) {
          const i = (((row + QUIET) * scale + y) * size + (col + QUIET) * scale + x) * 4;
          data.set([0, 0, 0, 255], i);
        }
    }),
  );
  return { data, size };
}

describe('payment QR code', () => {
  it.each([
    'weixin://wxpay/bizpayurl?pr=42A1B2C3D4E5F6A7B8C9',
    'https://qr.alipay.com/bax08521wxzasdfghjklqwertyuiop1234567890ABCDEFG',
    `https://pay.example.cn/q?o=${'9'.repeat(150)}`,
  ])('encodes %s so a scanner reads it back', (text) => {
    const matrix = qrMatrix(text);
    expect(matrix.length).toBeGreaterThanOrEqual(21);
    const { data, size } = pixels(matrix);
    expect(jsQR(data, size, size)?.data).toBe(text);
  });

  it('draws one unit square per dark module, inside the quiet zone', () => {
    const matrix = qrMatrix('weixin://wxpay/bizpayurl?pr=1');
    const dark = matrix.flat().filter(Boolean).length;
    const path = qrPath(matrix);
    expect(path.match(/M/g)).toHaveLength(dark);
    expect(path.startsWith(`M${QUIET} ${QUIET}h1v1h-1z`)).toBe(true);
  });
});
