import { describe, expect, it } from 'vitest';
import { idleTransition, initialIdle, shouldAnnounce, type IdleConfig, type IdleEvent, type IdleState } from './idle-machine';

const config: IdleConfig = { idleMs: 60_000, countdownMs: 30_000 };
const at = (state: IdleState, event: IdleEvent, now: number): IdleState => idleTransition(state, event, now, config);

describe('idle machine', () => {
  it('warns after the idle time, counts down, and expires', () => {
    let state = initialIdle(0);
    state = at(state, { type: 'tick' }, 59_999);
    expect(state.kind).toBe('active');
    state = at(state, { type: 'tick' }, 60_000);
    expect(state).toEqual({ kind: 'warning', deadline: 90_000, secondsLeft: 30 });
    state = at(state, { type: 'tick' }, 70_500);
    expect(state).toMatchObject({ kind: 'warning', secondsLeft: 20 });
    expect(at(state, { type: 'tick' }, 90_000)).toEqual({ kind: 'expired' });
  });

  it('counts every touch while active, but only "continue" during the warning', () => {
    let state = at(initialIdle(0), { type: 'activity' }, 50_000);
    expect(at(state, { type: 'tick' }, 100_000)).toMatchObject({ kind: 'active' });
    state = at(state, { type: 'tick' }, 110_000);
    expect(state).toMatchObject({ kind: 'warning', secondsLeft: 30 });
    expect(at(state, { type: 'activity' }, 111_000)).toBe(state);
    expect(at(state, { type: 'continue' }, 111_000)).toEqual({ kind: 'active', lastActivity: 111_000 });
  });

  it('expires at once after a long gap (a suspended page), without a warning it could not show', () => {
    expect(at(initialIdle(0), { type: 'tick' }, 500_000)).toEqual({ kind: 'expired' });
  });

  it('gives elder mode its longer idle time through the config', () => {
    const elder: IdleConfig = { idleMs: 120_000, countdownMs: 30_000 };
    expect(idleTransition(initialIdle(0), { type: 'tick' }, 100_000, elder).kind).toBe('active');
    expect(idleTransition(initialIdle(0), { type: 'tick' }, 120_000, elder).kind).toBe('warning');
  });

  it('announces the start, every ten seconds and the last five', () => {
    expect([30, 29, 25, 20, 11, 10, 6, 5, 4, 1].map((s) => shouldAnnounce(s, 30))).toEqual([true, false, false, true, false, true, false, true, true, true]);
  });
});
