// The technician's login: the PIN checked against its scrypt (or development sha256) hash, a lockout
// after maxAttempts wrong PINs, and one session per UI connection until it expires, the technician
// logs out, or the connection goes (connection ids are never reused, so a closed connection's
// session can never be used again; expired ones are forgotten as others log in).
import type { KioskConfig } from '../config/schema';
import { err, ok, type Result } from '../core/result';
import type { Logger } from '../log/logger';
import { verifyPin } from './pin-hash';

export type LoginRefusal = { readonly code: 'noPin' | 'lockedOut' | 'wrongPin'; readonly message: string };

export interface TechnicianAuthOptions {
  readonly technician: KioskConfig['technician'];
  readonly log: Logger;
  readonly now?: () => number;
}

export class TechnicianAuth {
  readonly #sessions = new Map<number, number>();
  readonly #now: () => number;
  #failures = 0;
  #lockedUntil = 0;
  /** Attempts run one at a time: scrypt is asynchronous, and two at once must not both beat the lockout. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: TechnicianAuthOptions) {
    this.#now = options.now ?? ((): number => Date.now());
  }

  login(pin: string, connectionId: number): Promise<Result<{ expiresAt: number }, LoginRefusal>> {
    const attempt = this.#queue.then(() => this.#attempt(pin, connectionId));
    this.#queue = attempt.catch(() => undefined);
    return attempt;
  }

  async #attempt(pin: string, connectionId: number): Promise<Result<{ expiresAt: number }, LoginRefusal>> {
    const { technician, log } = this.options;
    if (!technician.pinScrypt && !technician.pinSha256) return err({ code: 'noPin', message: 'technician mode is not provisioned on this terminal' });
    if (this.#now() < this.#lockedUntil) return err({ code: 'lockedOut', message: `too many wrong PINs; try again after ${new Date(this.#lockedUntil).toISOString()}` });
    const right = await verifyPin(pin, technician);
    if (!right) {
      this.#failures += 1;
      log.warn({ failures: this.#failures }, 'wrong technician PIN');
      if (this.#failures >= technician.maxAttempts) {
        this.#failures = 0;
        this.#lockedUntil = this.#now() + technician.lockoutMs;
        this.#sessions.clear();
        return err({ code: 'lockedOut', message: `too many wrong PINs; technician mode is locked for ${Math.round(technician.lockoutMs / 60_000)} minutes` });
      }
      return err({ code: 'wrongPin', message: `wrong PIN (${technician.maxAttempts - this.#failures} tries left)` });
    }
    this.#failures = 0;
    const now = this.#now();
    for (const [id, expiresAt] of this.#sessions) if (expiresAt <= now) this.#sessions.delete(id);
    const expiresAt = now + technician.sessionMs;
    this.#sessions.set(connectionId, expiresAt);
    log.info({ connectionId }, 'technician logged in');
    return ok({ expiresAt });
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
