// Runs a pure transition function as component state. The machine never sees the DOM or the
// daemon: screens send it events (a tap, a completion, a tick) with the clock's time.
import { useCallback, useReducer } from 'preact/hooks';
import type { Clock } from './clock';

export type Transition<S, E> = (state: S, event: E, now: number) => S;

export function useMachine<S, E>(transition: Transition<S, E>, initial: () => S, clock: Clock): [S, (event: E) => void] {
  const [state, dispatch] = useReducer((current: S, event: E) => transition(current, event, clock.now()), undefined, initial);
  const send = useCallback((event: E) => dispatch(event), []);
  return [state, send];
}
