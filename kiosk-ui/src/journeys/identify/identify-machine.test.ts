import { describe, expect, it } from 'vitest';
import type { CardIdentity } from '../../session/session-machine';
import { identifyTransition, initialIdentify, MAX_ATTEMPTS, type IdentifyEvent, type IdentifyState } from './identify-machine';

const card: CardIdentity = { readId: 'read-1', nameMasked: '林**', idNumberMasked: '3301**********1230', expired: false };

function run(events: IdentifyEvent[], from: IdentifyState = initialIdentify(undefined)): IdentifyState {
  return events.reduce((state, event, i) => identifyTransition(state, event, 1_000 * i), from);
}

describe('J1 identify machine', () => {
  it('reads the card, asks consent, and verifies on the first try', () => {
    const state = run([{ type: 'cardPresent' }, { type: 'read', card }, { type: 'consent' }, { type: 'prompt', prompt: 'tooSmall', face: undefined }, { type: 'result', verified: true, match: true, liveness: undefined }]);
    expect(state).toEqual({ kind: 'verified', card });
  });

  it('never starts a face check without consent; declining leads to staff assistance', () => {
    expect(run([{ type: 'cardPresent' }, { type: 'read', card }, { type: 'prompt', prompt: 'ok', face: undefined }]).kind).toBe('consent');
    expect(run([{ type: 'cardPresent' }, { type: 'read', card }, { type: 'decline' }])).toEqual({ kind: 'staffAssist', why: 'declined' });
  });

  it('allows three tries, then sends the resident to staff', () => {
    const events: IdentifyEvent[] = [{ type: 'cardPresent' }, { type: 'read', card }, { type: 'consent' }];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) events.push({ type: 'result', verified: false, match: false, liveness: undefined }, { type: 'retry' });
    const third = run(events);
    expect(third).toMatchObject({ kind: 'checking', attempt: 3 });
    expect(identifyTransition(third, { type: 'result', verified: false, match: false, liveness: undefined }, 0)).toEqual({ kind: 'staffAssist', why: 'tooManyTries' });
  });

  it('tells a failed liveness from a different face, and a camera problem from both', () => {
    const checking = run([{ type: 'consent' }], initialIdentify(card));
    expect(identifyTransition(checking, { type: 'result', verified: false, match: true, liveness: 'timeout' }, 0)).toMatchObject({ kind: 'checkFailed', problem: 'liveness', liveness: 'timeout' });
    expect(identifyTransition(checking, { type: 'result', verified: false, match: false, liveness: undefined }, 0)).toMatchObject({ kind: 'checkFailed', problem: 'notMatch' });
    expect(identifyTransition(checking, { type: 'checkError', code: 'positioningTimeout' }, 0)).toMatchObject({ kind: 'checkFailed', problem: 'positioning' });
    expect(identifyTransition(checking, { type: 'checkError', code: 'faceServiceUnavailable' }, 0)).toEqual({ kind: 'staffAssist', why: 'faceUnavailable' });
  });

  it('refuses an expired card and lets the resident try another', () => {
    const expired = run([{ type: 'cardPresent' }, { type: 'read', card: { ...card, expired: true } }]);
    expect(expired).toEqual({ kind: 'readFailed', problem: 'expired' });
    expect(run([{ type: 'retryRead' }, { type: 'cardPresent' }], expired)).toEqual({ kind: 'reading' });
  });

  it('ignores events that do not belong to the state (a late completion after a retry)', () => {
    const consent = initialIdentify(card);
    expect(identifyTransition(consent, { type: 'result', verified: true, match: true, liveness: undefined }, 0)).toBe(consent);
    expect(identifyTransition(consent, { type: 'challenge', challenge: { index: 0, count: 2, challenge: 'blink', state: 'started' } }, 0)).toBe(consent);
  });
});
