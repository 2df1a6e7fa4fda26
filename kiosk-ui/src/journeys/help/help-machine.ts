// J8 as a pure machine: the menu (call staff, the hotline, a queue ticket where the site has a
// queue), and the outcome of each.
export type HelpState =
  | { readonly kind: 'menu' }
  | { readonly kind: 'calling' }
  | { readonly kind: 'called'; readonly ok: boolean }
  | { readonly kind: 'hotline' }
  | { readonly kind: 'ticketing' }
  | { readonly kind: 'ticket'; readonly number: string; readonly waiting: number; readonly printed: boolean }
  | { readonly kind: 'ticketFailed' };

export type HelpEvent =
  | { readonly type: 'callStaff' }
  | { readonly type: 'callDone'; readonly ok: boolean }
  | { readonly type: 'hotline' }
  | { readonly type: 'ticket' }
  | { readonly type: 'ticketDone'; readonly number: string; readonly waiting: number; readonly printed: boolean }
  | { readonly type: 'ticketFailed' }
  | { readonly type: 'menu' };

export const initialHelp: HelpState = { kind: 'menu' };

export function helpTransition(state: HelpState, event: HelpEvent): HelpState {
  switch (event.type) {
    case 'callStaff':
      return state.kind === 'menu' ? { kind: 'calling' } : state;
    case 'callDone':
      return state.kind === 'calling' ? { kind: 'called', ok: event.ok } : state;
    case 'hotline':
      return state.kind === 'menu' ? { kind: 'hotline' } : state;
    case 'ticket':
      return state.kind === 'menu' || state.kind === 'ticketFailed' ? { kind: 'ticketing' } : state;
    case 'ticketDone':
      return state.kind === 'ticketing' ? { kind: 'ticket', number: event.number, waiting: event.waiting, printed: event.printed } : state;
    case 'ticketFailed':
      return state.kind === 'ticketing' ? { kind: 'ticketFailed' } : state;
    case 'menu':
      return state.kind === 'calling' || state.kind === 'ticketing' ? state : { kind: 'menu' };
  }
}
