import { describe, expect, it } from 'vitest';
import { FaceScene } from '../camera/scene/face-scene';
import { ean13Modules } from '../camera/scene/barcode-modules';
import { BarcodeDecoder } from './barcode-decoder';

const SIZE = { width: 640, height: 480, fps: 15 };

async function frameWithCode(format: 'qr' | 'code128' | 'ean13', text: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  const scene = new FaceScene(SIZE, undefined, () => 0);
  const shown = await scene.control({ action: 'code', format, text });
  expect(shown.ok).toBe(true);
  return { width: SIZE.width, height: SIZE.height, data: scene.renderStill(SIZE) };
}

describe('barcode decoder', () => {
  const decoder = new BarcodeDecoder(['qr', 'code128', 'ean13', 'ean8']);

  it('reads a payment code shown as a QR code', async () => {
    const text = '134567890123456789';
    expect(decoder.decode(await frameWithCode('qr', text))).toEqual({ ok: true, value: { text, symbology: 'qr' } });
  });

  it('reads a slip tracking number in Code 128 and a bill number in EAN-13', async () => {
    expect(decoder.decode(await frameWithCode('code128', 'ZJ2026-000417'))).toEqual({ ok: true, value: { text: 'ZJ2026-000417', symbology: 'code128' } });
    expect(decoder.decode(await frameWithCode('ean13', '690123456789'))).toEqual({ ok: true, value: { text: '6901234567892', symbology: 'ean13' } });
  });

  it('finds nothing in a frame without a code, and ignores symbologies not asked for', async () => {
    const empty = new FaceScene(SIZE, undefined, () => 0);
    expect(decoder.decode({ width: SIZE.width, height: SIZE.height, data: empty.renderStill(SIZE) })).toEqual({ ok: false, error: 'notFound' });
    expect(new BarcodeDecoder(['ean13']).decode(await frameWithCode('qr', 'hello'))).toEqual({ ok: false, error: 'notFound' });
  });

  it('refuses an EAN-13 with a wrong check digit before drawing it', () => {
    expect(ean13Modules('6901234567890').ok).toBe(false);
  });
});
