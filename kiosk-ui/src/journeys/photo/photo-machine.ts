// J2 as a pure machine: size, background, guided capture, the daemon's crop and background
// replacement with its compliance reasons, preview (another background without a retake), sheets,
// print and the pickup receipt.
import type { PhotoBackground, PhotoIssue, PhotoSize } from '@protocol';

export type ComposeProblem = 'noFace' | 'multipleFaces' | 'pictureGone' | 'camera' | 'service';
export type PrintProblem = 'printerNotReady' | 'other';

export interface ComposedPhoto {
  readonly photoId: string;
  readonly url: string;
  readonly issues: readonly PhotoIssue[];
}

export type PhotoState =
  | { readonly kind: 'size' }
  | { readonly kind: 'background'; readonly size: PhotoSize }
  | { readonly kind: 'capture'; readonly size: PhotoSize; readonly background: PhotoBackground; readonly problem: ComposeProblem | undefined }
  | { readonly kind: 'countdown'; readonly size: PhotoSize; readonly background: PhotoBackground; readonly shootAt: number; readonly secondsLeft: number }
  | { readonly kind: 'composing'; readonly size: PhotoSize; readonly background: PhotoBackground; readonly photoId: string | undefined }
  | { readonly kind: 'preview'; readonly size: PhotoSize; readonly background: PhotoBackground; readonly photo: ComposedPhoto; readonly sheets: number }
  | { readonly kind: 'printing'; readonly size: PhotoSize; readonly background: PhotoBackground; readonly photo: ComposedPhoto; readonly sheets: number }
  | { readonly kind: 'printFailed'; readonly size: PhotoSize; readonly background: PhotoBackground; readonly photo: ComposedPhoto; readonly sheets: number; readonly problem: PrintProblem }
  | { readonly kind: 'printed'; readonly photoId: string; readonly pickupCode: string; readonly sheets: number; readonly photosPerSheet: number; readonly receiptPrinted: boolean };

export type PhotoEvent =
  | { readonly type: 'size'; readonly size: PhotoSize }
  | { readonly type: 'background'; readonly background: PhotoBackground }
  | { readonly type: 'shoot' }
  | { readonly type: 'tick' }
  | { readonly type: 'captured' }
  | { readonly type: 'composed'; readonly photo: ComposedPhoto }
  | { readonly type: 'composeFailed'; readonly problem: ComposeProblem }
  | { readonly type: 'changeBackground'; readonly background: PhotoBackground }
  | { readonly type: 'sheets'; readonly sheets: number }
  | { readonly type: 'retake' }
  | { readonly type: 'print' }
  | { readonly type: 'printed'; readonly pickupCode: string; readonly sheets: number; readonly photosPerSheet: number; readonly receiptPrinted: boolean }
  | { readonly type: 'printFailed'; readonly problem: PrintProblem }
  | { readonly type: 'back' };

/** Seconds between "take the photo" and the shot, so the resident can settle and look up. */
export const COUNTDOWN_SECONDS = 3;
export const MAX_SHEETS = 4;

export const initialPhoto: PhotoState = { kind: 'size' };

export function photoTransition(state: PhotoState, event: PhotoEvent, now: number): PhotoState {
  switch (event.type) {
    case 'size':
      return state.kind === 'size' ? { kind: 'background', size: event.size } : state;
    case 'background':
      return state.kind === 'background' ? { kind: 'capture', size: state.size, background: event.background, problem: undefined } : state;
    case 'shoot':
      if (state.kind !== 'capture') return state;
      return { kind: 'countdown', size: state.size, background: state.background, shootAt: now + COUNTDOWN_SECONDS * 1000, secondsLeft: COUNTDOWN_SECONDS };
    case 'tick': {
      if (state.kind !== 'countdown') return state;
      const secondsLeft = Math.max(0, Math.ceil((state.shootAt - now) / 1000));
      return secondsLeft === state.secondsLeft ? state : { ...state, secondsLeft };
    }
    case 'captured':
      return state.kind === 'countdown' && state.secondsLeft === 0 ? { kind: 'composing', size: state.size, background: state.background, photoId: undefined } : state;
    case 'composed':
      return state.kind === 'composing' ? { kind: 'preview', size: state.size, background: state.background, photo: event.photo, sheets: 1 } : state;
    case 'composeFailed':
      if (state.kind !== 'composing' && state.kind !== 'countdown') return state;
      return { kind: 'capture', size: state.size, background: state.background, problem: event.problem };
    case 'changeBackground':
      if (state.kind !== 'preview' || event.background === state.background) return state;
      return { kind: 'composing', size: state.size, background: event.background, photoId: state.photo.photoId };
    case 'sheets':
      return state.kind === 'preview' ? { ...state, sheets: Math.min(MAX_SHEETS, Math.max(1, event.sheets)) } : state;
    case 'retake':
      return state.kind === 'preview' || state.kind === 'printFailed' ? { kind: 'capture', size: state.size, background: state.background, problem: undefined } : state;
    case 'print':
      if (state.kind === 'preview' || state.kind === 'printFailed') return { kind: 'printing', size: state.size, background: state.background, photo: state.photo, sheets: state.sheets };
      return state;
    case 'printed':
      return state.kind === 'printing' ? { kind: 'printed', photoId: state.photo.photoId, pickupCode: event.pickupCode, sheets: event.sheets, photosPerSheet: event.photosPerSheet, receiptPrinted: event.receiptPrinted } : state;
    case 'printFailed':
      return state.kind === 'printing' ? { kind: 'printFailed', size: state.size, background: state.background, photo: state.photo, sheets: state.sheets, problem: event.problem } : state;
    case 'back':
      if (state.kind === 'background') return { kind: 'size' };
      if (state.kind === 'capture') return { kind: 'background', size: state.size };
      if (state.kind === 'printFailed') return { kind: 'preview', size: state.size, background: state.background, photo: state.photo, sheets: state.sheets };
      return state;
  }
}
