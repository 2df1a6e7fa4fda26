import { describe, expect, it } from 'vitest';
import { initialTechnician, technicianTransition, type TechnicianEvent, type TechnicianState } from './technician-machine';

const run = (events: TechnicianEvent[], from: TechnicianState = initialTechnician, now = 0): TechnicianState => events.reduce((s, e) => technicianTransition(s, e, now), from);

describe('technician machine', () => {
  it('needs at least four digits, and clears the PIN after a refusal', () => {
    expect(run([{ type: 'pinChanged', pin: '12a3' }, { type: 'submit' }])).toMatchObject({ kind: 'pin', pin: '123' });
    const refused = run([{ type: 'pinChanged', pin: '123456' }, { type: 'submit' }, { type: 'refused', error: 'wrongPin', detail: '4 tries left' }]);
    expect(refused).toEqual({ kind: 'pin', pin: '', error: 'wrongPin', detail: '4 tries left' });
  });

  it('logs in, prints a test slip, and leaves when the login expires', () => {
    const devices = run([{ type: 'pinChanged', pin: '246810' }, { type: 'submit' }, { type: 'loggedIn', expiresAt: 1_000 }]);
    expect(devices).toEqual({ kind: 'devices', expiresAt: 1_000, printed: 'none' });
    expect(run([{ type: 'testPrint' }, { type: 'testPrinted', ok: true }], devices)).toMatchObject({ printed: 'printed' });
    expect(technicianTransition(devices, { type: 'tick' }, 999)).toBe(devices);
    expect(technicianTransition(devices, { type: 'tick' }, 1_000)).toEqual(initialTechnician);
  });
});
