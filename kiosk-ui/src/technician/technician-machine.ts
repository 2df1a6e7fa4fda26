// Technician mode as a pure machine: the PIN (the daemon counts wrong tries and locks out), then the
// device screens until the technician leaves or the login expires.
export type TechnicianState =
  | { readonly kind: 'pin'; readonly pin: string; readonly error: 'wrongPin' | 'lockedOut' | 'noPin' | undefined; readonly detail: string }
  | { readonly kind: 'checking'; readonly pin: string }
  | { readonly kind: 'devices'; readonly expiresAt: number; readonly printed: 'none' | 'printing' | 'printed' | 'failed' };

export type TechnicianEvent =
  | { readonly type: 'pinChanged'; readonly pin: string }
  | { readonly type: 'submit' }
  | { readonly type: 'loggedIn'; readonly expiresAt: number }
  | { readonly type: 'refused'; readonly error: 'wrongPin' | 'lockedOut' | 'noPin'; readonly detail: string }
  | { readonly type: 'testPrint' }
  | { readonly type: 'testPrinted'; readonly ok: boolean }
  | { readonly type: 'tick' };

export const initialTechnician: TechnicianState = { kind: 'pin', pin: '', error: undefined, detail: '' };

export function technicianTransition(state: TechnicianState, event: TechnicianEvent, now: number): TechnicianState {
  switch (event.type) {
    case 'pinChanged':
      return state.kind === 'pin' ? { ...state, pin: event.pin.replace(/\D/g, '').slice(0, 12) } : state;
    case 'submit':
      return state.kind === 'pin' && state.pin.length >= 4 ? { kind: 'checking', pin: state.pin } : state;
    case 'loggedIn':
      return state.kind === 'checking' ? { kind: 'devices', expiresAt: event.expiresAt, printed: 'none' } : state;
    case 'refused':
      // The PIN is cleared after every refusal: it is never left on screen for the next person.
      return state.kind === 'checking' ? { kind: 'pin', pin: '', error: event.error, detail: event.detail } : state;
    case 'testPrint':
      return state.kind === 'devices' && state.printed !== 'printing' ? { ...state, printed: 'printing' } : state;
    case 'testPrinted':
      return state.kind === 'devices' && state.printed === 'printing' ? { ...state, printed: event.ok ? 'printed' : 'failed' } : state;
    case 'tick':
      return state.kind === 'devices' && now >= state.expiresAt ? initialTechnician : state;
  }
}
