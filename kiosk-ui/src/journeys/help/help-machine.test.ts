import { describe, expect, it } from 'vitest';
import { helpTransition, initialHelp, type HelpEvent, type HelpState } from './help-machine';

const run = (events: HelpEvent[], from: HelpState = initialHelp): HelpState => events.reduce(helpTransition, from);

describe('J8 help machine', () => {
  it('calls staff and says whether the call went out', () => {
    expect(run([{ type: 'callStaff' }, { type: 'callDone', ok: true }])).toEqual({ kind: 'called', ok: true });
    expect(run([{ type: 'callStaff' }, { type: 'callDone', ok: false }])).toEqual({ kind: 'called', ok: false });
  });

  it('takes a queue ticket, printed or not, and retries a failed one', () => {
    expect(run([{ type: 'ticket' }, { type: 'ticketDone', number: 'A012', waiting: 3, printed: false }])).toEqual({ kind: 'ticket', number: 'A012', waiting: 3, printed: false });
    expect(run([{ type: 'ticket' }, { type: 'ticketFailed' }, { type: 'ticket' }])).toEqual({ kind: 'ticketing' });
  });

  it('does not leave a call or a ticket half done', () => {
    expect(run([{ type: 'callStaff' }, { type: 'menu' }])).toEqual({ kind: 'calling' });
    expect(run([{ type: 'hotline' }, { type: 'menu' }])).toEqual(initialHelp);
  });
});
