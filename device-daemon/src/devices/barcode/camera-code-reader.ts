// Codes held up to a camera: frames are decoded one at a time, always the newest, until a code of a
// wanted symbology is found or the caller stops.
import { err, ok, type Result } from '../../core/result';
import { decodeImage, wipe } from '../../face/image';
import type { Symbology } from '../../protocol';
import type { Camera } from '../camera/camera';
import { BarcodeDecoder, type DecodedCode } from './barcode-decoder';

export async function readCodeFromCamera(camera: Camera, symbologies: readonly Symbology[], signal: AbortSignal): Promise<Result<DecodedCode, string>> {
  const decoder = new BarcodeDecoder(symbologies);
  let seq = 0;
  while (!signal.aborted) {
    const frame = await camera.frameAfter(seq, signal);
    if (!frame.ok) {
      if (signal.aborted) break;
      return err(frame.error.message);
    }
    seq = frame.value.seq;
    const image = await decodeImage(frame.value.jpeg);
    frame.value.release();
    if (!image.ok) continue;
    const found = decoder.decode(image.value);
    wipe(image.value);
    if (found.ok) return ok(found.value);
    // Let other work run between frames: decoding is synchronous and takes a while.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return err('canceled');
}
