import { describe, expect, it } from 'vitest';
import { initialSession, sessionTransition, unratedTransactions, type CardIdentity, type SessionEvent, type SessionState } from './session-machine';

const card: CardIdentity = { readId: 'r1', nameMasked: '林**', idNumberMasked: '3301**********1230', expired: false };
const run = (events: SessionEvent[], from: SessionState = initialSession()): SessionState => events.reduce((s, e) => sessionTransition(s, e, 1_000), from);

describe('session machine', () => {
  it('starts on a touch and keeps the resident’s choices until the end', () => {
    const state = run([{ type: 'touch' }, { type: 'language', language: 'en' }, { type: 'elder', on: true }, { type: 'open', journey: 'J4' }]);
    expect(state).toMatchObject({ active: true, language: 'en', elder: true, route: { kind: 'journey', journey: 'J4' } });
    const ended = sessionTransition(state, { type: 'end', reason: 'idle' }, 2_000);
    expect(ended).toEqual({ ...initialSession(1, 'idle') });
  });

  it('wipes everything when the card leaves during a journey that needs it', () => {
    const state = run([{ type: 'open', journey: 'J3' }, { type: 'cardRead', card }, { type: 'verified' }]);
    expect(state.verified).toBe(true);
    const ended = sessionTransition(state, { type: 'cardRemoved', readId: 'r1', journeyNeedsCard: true }, 0);
    expect(ended).toEqual(initialSession(1, 'cardRemoved'));
  });

  it('forgets the card but keeps the session when it leaves during a journey that does not need it', () => {
    const state = run([{ type: 'cardRead', card }, { type: 'verified' }, { type: 'open', journey: 'J4' }, { type: 'cardRemoved', readId: 'r1', journeyNeedsCard: false }]);
    expect(state).toMatchObject({ active: true, card: undefined, verified: false, route: { kind: 'journey', journey: 'J4' } });
  });

  it('does not carry a face check over to another card', () => {
    const state = run([{ type: 'cardRead', card }, { type: 'verified' }, { type: 'cardRead', card: { ...card, readId: 'r2' } }]);
    expect(state.verified).toBe(false);
  });

  it('routes every completed service to its rating, once, and remembers what was rated', () => {
    const done = run([{ type: 'open', journey: 'J4' }, { type: 'completed', transaction: { id: 'ORDER1', journey: 'J4', label: { zh: '缴费', en: 'Bill' } } }]);
    expect(done.route).toMatchObject({ kind: 'rate', transaction: { id: 'ORDER1', completedAt: 1_000 } });
    expect(unratedTransactions(done).map((t) => t.id)).toEqual(['ORDER1']);
    const rated = sessionTransition(done, { type: 'rated', transactionId: 'ORDER1' }, 0);
    expect(rated.route).toEqual({ kind: 'home' });
    expect(unratedTransactions(rated)).toEqual([]);
    expect(sessionTransition(rated, { type: 'completed', transaction: { id: 'ORDER1', journey: 'J4', label: { zh: '', en: '' } } }, 0)).toBe(rated);
  });

  it('gives technician mode a clean session of its own', () => {
    const state = run([{ type: 'cardRead', card }, { type: 'technician' }]);
    expect(state).toMatchObject({ card: undefined, route: { kind: 'technician' }, generation: 1 });
  });
});
