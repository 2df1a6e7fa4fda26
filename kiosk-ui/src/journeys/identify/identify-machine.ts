// J1 as a pure machine: card, consent, the face check with at most three tries, or the non-face
// alternative (staff assistance). The screens send it what happened; it says where we are.
import type { FaceQualityIssue, LivenessChallenge, LivenessFailure } from '@protocol';
import type { CardIdentity } from '../../session/session-machine';

export const MAX_ATTEMPTS = 3;

export type FacePrompt = 'ok' | FaceQualityIssue;
export interface FaceBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
export interface ChallengeView {
  readonly index: number;
  readonly count: number;
  readonly challenge: LivenessChallenge;
  readonly state: 'started' | 'passed' | 'failed';
}

export type ReadProblem = 'unreadable' | 'expired' | 'readerFault';
export type CheckProblem = 'notMatch' | 'liveness' | 'positioning' | 'camera';

export type IdentifyState =
  | { readonly kind: 'insertCard' }
  | { readonly kind: 'reading' }
  | { readonly kind: 'readFailed'; readonly problem: ReadProblem }
  | { readonly kind: 'consent'; readonly card: CardIdentity }
  | { readonly kind: 'staffAssist'; readonly why: 'declined' | 'tooManyTries' | 'faceUnavailable' }
  | { readonly kind: 'checking'; readonly card: CardIdentity; readonly attempt: number; readonly prompt: FacePrompt; readonly face: FaceBox | undefined; readonly challenge: ChallengeView | undefined; readonly startedAt: number }
  | { readonly kind: 'checkFailed'; readonly card: CardIdentity; readonly attempt: number; readonly problem: CheckProblem; readonly liveness: LivenessFailure | undefined }
  | { readonly kind: 'verified'; readonly card: CardIdentity };

export type IdentifyEvent =
  | { readonly type: 'cardPresent' }
  | { readonly type: 'read'; readonly card: CardIdentity }
  | { readonly type: 'readFailed'; readonly problem: ReadProblem }
  | { readonly type: 'consent' }
  | { readonly type: 'decline' }
  | { readonly type: 'prompt'; readonly prompt: FacePrompt; readonly face: FaceBox | undefined }
  | { readonly type: 'challenge'; readonly challenge: ChallengeView }
  | { readonly type: 'result'; readonly verified: boolean; readonly match: boolean; readonly liveness: LivenessFailure | undefined }
  | { readonly type: 'checkError'; readonly code: string }
  | { readonly type: 'retry' }
  | { readonly type: 'retryRead' };

/** Where J1 starts: straight to consent for a card already read in this session, or done if it was verified. */
export function initialIdentify(card: CardIdentity | undefined, verified = false): IdentifyState {
  if (card && verified) return { kind: 'verified', card };
  return card ? { kind: 'consent', card } : { kind: 'insertCard' };
}

function checking(card: CardIdentity, attempt: number, now: number): IdentifyState {
  return { kind: 'checking', card, attempt, prompt: 'ok', face: undefined, challenge: undefined, startedAt: now };
}

function failedAttempt(state: Extract<IdentifyState, { kind: 'checking' }>, problem: CheckProblem, liveness: LivenessFailure | undefined): IdentifyState {
  if (state.attempt >= MAX_ATTEMPTS) return { kind: 'staffAssist', why: 'tooManyTries' };
  return { kind: 'checkFailed', card: state.card, attempt: state.attempt, problem, liveness };
}

export function identifyTransition(state: IdentifyState, event: IdentifyEvent, now: number): IdentifyState {
  switch (event.type) {
    case 'cardPresent':
      return state.kind === 'insertCard' || state.kind === 'readFailed' ? { kind: 'reading' } : state;
    case 'read':
      if (state.kind !== 'reading') return state;
      return event.card.expired ? { kind: 'readFailed', problem: 'expired' } : { kind: 'consent', card: event.card };
    case 'readFailed':
      return state.kind === 'reading' ? { kind: 'readFailed', problem: event.problem } : state;
    case 'retryRead':
      return state.kind === 'readFailed' ? { kind: 'insertCard' } : state;
    case 'consent':
      return state.kind === 'consent' ? checking(state.card, 1, now) : state;
    case 'decline':
      return state.kind === 'consent' || state.kind === 'checkFailed' ? { kind: 'staffAssist', why: 'declined' } : state;
    case 'prompt':
      return state.kind === 'checking' ? { ...state, prompt: event.prompt, face: event.face } : state;
    case 'challenge':
      return state.kind === 'checking' ? { ...state, challenge: event.challenge } : state;
    case 'result':
      if (state.kind !== 'checking') return state;
      if (event.verified) return { kind: 'verified', card: state.card };
      return failedAttempt(state, event.match ? 'liveness' : 'notMatch', event.liveness);
    case 'checkError':
      if (state.kind !== 'checking') return state;
      if (event.code === 'faceServiceUnavailable' || event.code === 'noReference' || event.code === 'referenceNoFace' || event.code === 'referenceMultipleFaces') {
        return { kind: 'staffAssist', why: 'faceUnavailable' };
      }
      return failedAttempt(state, event.code === 'positioningTimeout' ? 'positioning' : 'camera', undefined);
    case 'retry':
      return state.kind === 'checkFailed' ? checking(state.card, state.attempt + 1, now) : state;
  }
}
