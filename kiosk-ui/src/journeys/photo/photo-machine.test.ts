import { describe, expect, it } from 'vitest';
import { COUNTDOWN_SECONDS, initialPhoto, photoTransition, type ComposedPhoto, type PhotoEvent, type PhotoState } from './photo-machine';

const photo: ComposedPhoto = { photoId: 'p'.repeat(22), url: '/view/x', issues: [] };
function run(events: Array<[PhotoEvent, number]>, from: PhotoState = initialPhoto): PhotoState {
  return events.reduce((state, [event, now]) => photoTransition(state, event, now), from);
}

describe('J2 photo machine', () => {
  it('counts down before the shot on the injected clock, then composes and previews', () => {
    const counting = run([[{ type: 'size', size: 'twoInch' }, 0], [{ type: 'background', background: 'blue' }, 0], [{ type: 'shoot' }, 1_000]]);
    expect(counting).toEqual({ kind: 'countdown', size: 'twoInch', background: 'blue', shootAt: 1_000 + COUNTDOWN_SECONDS * 1000, secondsLeft: 3 });
    expect(photoTransition(counting, { type: 'captured' }, 1_500)).toBe(counting);
    const ready = run([[{ type: 'tick' }, 2_100], [{ type: 'tick' }, 4_000]], counting);
    expect(ready).toMatchObject({ kind: 'countdown', secondsLeft: 0 });
    const previewed = run([[{ type: 'captured' }, 4_000], [{ type: 'composed', photo }, 4_500]], ready);
    expect(previewed).toEqual({ kind: 'preview', size: 'twoInch', background: 'blue', photo, sheets: 1 });
  });

  it('changes the background from the kept photo, without a retake', () => {
    const preview: PhotoState = { kind: 'preview', size: 'oneInch', background: 'white', photo, sheets: 2 };
    expect(photoTransition(preview, { type: 'changeBackground', background: 'red' }, 0)).toEqual({ kind: 'composing', size: 'oneInch', background: 'red', photoId: photo.photoId });
    expect(photoTransition(preview, { type: 'changeBackground', background: 'white' }, 0)).toBe(preview);
  });

  it('sends the resident back to the camera with the reason when no photo can be cut', () => {
    const composing: PhotoState = { kind: 'composing', size: 'idCard', background: 'white', photoId: undefined };
    expect(photoTransition(composing, { type: 'composeFailed', problem: 'multipleFaces' }, 0)).toEqual({ kind: 'capture', size: 'idCard', background: 'white', problem: 'multipleFaces' });
  });

  it('keeps the photo when the printer is not ready, and prints it on retry', () => {
    const preview: PhotoState = { kind: 'preview', size: 'twoInch', background: 'blue', photo, sheets: 9 };
    expect(photoTransition(preview, { type: 'sheets', sheets: 9 }, 0)).toMatchObject({ sheets: 4 });
    const failed = run([[{ type: 'print' }, 0], [{ type: 'printFailed', problem: 'printerNotReady' }, 0]], preview);
    expect(failed).toMatchObject({ kind: 'printFailed', problem: 'printerNotReady', photo });
    const printed = run([[{ type: 'print' }, 0], [{ type: 'printed', pickupCode: 'K7P2QX', sheets: 1, photosPerSheet: 25, receiptPrinted: true }, 0]], failed);
    expect(printed).toEqual({ kind: 'printed', photoId: photo.photoId, pickupCode: 'K7P2QX', sheets: 1, photosPerSheet: 25, receiptPrinted: true });
  });
});
