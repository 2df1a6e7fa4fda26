// The ID photo sizes and backgrounds the kiosk makes, and where the head goes in each. Sources are in
// shared/reference/kiosk-ux-payments-photos.md section 4: px = mm / 25.4 * dpi; the ID card photo is
// GA/T 461's 358x441 at 350 dpi (26x32 mm), face 207±14 px wide, hair top 7-21 px from the top, eyes
// at least 207 px from the bottom; the others follow the general rule of a head about 2/3 of the height.
import type { PhotoBackground, PhotoSize } from '../protocol';

export interface PhotoSpec {
  readonly width: number;
  readonly height: number;
  /** The printed size: what the sheet lays out, whatever the pixel count. */
  readonly widthMm: number;
  readonly heightMm: number;
  readonly dpi: number;
  /**
   * How big the head is drawn: hair top to chin as a share of the height, or (GA/T 461) the face's
   * width in pixels.
   */
  readonly head: { readonly kind: 'height'; readonly ratio: number } | { readonly kind: 'faceWidth'; readonly px: number };
  /** Hair top below the top edge, as a share of the height. */
  readonly top: number;
  /** The eyes no lower than this share of the height (GA/T 461: 207 px above the bottom). */
  readonly maxEyeLine?: number;
}

export const PHOTO_SPECS: Readonly<Record<PhotoSize, PhotoSpec>> = {
  oneInch: { width: 295, height: 413, widthMm: 25, heightMm: 35, dpi: 300, head: { kind: 'height', ratio: 0.64 }, top: 0.08 },
  twoInch: { width: 413, height: 579, widthMm: 35, heightMm: 49, dpi: 300, head: { kind: 'height', ratio: 0.64 }, top: 0.08 },
  smallTwoInch: { width: 413, height: 531, widthMm: 35, heightMm: 45, dpi: 300, head: { kind: 'height', ratio: 0.64 }, top: 0.08 },
  idCard: { width: 358, height: 441, widthMm: 26, heightMm: 32, dpi: 350, head: { kind: 'faceWidth', px: 207 }, top: 14 / 441, maxEyeLine: (441 - 207) / 441 },
};

export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/**
 * The reference names no official blue or red (only GA/T 461's white for the ID card); these are
 * the values photo studios use: #438EDB is a blue listed there, #FF0000 the usual ID photo red.
 */
export const BACKGROUNDS: Readonly<Record<PhotoBackground, { readonly hex: string; readonly rgb: Rgb }>> = {
  white: { hex: '#FFFFFF', rgb: { r: 255, g: 255, b: 255 } },
  blue: { hex: '#438EDB', rgb: { r: 0x43, g: 0x8e, b: 0xdb } },
  red: { hex: '#FF0000', rgb: { r: 255, g: 0, b: 0 } },
};
