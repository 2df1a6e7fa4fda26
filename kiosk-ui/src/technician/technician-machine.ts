// Technician mode as a pure machine: the PIN (the daemon counts wrong tries and locks out), then the
// device screen (states, paper counters, the self-tests, a test slip) until the technician leaves or
// the login expires.
import type { SelfTestResult } from '@protocol';

export type TestLevel = 'internal' | 'external';

export interface SelfTestRun {
  readonly level: TestLevel;
  readonly state: 'running' | 'done' | 'failed';
  readonly results: readonly SelfTestResult[];
  /** Why the run itself failed (the daemon refused it, or the connection went). */
  readonly error: string | undefined;
}

export interface PaperCounter {
  readonly device: string;
  readonly printed: number;
  readonly pending: number;
  readonly failed: number;
  readonly printerCounter: number | null;
}

export type TechnicianState =
  | { readonly kind: 'pin'; readonly pin: string; readonly error: 'wrongPin' | 'lockedOut' | 'noPin' | undefined; readonly detail: string }
  | { readonly kind: 'checking'; readonly pin: string }
  | {
      readonly kind: 'devices';
      readonly expiresAt: number;
      readonly printed: 'none' | 'printing' | 'printed' | 'failed';
      readonly test: SelfTestRun | undefined;
      /** undefined until the daemon has answered. */
      readonly counters: readonly PaperCounter[] | undefined;
    };

export type TechnicianEvent =
  | { readonly type: 'pinChanged'; readonly pin: string }
  | { readonly type: 'submit' }
  | { readonly type: 'loggedIn'; readonly expiresAt: number }
  | { readonly type: 'refused'; readonly error: 'wrongPin' | 'lockedOut' | 'noPin'; readonly detail: string }
  | { readonly type: 'testPrint' }
  | { readonly type: 'testPrinted'; readonly ok: boolean }
  | { readonly type: 'selfTest'; readonly level: TestLevel }
  | { readonly type: 'selfTestDone'; readonly results: readonly SelfTestResult[] }
  | { readonly type: 'selfTestFailed'; readonly error: string }
  | { readonly type: 'counters'; readonly printers: readonly PaperCounter[] }
  | { readonly type: 'tick' };

export const initialTechnician: TechnicianState = { kind: 'pin', pin: '', error: undefined, detail: '' };

const busy = (state: Extract<TechnicianState, { kind: 'devices' }>): boolean => state.printed === 'printing' || state.test?.state === 'running';

export function technicianTransition(state: TechnicianState, event: TechnicianEvent, now: number): TechnicianState {
  switch (event.type) {
    case 'pinChanged':
      return state.kind === 'pin' ? { ...state, pin: event.pin.replace(/\D/g, '').slice(0, 12) } : state;
    case 'submit':
      return state.kind === 'pin' && state.pin.length >= 4 ? { kind: 'checking', pin: state.pin } : state;
    case 'loggedIn':
      return state.kind === 'checking' ? { kind: 'devices', expiresAt: event.expiresAt, printed: 'none', test: undefined, counters: undefined } : state;
    case 'refused':
      // The PIN is cleared after every refusal: it is never left on screen for the next person.
      return state.kind === 'checking' ? { kind: 'pin', pin: '', error: event.error, detail: event.detail } : state;
    case 'testPrint':
      // One thing at a time on the printer: the external self-test prints a slip too.
      return state.kind === 'devices' && !busy(state) ? { ...state, printed: 'printing' } : state;
    case 'testPrinted':
      return state.kind === 'devices' && state.printed === 'printing' ? { ...state, printed: event.ok ? 'printed' : 'failed' } : state;
    case 'selfTest':
      return state.kind === 'devices' && !busy(state) ? { ...state, test: { level: event.level, state: 'running', results: [], error: undefined } } : state;
    case 'selfTestDone':
      return state.kind === 'devices' && state.test?.state === 'running' ? { ...state, test: { ...state.test, state: 'done', results: event.results } } : state;
    case 'selfTestFailed':
      return state.kind === 'devices' && state.test?.state === 'running' ? { ...state, test: { ...state.test, state: 'failed', error: event.error } } : state;
    case 'counters':
      return state.kind === 'devices' ? { ...state, counters: event.printers } : state;
    case 'tick':
      return state.kind === 'devices' && now >= state.expiresAt ? initialTechnician : state;
  }
}
