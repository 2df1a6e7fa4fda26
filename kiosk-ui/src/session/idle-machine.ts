// The idle timer as a pure machine: after idleMs without a touch (elderIdleMs in elder mode) a
// warning with a countdown; a touch on "continue" goes back to active; the countdown's end expires
// the session. Ticks carry the time, so the machine runs on any clock.
export interface IdleConfig {
  readonly idleMs: number;
  readonly countdownMs: number;
}

export type IdleState =
  | { readonly kind: 'active'; readonly lastActivity: number }
  | { readonly kind: 'warning'; readonly deadline: number; readonly secondsLeft: number }
  | { readonly kind: 'expired' };

export type IdleEvent = { readonly type: 'activity' } | { readonly type: 'continue' } | { readonly type: 'tick' } | { readonly type: 'reset' };

export function initialIdle(now: number): IdleState {
  return { kind: 'active', lastActivity: now };
}

export function idleTransition(state: IdleState, event: IdleEvent, now: number, config: IdleConfig): IdleState {
  switch (event.type) {
    case 'reset':
    case 'continue':
      return { kind: 'active', lastActivity: now };
    case 'activity':
      // During the warning only "continue" counts: a stray touch elsewhere must not hide it.
      return state.kind === 'active' ? { kind: 'active', lastActivity: now } : state;
    case 'tick': {
      if (state.kind === 'expired') return state;
      if (state.kind === 'active') {
        if (now - state.lastActivity < config.idleMs) return state;
        const deadline = state.lastActivity + config.idleMs + config.countdownMs;
        return deadline <= now ? { kind: 'expired' } : { kind: 'warning', deadline, secondsLeft: Math.ceil((deadline - now) / 1000) };
      }
      if (now >= state.deadline) return { kind: 'expired' };
      const secondsLeft = Math.ceil((state.deadline - now) / 1000);
      return secondsLeft === state.secondsLeft ? state : { ...state, secondsLeft };
    }
  }
}

/** Seconds at which the countdown is spoken: the start, every ten seconds, and the last five. */
export function shouldAnnounce(secondsLeft: number, total: number): boolean {
  return secondsLeft === total || secondsLeft % 10 === 0 || secondsLeft <= 5;
}
