import { join } from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../paths';
import { PICKUP_ALPHABET, pickupCode } from './pickup-code';
import { renderPhotoSheet, sheetLayout } from './photo-sheet';
import { PHOTO_SPECS } from './photo-spec';

const PT_PER_MM = 72 / 25.4;
/** pdfjs reads the metrics of the PDF's built-in fonts from here. */
const STANDARD_FONTS = `${join(findProjectRoot(import.meta.dirname), 'node_modules', 'pdfjs-dist', 'standard_fonts')}/`;

describe('the A4 sheet of photos', () => {
  it('fits as many photos as A4 holds within its margins, each at its printed size', () => {
    const counts = Object.fromEntries(Object.entries(PHOTO_SPECS).map(([size, spec]) => [size, sheetLayout(spec).perSheet]));
    expect(counts).toEqual({ oneInch: 49, twoInch: 25, smallTwoInch: 25, idCard: 42 });
    for (const spec of Object.values(PHOTO_SPECS)) {
      for (const cell of sheetLayout(spec).cells) {
        expect(cell.x).toBeGreaterThanOrEqual(10);
        expect(cell.y).toBeGreaterThanOrEqual(18);
        expect(cell.x + spec.widthMm).toBeLessThanOrEqual(200 + 1e-9);
        expect(cell.y + spec.heightMm).toBeLessThanOrEqual(287 + 1e-9);
      }
    }
  });

  it('prints one page per sheet with the pickup code in the caption, the photo embedded once', async () => {
    const spec = PHOTO_SPECS.twoInch;
    const jpeg = await sharp({ create: { width: spec.width, height: spec.height, channels: 3, background: '#438EDB' } }).jpeg().toBuffer();
    const { pdf, layout } = await renderPhotoSheet(jpeg, spec, 2, { size: 'twoInch', background: 'blue', pickupCode: 'K7Q2MZ', terminalId: 'HZ-XH-0042', printedAt: '2026-11-22 10:12' });
    expect(layout.perSheet).toBe(25);
    expect(pdf.toString('latin1').match(/\/Subtype \/Image/g)).toHaveLength(1);
    const doc = await getDocument({ data: new Uint8Array(pdf), disableFontFace: true, standardFontDataUrl: STANDARD_FONTS }).promise;
    expect(doc.numPages).toBe(2);
    const page = await doc.getPage(2);
    const [, , width, height] = page.view;
    expect([width, height].map((v) => Math.round(v ?? 0))).toEqual([595, 842]);
    const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
    expect(text).toContain('pickup code K7Q2MZ');
    expect(text).toContain('sheet 2 of 2');
    // Each photo is drawn at 35 x 49 mm: the image's transform in the content stream.
    const ops = await page.getOperatorList();
    const transforms = ops.fnArray.flatMap((fn, i) => (fn === OPS.transform ? [ops.argsArray[i] as number[]] : []));
    const drawn = transforms.filter((t) => Math.abs((t[0] ?? 0) - 35 * PT_PER_MM) < 0.01 && Math.abs(Math.abs(t[3] ?? 0) - 49 * PT_PER_MM) < 0.01);
    expect(drawn).toHaveLength(25);
  });

  it('makes pickup codes of six unambiguous characters', () => {
    const codes = Array.from({ length: 200 }, () => pickupCode());
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${PICKUP_ALPHABET}]{6}$`));
    expect(PICKUP_ALPHABET).not.toMatch(/[01IO]/);
    expect(pickupCode((max) => max - 1)).toBe('999999');
  });
});
