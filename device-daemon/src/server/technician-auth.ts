// The technician's login: the PIN checked against its scrypt (or development sha256) hash, a lockout
// after maxAttempts wrong PINs (kept in the lockout store, so it outlives a restart), and one
// session per UI connection until it expires, the technician
// logs out, or the connection goes (connection ids are never reused, so a closed connection's
// session can never be used again; expired ones are forgotten as others log in).
import type { KioskConfig } from '../config/schema';
import { err, ok, type Result } from '../core/result';
import type { Logger } from '../log/logger';
import { verifyPin } from './pin-hash';
import { memoryLockoutStore, type LockoutState, type LockoutStore } from './technician-lockout-store';

export type LoginRefusal = { readonly code: 'noPin' | 'lockedOut' | 'wrongPin'; readonly message: string };

export interface TechnicianAuthOptions {
  readonly technician: KioskConfig['technician'];
  readonly log: Logger;
  readonly now?: () => number;
  /** Where failures and the lockout are kept; in memory when absent. */
  readonly lockout?: LockoutStore;
}

export class TechnicianAuth {
  readonly #sessions = new Map<number, number>();
  readonly #now: () => number;
  readonly #lockout: LockoutStore;
  #state: LockoutState;
  /** Attempts run one at a time: scrypt is asynchronous, and two at once must not both beat the lockout. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: TechnicianAuthOptions) {
    this.#now = options.now ?? ((): number => Date.now());
    this.#lockout = options.lockout ?? memoryLockoutStore();
    const stored = this.#lockout.load();
    // A clock set back after the lock would stretch it: no lock outlasts lockoutMs from now.
    const latest = this.#now() + options.technician.lockoutMs;
    this.#state = { failures: stored.failures, lockedUntil: Math.min(stored.lockedUntil, latest) };
  }

  login(pin: string, connectionId: number): Promise<Result<{ expiresAt: number }, LoginRefusal>> {
    const attempt = this.#queue.then(() => this.#attempt(pin, connectionId));
    this.#queue = attempt.catch(() => undefined);
    return attempt;
  }

  async #attempt(pin: string, connectionId: number): Promise<Result<{ expiresAt: number }, LoginRefusal>> {
    const { technician, log } = this.options;
    if (!technician.pinScrypt && !technician.pinSha256) return err({ code: 'noPin', message: 'technician mode is not provisioned on this terminal' });
    const { lockedUntil } = this.#state;
    if (this.#now() < lockedUntil) return err({ code: 'lockedOut', message: `too many wrong PINs; try again after ${new Date(lockedUntil).toISOString()}` });
    const right = await verifyPin(pin, technician);
    if (!right) {
      const failures = this.#state.failures + 1;
      log.warn({ failures }, 'wrong technician PIN');
      if (failures >= technician.maxAttempts) {
        this.#save({ failures: 0, lockedUntil: this.#now() + technician.lockoutMs });
        this.#sessions.clear();
        return err({ code: 'lockedOut', message: `too many wrong PINs; technician mode is locked for ${Math.round(technician.lockoutMs / 60_000)} minutes` });
      }
      this.#save({ failures, lockedUntil: 0 });
      return err({ code: 'wrongPin', message: `wrong PIN (${technician.maxAttempts - failures} tries left)` });
    }
    if (this.#state.failures !== 0 || this.#state.lockedUntil !== 0) this.#save({ failures: 0, lockedUntil: 0 });
    const now = this.#now();
    for (const [id, expiresAt] of this.#sessions) if (expiresAt <= now) this.#sessions.delete(id);
    const expiresAt = now + technician.sessionMs;
    this.#sessions.set(connectionId, expiresAt);
    log.info({ connectionId }, 'technician logged in');
    return ok({ expiresAt });
  }

  /** Held in memory whatever the store says: a disk that cannot take the write must not lift a lock. */
  #save(state: LockoutState): void {
    this.#state = state;
    const saved = this.#lockout.save(state);
    if (!saved.ok) this.options.log.error({ reason: saved.error }, 'technician lockout not stored; it holds until the daemon restarts');
  }

  isLoggedIn(connectionId: number): boolean {
    const expiresAt = this.#sessions.get(connectionId);
    if (expiresAt === undefined) return false;
    if (expiresAt > this.#now()) return true;
    this.#sessions.delete(connectionId);
    return false;
  }

  logout(connectionId: number): void {
    if (this.#sessions.delete(connectionId)) this.options.log.info({ connectionId }, 'technician logged out');
  }
}
