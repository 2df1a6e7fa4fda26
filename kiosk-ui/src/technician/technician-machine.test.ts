import type { SelfTestResult } from '@protocol';
import { describe, expect, it } from 'vitest';
import { initialTechnician, technicianTransition, type TechnicianEvent, type TechnicianState } from './technician-machine';

const run = (events: TechnicianEvent[], from: TechnicianState = initialTechnician, now = 0): TechnicianState => events.reduce((s, e) => technicianTransition(s, e, now), from);

const RESULT: SelfTestResult = { device: 'receiptPrinter', level: 'external', outcome: 'failed', text: 'paper out; no test slip sent', at: '2026-11-22T02:00:00.000Z', durationMs: 12 };

describe('technician machine', () => {
  it('needs at least four digits, and clears the PIN after a refusal', () => {
    expect(run([{ type: 'pinChanged', pin: '12a3' }, { type: 'submit' }])).toMatchObject({ kind: 'pin', pin: '123' });
    const refused = run([{ type: 'pinChanged', pin: '123456' }, { type: 'submit' }, { type: 'refused', error: 'wrongPin', detail: '4 tries left' }]);
    expect(refused).toEqual({ kind: 'pin', pin: '', error: 'wrongPin', detail: '4 tries left' });
    const locked = run([{ type: 'pinChanged', pin: '246810' }, { type: 'submit' }, { type: 'refused', error: 'lockedOut', detail: 'locked for 5 minutes' }]);
    expect(locked).toEqual({ kind: 'pin', pin: '', error: 'lockedOut', detail: 'locked for 5 minutes' });
  });

  it('logs in, prints a test slip, and leaves when the login expires', () => {
    const devices = run([{ type: 'pinChanged', pin: '246810' }, { type: 'submit' }, { type: 'loggedIn', expiresAt: 1_000 }]);
    expect(devices).toEqual({ kind: 'devices', expiresAt: 1_000, printed: 'none', test: undefined, counters: undefined });
    expect(run([{ type: 'testPrint' }, { type: 'testPrinted', ok: true }], devices)).toMatchObject({ printed: 'printed' });
    expect(technicianTransition(devices, { type: 'tick' }, 999)).toBe(devices);
    expect(technicianTransition(devices, { type: 'tick' }, 1_000)).toEqual(initialTechnician);
  });

  it('runs one self-test at a time, never beside a test slip, and keeps its results', () => {
    const devices = run([{ type: 'pinChanged', pin: '246810' }, { type: 'submit' }, { type: 'loggedIn', expiresAt: 1_000 }]);
    const running = run([{ type: 'selfTest', level: 'external' }], devices);
    expect(running).toMatchObject({ test: { level: 'external', state: 'running', results: [] } });
    expect(run([{ type: 'selfTest', level: 'internal' }, { type: 'testPrint' }], running)).toEqual(running);
    const done = run([{ type: 'selfTestDone', results: [RESULT] }], running);
    expect(done).toMatchObject({ test: { level: 'external', state: 'done', results: [RESULT] } });
    expect(run([{ type: 'selfTestDone', results: [] }], done)).toBe(done);
    const printing = run([{ type: 'testPrint' }], done);
    expect(run([{ type: 'selfTest', level: 'internal' }], printing)).toBe(printing);
    expect(run([{ type: 'selfTest', level: 'internal' }, { type: 'selfTestFailed', error: 'log in first' }], devices)).toMatchObject({ test: { state: 'failed', error: 'log in first' } });
  });

  it('shows the paper counters the daemon reports', () => {
    const devices = run([{ type: 'pinChanged', pin: '246810' }, { type: 'submit' }, { type: 'loggedIn', expiresAt: 1_000 }]);
    const counters = [{ device: 'receiptPrinter', printed: 12, pending: 0, failed: 1, printerCounter: null }];
    expect(run([{ type: 'counters', printers: counters }], devices)).toMatchObject({ counters });
    expect(run([{ type: 'counters', printers: counters }])).toBe(initialTechnician);
  });
});
