// J7 as a pure machine: a level (5 非常满意 .. 1 非常不满意), reasons when it is one of the two
// lowest, then sent (or queued by the daemon until the platform answers). Nothing is preselected
// and skipping is always possible: the rating is never nudged.
import type { RATING_REASONS } from '@protocol';

export type RatingReason = (typeof RATING_REASONS)[number];
export const LEVELS = [5, 4, 3, 2, 1] as const;
export type Level = (typeof LEVELS)[number];

export function needsReasons(level: Level): boolean {
  return level <= 2;
}

export type RateState =
  | { readonly kind: 'level' }
  | { readonly kind: 'reasons'; readonly level: Level; readonly reasons: readonly RatingReason[] }
  | { readonly kind: 'sending'; readonly level: Level; readonly reasons: readonly RatingReason[] }
  | { readonly kind: 'thanks'; readonly queued: boolean }
  | { readonly kind: 'failed'; readonly level: Level; readonly reasons: readonly RatingReason[] };

export type RateEvent =
  | { readonly type: 'level'; readonly level: Level }
  | { readonly type: 'toggleReason'; readonly reason: RatingReason }
  | { readonly type: 'submit' }
  | { readonly type: 'back' }
  | { readonly type: 'sent'; readonly queued: boolean }
  | { readonly type: 'failed' };

export const initialRate: RateState = { kind: 'level' };

export function rateTransition(state: RateState, event: RateEvent): RateState {
  switch (event.type) {
    case 'level':
      if (state.kind !== 'level') return state;
      return needsReasons(event.level) ? { kind: 'reasons', level: event.level, reasons: [] } : { kind: 'sending', level: event.level, reasons: [] };
    case 'toggleReason': {
      if (state.kind !== 'reasons') return state;
      const has = state.reasons.includes(event.reason);
      return { ...state, reasons: has ? state.reasons.filter((r) => r !== event.reason) : [...state.reasons, event.reason] };
    }
    case 'submit':
      if (state.kind === 'reasons' && state.reasons.length > 0) return { kind: 'sending', level: state.level, reasons: state.reasons };
      if (state.kind === 'failed') return { kind: 'sending', level: state.level, reasons: state.reasons };
      return state;
    case 'back':
      return state.kind === 'reasons' ? { kind: 'level' } : state;
    case 'sent':
      return state.kind === 'sending' ? { kind: 'thanks', queued: event.queued } : state;
    case 'failed':
      return state.kind === 'sending' ? { kind: 'failed', level: state.level, reasons: state.reasons } : state;
  }
}
