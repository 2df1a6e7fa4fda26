// Codes in a picture, with @zxing/library: QR (payment codes on a phone, slips), Code 128 and EAN
// (bills). zxing reports "nothing found" by throwing; here that is a value like any other outcome.
// @zxing/library is CommonJS for Node: its named exports come through the default export.
import zxing from '@zxing/library';
import { err, ok, type Result } from '../../core/result';
import type { RgbImage } from '../../face/image';
import { SYMBOLOGIES, type Symbology } from '../../protocol';

const { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } = zxing;
type BarcodeFormat = zxing.BarcodeFormat;
type DecodeHintType = zxing.DecodeHintType;

const FORMATS: Record<Symbology, BarcodeFormat> = {
  qr: BarcodeFormat.QR_CODE,
  code128: BarcodeFormat.CODE_128,
  ean13: BarcodeFormat.EAN_13,
  ean8: BarcodeFormat.EAN_8,
};

export interface DecodedCode {
  readonly text: string;
  readonly symbology: Symbology;
}

function symbologyOf(format: BarcodeFormat): Symbology | undefined {
  return SYMBOLOGIES.find((s) => FORMATS[s] === format);
}

/** Luma (BT.601) of an RGB picture, as zxing reads it. */
export function luminance(image: RgbImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(image.width * image.height);
  const { data } = image;
  for (let i = 0, o = 0; o < out.length; i += 3, o += 1) out[o] = (data[i]! * 77 + data[i + 1]! * 150 + data[i + 2]! * 29) >> 8;
  return out;
}

export class BarcodeDecoder {
  readonly #reader = new MultiFormatReader();

  constructor(readonly symbologies: readonly Symbology[]) {
    const hints = new Map<DecodeHintType, unknown>([
      [DecodeHintType.POSSIBLE_FORMATS, symbologies.map((s) => FORMATS[s])],
      [DecodeHintType.TRY_HARDER, true],
    ]);
    this.#reader.setHints(hints);
  }

  decode(image: RgbImage): Result<DecodedCode, 'notFound'> {
    const luma = luminance(image);
    try {
      const result = this.#reader.decodeWithState(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luma, image.width, image.height))));
      const symbology = symbologyOf(result.getBarcodeFormat());
      if (!symbology || !this.symbologies.includes(symbology)) return err('notFound');
      return ok({ text: result.getText(), symbology });
    } catch {
      // NotFound, Checksum and Format exceptions all mean: no readable code in this picture.
      return err('notFound');
    } finally {
      luma.fill(0);
      this.#reader.reset();
    }
  }
}
