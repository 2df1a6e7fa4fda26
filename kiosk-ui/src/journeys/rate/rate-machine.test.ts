import { describe, expect, it } from 'vitest';
import { initialRate, rateTransition, type RateEvent, type RateState } from './rate-machine';

const run = (events: RateEvent[], from: RateState = initialRate): RateState => events.reduce(rateTransition, from);

describe('J7 rate machine', () => {
  it('sends a good rating at once, without reasons', () => {
    expect(run([{ type: 'level', level: 5 }])).toEqual({ kind: 'sending', level: 5, reasons: [] });
    expect(run([{ type: 'level', level: 3 }, { type: 'sent', queued: false }])).toEqual({ kind: 'thanks', queued: false });
  });

  it('requires at least one reason for the two lowest levels', () => {
    const reasons = run([{ type: 'level', level: 2 }]);
    expect(reasons).toEqual({ kind: 'reasons', level: 2, reasons: [] });
    expect(rateTransition(reasons, { type: 'submit' })).toBe(reasons);
    const chosen = run([{ type: 'toggleReason', reason: 'waitTooLong' }, { type: 'toggleReason', reason: 'deviceFault' }, { type: 'toggleReason', reason: 'waitTooLong' }], reasons);
    expect(chosen).toEqual({ kind: 'reasons', level: 2, reasons: ['deviceFault'] });
    expect(rateTransition(chosen, { type: 'submit' })).toEqual({ kind: 'sending', level: 2, reasons: ['deviceFault'] });
  });

  it('lets the resident change their mind from the reasons, and retry a failed send', () => {
    expect(run([{ type: 'level', level: 1 }, { type: 'back' }])).toEqual({ kind: 'level' });
    const failed = run([{ type: 'level', level: 4 }, { type: 'failed' }]);
    expect(failed).toEqual({ kind: 'failed', level: 4, reasons: [] });
    expect(rateTransition(failed, { type: 'submit' })).toEqual({ kind: 'sending', level: 4, reasons: [] });
  });
});
