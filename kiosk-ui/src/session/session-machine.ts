// The resident's session as a pure machine: where they are (the home menu, a journey, the rating
// that follows a completed service), their choices (language, elder mode) and what they have
// proved (the card read, the face check). Ending the session, by the resident, the idle timer or
// the card leaving the reader, returns the initial state: nothing personal survives it.
import type { Language } from '../i18n/strings';
import type { JourneyId } from '../journeys/catalogue';

/** The card read as the screen may show it (masked by the daemon). */
export interface CardIdentity {
  readonly readId: string;
  readonly nameMasked: string;
  readonly idNumberMasked: string;
  readonly expired: boolean;
}

/** A completed service, which the resident may rate once. */
export interface Transaction {
  readonly id: string;
  readonly journey: JourneyId;
  readonly label: { readonly zh: string; readonly en: string };
  readonly itemCode?: string | undefined;
  readonly completedAt: number;
}

export type Route =
  | { readonly kind: 'home' }
  | { readonly kind: 'journey'; readonly journey: JourneyId }
  | { readonly kind: 'rate'; readonly transaction: Transaction }
  | { readonly kind: 'technician' };

export type EndReason = 'resident' | 'idle' | 'cardRemoved' | 'disconnected';

export interface SessionState {
  /** False on the attract screen; a touch starts a session (and its idle timer). */
  readonly active: boolean;
  readonly route: Route;
  readonly language: Language;
  readonly elder: boolean;
  readonly card: CardIdentity | undefined;
  readonly verified: boolean;
  readonly transactions: readonly Transaction[];
  readonly rated: readonly string[];
  /** Why the last session ended, for the attract screen to say so once. */
  readonly ended: Exclude<EndReason, 'resident'> | undefined;
  /** Bumped on every end, so that screens keyed on it are rebuilt empty. */
  readonly generation: number;
}

export type SessionEvent =
  | { readonly type: 'touch' }
  | { readonly type: 'language'; readonly language: Language }
  | { readonly type: 'elder'; readonly on: boolean }
  | { readonly type: 'open'; readonly journey: JourneyId }
  | { readonly type: 'home' }
  | { readonly type: 'cardRead'; readonly card: CardIdentity }
  | { readonly type: 'verified' }
  | { readonly type: 'cardRemoved'; readonly readId: string | undefined; readonly journeyNeedsCard: boolean }
  | { readonly type: 'completed'; readonly transaction: Omit<Transaction, 'completedAt'> }
  | { readonly type: 'rated'; readonly transactionId: string }
  | { readonly type: 'skipRating' }
  | { readonly type: 'technician' }
  | { readonly type: 'end'; readonly reason: EndReason };

export function initialSession(generation = 0, ended?: Exclude<EndReason, 'resident'>): SessionState {
  return { active: false, route: { kind: 'home' }, language: 'zh-CN', elder: false, card: undefined, verified: false, transactions: [], rated: [], ended, generation };
}

export function sessionTransition(state: SessionState, event: SessionEvent, now: number): SessionState {
  switch (event.type) {
    case 'touch':
      return state.active ? state : { ...state, active: true, ended: undefined };
    case 'language':
      return { ...state, active: true, ended: undefined, language: event.language };
    case 'elder':
      return { ...state, active: true, ended: undefined, elder: event.on };
    case 'open':
      return { ...state, active: true, ended: undefined, route: { kind: 'journey', journey: event.journey } };
    case 'home':
      return { ...state, route: { kind: 'home' } };
    case 'cardRead':
      // A different card is a different person: what the last one proved does not carry over.
      return { ...state, active: true, card: event.card, verified: state.card?.readId === event.card.readId && state.verified };
    case 'verified':
      return state.card ? { ...state, verified: true } : state;
    case 'cardRemoved': {
      if (!state.card || (event.readId !== undefined && event.readId !== state.card.readId)) return state;
      if (event.journeyNeedsCard) return initialSession(state.generation + 1, 'cardRemoved');
      return { ...state, card: undefined, verified: false };
    }
    case 'completed': {
      const transaction: Transaction = { ...event.transaction, completedAt: now };
      if (state.transactions.some((t) => t.id === transaction.id)) return state;
      return { ...state, transactions: [...state.transactions, transaction], route: { kind: 'rate', transaction } };
    }
    case 'rated':
      return { ...state, rated: state.rated.includes(event.transactionId) ? state.rated : [...state.rated, event.transactionId], route: { kind: 'home' } };
    case 'skipRating':
      return { ...state, route: { kind: 'home' } };
    case 'technician':
      // The technician's screens share nothing with a resident's session.
      return { ...initialSession(state.generation + 1), active: true, route: { kind: 'technician' } };
    case 'end':
      return initialSession(state.generation + 1, event.reason === 'resident' ? undefined : event.reason);
  }
}

export function unratedTransactions(state: SessionState): readonly Transaction[] {
  return state.transactions.filter((t) => !state.rated.includes(t.id));
}
